import Foundation
import ONNXFormat
import TensorCore
import NeuralEngine
import CommandLanguage
import Models

// MARK: - export: plots, histories, data and framework scripts

extension ModelCommands {
    func export(_ c: Command) throws(DescentError) {
        guard let what = c.keyword(ExportKind.self) else {
            throw DescentError("export: expected what to export (\(ExportKind.spellings)), e.g. `export metrics run.csv`")
        }
        switch what {
        case .plot:
            guard let chart = c.keyword(PlotChart.self, at: 1), let given = c.positional(2)?.text else {
                throw DescentError("export plot: expected a chart (\(PlotChart.spellings)) and a file, e.g. `export plot loss loss.svg`")
            }
            let svg = try plot(chart)
            let path = try bench.outputPath(given, for: c)
            try AtomicFile.write(svg, to: path)
            bench.say("wrote \(path): the \(chart.rawValue) chart as SVG", .info)
        case .metrics:
            let path = try file(c)
            guard let record = bench.currentRecord, !record.epochHistory.isEmpty else {
                throw DescentError("export metrics: no epoch finished yet: `train` first")
            }
            try AtomicFile.write(TableExport.metrics(record), to: path)
            bench.say("wrote \(path): \(record.epochHistory.count) epochs of run \(record.id)", .info)
        case .data:
            let path = try file(c)
            guard let data else { throw DescentError("export data: no data yet: try `data iris`") }
            try AtomicFile.write(TableExport.data(data), to: path)
            bench.say("wrote \(path): \(data.full.count) rows (\(data.train.count) train, \(data.validation.count) validation), "
                + "features after preprocessing", .info)
        case .tensorboard:
            guard let given = c.positional(1)?.text else {
                throw DescentError("export tensorboard: expected a folder, e.g. `export tensorboard logs`")
            }
            guard let record = bench.currentRecord, !record.epochHistory.isEmpty else {
                throw DescentError("export tensorboard: no epoch finished yet: `train` first")
            }
            if case .driven? = runs.currentPhase {
                throw DescentError("export tensorboard: run \(record.id) is training: `log tensorboard \(given)` logs it as it trains, "
                                   + "or wait for it to finish")
            }
            let weights = (runs.current?.trainer.model.parameterValues ?? [:]).sorted { $0.key < $1.key }
                .map { (name: $0.key, values: $0.value.scalars) }
            let path = try TensorBoardLog.export(record, weights: weights, into: try bench.outputPath(given, for: c))
            bench.say("wrote \(path): \(record.epochHistory.count) epochs of run \(record.id), its set-up and its final weights; "
                      + "`tensorboard --logdir \(given.contains(" ") ? "\"\(given)\"" : given)` opens it", .info)
        case .onnx:
            let path = try file(c)
            let name = path.hasSuffix(".onnx") ? String(path.dropLast(5)) : path
            let model = try modelFile(for: "export onnx")
            guard let run = runs.current else { throw DescentError("export: no model") }
            let bytes = try ONNXExport.model(model, name: URL(fileURLWithPath: name).lastPathComponent)
            try AtomicFile.write(Data(bytes), to: name + ".onnx")
            try AtomicFile.write(TableExport.validation(run.data, outputs: try outputs(of: run)), to: name + ".validation.csv")
            bench.say("wrote \(name).onnx (\(grouped(bytes.count)) bytes, opset \(ONNXGraph.opset)) and \(name).validation.csv "
                      + "(the validation split with Descent's outputs, to check a runtime against); Netron shows the graph, "
                      + "onnxruntime runs it", .info)
        case .keras, .pytorch:
            let path = try file(c)
            let name = path.hasSuffix(".py") ? String(path.dropLast(3)) : path
            let model = try modelFile(for: "export \(what.rawValue)")
            guard let run = runs.current else { throw DescentError("export: no model") }
            let script = try FrameworkScript(name: URL(fileURLWithPath: name).lastPathComponent, file: model)
            let outputs = try outputs(of: run)
            _ = try model.write(name: name)
            try AtomicFile.write(TableExport.data(run.data, outputs: outputs), to: name + ".csv")
            try AtomicFile.write(what == .keras ? script.keras : script.pytorch, to: name + ".py")
            bench.say("wrote \(name).py with \(name).safetensors, \(name).json and \(name).csv beside it", .info)
            let packages = (what == .keras ? FrameworkScript.kerasPackages : FrameworkScript.pytorchPackages).joined(separator: " ")
            bench.say(what == .keras ? "run: KERAS_BACKEND=jax python \(name).py --epochs 5 (needs pip install \(packages))"
                                : "run: python \(name).py --epochs 5, or torchrun --nproc_per_node=2 \(name).py (needs pip install \(packages))", .info)
        }
    }

    private func file(_ c: Command) throws(DescentError) -> String {
        guard let path = c.positional(1)?.text else { throw DescentError("export \(c.keyword ?? ""): expected a file name") }
        return try bench.outputPath(path, for: c)
    }

    /// The model's outputs (after its head) for every sample of its data, as preprocessed.
    private func outputs(of run: Run) throws(DescentError) -> Tensor {
        var x = run.data.full.features
        if run.data.isStandardized { run.data.standardizer.apply(to: &x) }
        var scalars: [Float] = []
        var start = 0
        do {
            while start < x.rows {
                let end = min(start + 1024, x.rows)
                scalars += try run.trainer.model.predict(x.rows(start..<end)).scalars
                start = end
            }
        } catch {
            throw DescentError("export: \(error)")
        }
        let k = scalars.count / max(x.rows, 1)
        return try! Tensor(shape: [x.rows, k], scalars: scalars)
    }
}

// MARK: - log: the runs' logs as they train

extension ModelCommands {
    /// `log tensorboard DIR`, `log off`, `log`.
    func logRuns(_ c: Command) throws(DescentError) {
        switch c.keyword(LogTarget.self) {
        case .tensorboard?:
            guard let given = c.positional(1)?.text else {
                throw DescentError("log tensorboard: expected a folder, e.g. `log tensorboard logs`")
            }
            let folder = try bench.outputPath(given, for: c)
            tensorBoard?.close()
            // The run that trains (or was made ready) is logged too; a finished one is not.
            let first = bench.currentRecord.map { [.finished, .stopped, .diverged, .loaded].contains($0.status) ? $0.id + 1 : $0.id }
                ?? runs.nextID
            tensorBoard = try TensorBoardLog(folder: folder, firstRun: first)
            writeLogs()
            let shownFolder = given.contains(" ") ? "\"\(given)\"" : given
            bench.say("logging runs from run \(first) on into \(folder), a folder each: `tensorboard --logdir \(shownFolder)` shows them "
                      + "(loss, validation, lr, weight and gradient histograms, set-up, hparams); `log off` stops", .info)
        case .off?:
            guard let current = tensorBoard else { throw DescentError("log off: nothing is being logged") }
            writeLogs()
            current.close()
            tensorBoard = nil
            bench.say("stopped logging into \(current.folder) (its files stay)", .info)
        case nil:
            bench.say(tensorBoard.map { "logging runs from run \($0.firstRun) on into \($0.folder) in TensorBoard's format" }
                      ?? "not logging: `log tensorboard FOLDER` writes every run's log as it trains", .info)
        }
    }

    /// Called on every poll: the runs' new epochs and snapshots into the log. A write that
    /// fails stops logging with one message; the session goes on.
    func writeLogs() {
        guard let log = tensorBoard else { return }
        do {
            _ = try log.write(records: bench.records) { bench.runs.snapshot(of: $0) }
        } catch {
            log.close()
            tensorBoard = nil
            bench.say(error.message, .error)
        }
    }
}

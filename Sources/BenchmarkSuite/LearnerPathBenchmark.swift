import Foundation
import TensorCore
import NeuralEngine
import Datasets
import TerminalUI
import WorkbenchCore
import WorkbenchUI
import Models
import Training

/// A workload as a learner runs it: a session given the workload's data, its set-up typed as
/// commands (`model …`, `optimizer …`, `batch …`, `set pace max`), then `train`, the front end
/// polling until the run is over; beside the bare loop (`WorkloadBenchmark`), which stays the
/// ceiling. Two front ends: headless (the `ScriptRunner` loop a notebook replay uses) and the
/// screen (the workbench ticking and drawing every pane into a 120×40 `Buffer` at 30 frames a
/// second, everything the ncurses backend does but the final write).
///
/// The session splits the data 80/20 and validates each epoch; its rate counts the samples it
/// trained on, over the whole `train` command's wall time: the cost line, every report, snapshot,
/// the ladder, each epoch's validation, and the run's final evaluation included. Rounds alternate
/// bare, headless and screen, so machine noise hits all alike; the figure is the median ratio.
@MainActor
enum LearnerPathBenchmark {
    /// How a learner sets a workload up: its data (made by a command, or given: no command makes
    /// W1's 784 uniform features), the set-up commands, and the epochs of one timed `train`.
    struct Recipe {
        var data: (Session) throws -> Void
        var setUp: [String]
        var epochs: Int
        /// The bare loop's trainer when the learner's model differs from the workload's (W4's
        /// `textcls` masks padding; the workload's Keras-shaped model does not).
        var bare: (() -> Trainer)? = nil
    }

    struct Result {
        let workload: Workload
        var bare: [Double] = []
        var headless: [Double] = []
        var screen: [Double] = []
        /// Estimated and actual training seconds of each learner's-path run (headless, screen).
        var estimates: [(estimated: Double, actual: Double, screen: Bool)] = []
        var medianRatioHeadless: Double { median(zip(headless, bare).map { $0 / $1 }) }
        var medianRatioScreen: Double { median(zip(screen, bare).map { $0 / $1 }) }
    }

    static func recipe(_ w: Workload) -> Recipe {
        /// The workload's own tensors as a data set of `kind` (no `data` command makes them).
        func given(_ kind: FeatureKind, task: LearningTask) -> (Session) throws -> Void {
            { session in
                let t = w.makeTrainer()
                let dataset = try Dataset(name: w.name, features: t.x, targets: t.y, task: task, kind: kind)
                try session.use(dataset, named: w.name)
            }
        }
        let adam = "optimizer adam lr=0.001"
        switch w.name {
        case "W1": return Recipe(data: given(.table, task: .classification(classes: 10)),
                                 setUp: ["model mlp 256,128 act=relu", adam, "batch 128"], epochs: 5)
        case "W2": return Recipe(data: given(.image(height: 28, width: 28, channels: 1), task: .classification(classes: 10)),
                                 setUp: ["model cnn", adam, "batch 32"], epochs: 5)
        case "W3": return Recipe(data: { try check($0, "seed 63\ndata xor n=500") },
                                 setUp: ["model mlp 8,8 act=tanh", adam, "batch 10"], epochs: 16_000)
        case "W4": return Recipe(data: given(.tokens(vocabulary: (0..<10_000).map { "w\($0)" }, length: 100),
                                             task: .classification(classes: 2)),
                                 setUp: ["model textcls", adam, "batch 32"], epochs: 25,
                                 bare: {
                                     let t = w.makeTrainer()
                                     return try! Trainer(model: Sequential(try! Presets.textClassifier(vocabulary: 10_000)),
                                                         loss: BinaryCrossEntropy(), optimizer: Adam(), learningRate: 0.001,
                                                         x: t.x, y: t.y, classes: 2, batchSize: 32, rng: SeededGenerator(seed: 64))
                                 })
        case "W5": return Recipe(data: given(.sequence(length: 50, features: 8), task: .regression),
                                 setUp: ["model rnn", adam, "batch 32"], epochs: 25)
        default:   return Recipe(data: { try check($0, "seed 66\ndata sort n=8000") },
                                 setUp: ["model gpt", "optimizer adam lr=0.0005", "batch 64"], epochs: 5)
        }
    }

    struct Failed: Error, CustomStringConvertible { var description: String }

    private static func check(_ session: Session, _ script: String) throws {
        for line in script.split(separator: "\n") where !session.execute(line: String(line)) {
            throw Failed(description: "\(line) failed")
        }
    }

    /// One timed `train` through the learner's path: samples (steps for W3) per second, the run's
    /// estimated and actual training seconds, and its updates.
    /// With `store`, the session keeps its runs there (the run store's benchmark).
    static func learnerRun(_ w: Workload, screen: Bool, store: String? = nil) throws -> (rate: Double, estimated: Double?, actual: Double?, updates: Int) {
        let recipe = recipe(w)
        let app = WorkbenchApp(themesFolder: nil, clock: { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 })
        defer { app.session.shutDown() }
        if let store, !app.session.keepRuns(at: store, build: "bench") { throw Failed(description: "the store at \(store) cannot be used") }
        var lines: [String] = []
        app.session.output = { lines.append($0.text) }
        if !screen { app.session.frontEnd.watchablePace = nil }
        try recipe.data(app.session)
        for command in recipe.setUp + ["set pace max"] where !app.session.execute(line: command) {
            throw Failed(description: "\(w.name): `\(command)` failed: \(lines.suffix(2))")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        if screen {
            app.submit("train epochs=\(recipe.epochs)")
            var buffer = Buffer(width: 120, height: 40), previous = buffer
            let input = InputLine(prompt: "descent> ", text: "", cursor: 0)
            repeat {
                let t0 = DispatchTime.now().uptimeNanoseconds
                app.tick()
                _ = app.render(into: &buffer, input: input)
                _ = buffer.changes(from: previous)
                previous = buffer
                let spent = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                Thread.sleep(forTimeInterval: max(0, 1.0 / 30 - spent))
            } while app.session.isBusy
            app.tick()
        } else {
            app.runner.submit(typed: "train epochs=\(recipe.epochs)")
            _ = app.runner.runToCompletion()
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard let run = app.session.display.currentRun, run.status == .finished else {
            throw Failed(description: "\(w.name): the run did not finish: \(lines.suffix(3))")
        }
        let batch = Double(w.batchSize)
        let samples = Double(run.updates) * batch
        let rate = w.unit == .samples ? samples / seconds : Double(run.updates) / seconds
        /// The seconds in a line's brackets: `[4.0 s, …]` or `[1.5 min, …]`.
        func bracketed(_ prefix: String) -> Double? {
            guard let line = lines.first(where: { $0.contains(prefix) }), let open = line.range(of: "[") else { return nil }
            let rest = line[open.upperBound...]
            guard let value = Double(rest.prefix { $0.isNumber || $0 == "." }) else { return nil }
            return rest.drop { $0.isNumber || $0 == "." }.hasPrefix(" min") ? value * 60 : value
        }
        return (rate, bracketed("estimated ["), bracketed(" finished: "), run.updates)
    }

    /// `rounds` interleaved rounds of the bare loop, headless and screen. The bare loop makes as
    /// many updates as the learner's run (80 % of the samples a epoch, `epochs` epochs), so both
    /// last as long and meet the same machine.
    static func run(_ w: Workload, rounds: Int) -> Result {
        var result = Result(workload: w)
        BLAS.setThreads(1)
        let trainer = recipe(w).bare?() ?? w.makeTrainer()
        // Warm-up (caches, page tables), which also counts the learner's updates.
        let updates = (try? learnerRun(w, screen: false).updates) ?? w.updatesPerRepetition(trainer)
        for _ in 0..<updates { _ = trainer.trainStep() }
        for _ in 0..<max(1, rounds) {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<updates { _ = trainer.trainStep() }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            do {   // a round counts only whole: its three rates are compared with each other
                let headless = try learnerRun(w, screen: false), screen = try learnerRun(w, screen: true)
                result.bare.append(Double(updates) * (w.unit == .samples ? Double(w.batchSize) : 1) / seconds)
                result.headless.append(headless.rate)
                result.screen.append(screen.rate)
                for (r, onScreen) in [(headless, false), (screen, true)] {
                    if let e = r.estimated, let a = r.actual { result.estimates.append((e, a, onScreen)) }
                }
            } catch {
                print("\(w.name): \(error)")
            }
        }
        return result
    }

    static func report(_ results: [Result]) -> String {
        var out = "## The learner's path: `train` through the session, headless and on the screen, beside the bare loop\n\n"
        out += "| workload | unit | bare loop | headless | ratio | screen (30 fps) | ratio | estimate / actual |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|\n"
        for r in results where !r.bare.isEmpty {
            let errors = r.estimates.map { $0.estimated / $0.actual }
            let estimate = errors.isEmpty ? "–" : "\(String(format: "%.2f", errors.min()!))–\(String(format: "%.2f", errors.max()!))"
            out += "| \(r.workload.name) | \(r.workload.unit.rawValue)/s | \(Int(median(r.bare))) | \(Int(median(r.headless))) "
                + "| \(String(format: "%.2f", r.medianRatioHeadless)) | \(Int(median(r.screen))) | \(String(format: "%.2f", r.medianRatioScreen)) "
                + "| \(estimate) |\n"
        }
        out += "\nThe bare loop on one thread, as many updates as the learner's run; the learner's path as `train` runs it "
            + "(one thread on fewer than \(ThreadBudget.wideCores) CPUs). Rates are medians of interleaved rounds; ratios are "
            + "medians of each round's ratio; the estimate is the cost line's time over the run's own.\n"
        for r in results where !r.bare.isEmpty {
            out += "bench learner \(r.workload.name) bare=\(Int(median(r.bare))) headless=\(Int(median(r.headless))) "
                + "screen=\(Int(median(r.screen))) ratio_headless=\(String(format: "%.3f", r.medianRatioHeadless)) "
                + "ratio_screen=\(String(format: "%.3f", r.medianRatioScreen))\n"
        }
        return out
    }
}

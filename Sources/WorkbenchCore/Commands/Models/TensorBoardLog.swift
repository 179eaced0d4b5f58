import Foundation
import NeuralEngine
import TensorBoardFormat
import ProtobufWire
import Training
import Models

/// TensorBoard's event files for runs, one folder per run (`DIR/run-3-fast`), written by the
/// session's thread from what the runs report (the engine knows nothing of it):
///
/// - scalars at each epoch, the step being the update count: `loss`, `val_loss` and
///   `val_<metric>` (epochs that validated), `lr`;
/// - histograms of each layer's weights and gradients (`dense1/weights`, `dense1/gradients`)
///   at each snapshot the run sends, from the health view's 16 bins (sums from bin centres);
///   `export tensorboard` writes the final weights' exact histograms instead;
/// - the set-up as text (`setup`), and the hyper-parameters dashboard's session start (the
///   set-up) and end (finished or not); the log folder itself gets the experiment that names
///   the hparams and metrics, so TensorBoard tabulates set-up against final metric across runs.
///
/// Files are appended record by record (TFRecord frames, each with its checksums), so a reader
/// sees every finished epoch even while the run trains.
final class TensorBoardLog {
    let folder: String
    /// Runs from this id on are logged.
    let firstRun: Int
    private var runs: [Int: RunLog] = [:]

    private final class RunLog {
        let file: FileHandle
        let path: String
        var epochs = 0
        var snapshotUpdate = -1
        var ended = false
        init(file: FileHandle, path: String) {
            self.file = file
            self.path = path
        }
    }

    static let hparamNames: [(String, HParams.Value)] = [("data", .text("")), ("model", .text("")), ("optimizer", .text("")),
                                                        ("lr", .number(0)), ("batch", .text("")), ("loss", .text("")),
                                                        ("seed", .number(0))]

    init(folder: String, firstRun: Int) throws(DescentError) {
        self.folder = folder
        self.firstRun = firstRun
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let experiment = try Self.open(folder: folder)
            let now = Date().timeIntervalSince1970
            let event = TensorBoardEvent.summary([HParams.experiment(hparams: Self.hparamNames, metrics: ["loss", "val_loss", "val_acc", "val_r2"],
                                                                     time: now)], step: 0, wallTime: now)
            try experiment.write(contentsOf: TFRecord.frame(event))
            try experiment.close()
        } catch {
            throw DescentError("log tensorboard: cannot write in \(folder): \(Self.reason(error))")
        }
    }

    /// The system's words for a failed write (`No space left on device`), not Foundation's.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        for candidate in [ns, ns.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        if let error = error as? DescentError { return error.message }
        let posix: [Int: Int32] = [NSFileNoSuchFileError: ENOENT, NSFileWriteNoPermissionError: EACCES,
                                   NSFileWriteOutOfSpaceError: ENOSPC, NSFileWriteVolumeReadOnlyError: EROFS]
        if ns.domain == NSCocoaErrorDomain, let code = posix[ns.code] { return String(cString: strerror(code)) }
        return ns.localizedDescription.trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    /// A new event file in `folder`, its first record the file version.
    static func open(folder: String) throws -> FileHandle {
        let now = Date()
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let name = TFRecord.fileName(time: Int(now.timeIntervalSince1970), host: String(cString: host), pid: getpid(),
                                     sequence: Int(now.timeIntervalSince1970 * 1e6) % 1_000_000)
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw DescentError("cannot create \(path)")
        }
        try file.write(contentsOf: TFRecord.frame(TensorBoardEvent.fileVersion(wallTime: now.timeIntervalSince1970)))
        return file
    }

    /// The folder of run `record`.
    func runFolder(_ record: RunRecord) -> String {
        URL(fileURLWithPath: folder).appendingPathComponent("run-\(record.id)" + (record.name.map { "-\($0)" } ?? "")).path
    }

    /// Writes what the runs reported since the last call; true when something was written.
    /// Throws (and the caller stops logging) when a file cannot be written.
    func write(records: [RunRecord], snapshot: (Int) -> RunSnapshot?) throws(DescentError) -> Bool {
        var wrote = false
        for record in records where record.id >= firstRun {
            if case .crossValidation = record.role { continue }
            let log: RunLog
            if let known = runs[record.id] { log = known } else {
                guard record.status != .ready || record.updates > 0 else { continue }
                do {
                    let path = runFolder(record)
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                    log = RunLog(file: try Self.open(folder: path), path: path)
                    try log.file.write(contentsOf: TFRecord.frame(Self.start(record)))
                } catch {
                    throw DescentError("log tensorboard: cannot write in \(folder): \(Self.reason(error)); logging stopped")
                }
                runs[record.id] = log
                wrote = true
            }
            guard !log.ended else { continue }
            var events: [[UInt8]] = []
            for epoch in record.epochHistory.dropFirst(log.epochs) { events.append(Self.scalars(epoch, metric: record.metricName)) }
            log.epochs = record.epochHistory.count
            if let snapshot = snapshot(record.id), snapshot.update > log.snapshotUpdate {
                log.snapshotUpdate = snapshot.update
                events.append(Self.histograms(snapshot.health, step: snapshot.update))
            }
            let ended = [.finished, .stopped, .diverged].contains(record.status)
            if ended {
                events.append(TensorBoardEvent.summary([HParams.sessionEnd(success: record.status == .finished, time: Date().timeIntervalSince1970)],
                                                       step: record.updates, wallTime: Date().timeIntervalSince1970))
            }
            guard !events.isEmpty else { continue }
            do {
                try log.file.write(contentsOf: events.flatMap(TFRecord.frame))
                if ended {
                    try log.file.close()
                    log.ended = true
                }
            } catch {
                throw DescentError("log tensorboard: cannot write \(log.path): \(Self.reason(error)); logging stopped")
            }
            wrote = true
        }
        return wrote
    }

    /// Closes every file (`log off`, quit).
    func close() {
        for log in runs.values where !log.ended { try? log.file.close() }
        runs = [:]
    }

    // MARK: - Events

    static func start(_ record: RunRecord) -> [UInt8] {
        let setup = record.setup
        // The whole set-up, defaults included, as the commands that rebuild it.
        var lines = ["seed \(setup.seed)", setup.data?.description ?? "data ?", "model \(record.modelName)", "loss \(record.loss.rawValue)",
                     "optimizer \(setup.optimizer.description)", "batch \(setup.batch.description)"]
        lines += setup.modelCommands.filter { line in !["model ", "loss ", "optimizer ", "batch "].contains { line.hasPrefix($0) } }
        let text = lines.joined(separator: "\n")
        let hparams: [(String, HParams.Value)] = [
            ("data", .text(record.dataName)), ("model", .text(record.modelName)), ("optimizer", .text(setup.optimizer.kind.rawValue)),
            // The rate as written (0.01, not the Float's 0.009999999776…).
            ("lr", .number(setup.optimizer.value(.lr).flatMap { Double("\($0)") } ?? .nan)), ("batch", .text(setup.batch.description)),
            ("loss", .text(record.loss.rawValue)), ("seed", .number(Double(setup.seed))),
        ]
        let now = Date().timeIntervalSince1970
        return TensorBoardEvent.summary([TensorBoardEvent.text("setup", "    " + text.replacingOccurrences(of: "\n", with: "\n    ")),
                                         HParams.sessionStart(hparams, time: now)], step: 0, wallTime: now)
    }

    static func scalars(_ epoch: EpochRecord, metric: String) -> [UInt8] {
        var values = [TensorBoardEvent.scalar("loss", epoch.trainLoss)]
        if epoch.isValidated {
            values.append(TensorBoardEvent.scalar("val_loss", epoch.validationLoss))
            values.append(TensorBoardEvent.scalar("val_" + metric, epoch.validationMetric))
        }
        if let lr = epoch.learningRate { values.append(TensorBoardEvent.scalar("lr", lr)) }
        return TensorBoardEvent.summary(values, step: epoch.update, wallTime: Date().timeIntervalSince1970)
    }

    /// The health view's bins as TensorBoard histograms (sums from the bins' centres).
    static func histograms(_ health: [LayerHealth], step: Int) -> [UInt8] {
        var values: [Protobuf] = []
        for layer in health {
            for (kind, bins) in [("weights", layer.weights), ("gradients", layer.gradients)] {
                guard let bins, bins.high > bins.low else { continue }
                let width = Double(bins.high - bins.low) / Double(bins.counts.count)
                let centres = bins.counts.indices.map { Double(bins.low) + (Double($0) + 0.5) * width }
                let counts = bins.counts.map(Double.init)
                let histogram = TensorBoardEvent.Histogram(
                    min: Double(bins.low), max: Double(bins.high), num: counts.reduce(0, +),
                    sum: zip(centres, counts).reduce(0) { $0 + $1.0 * $1.1 },
                    sumSquares: zip(centres, counts).reduce(0) { $0 + $1.0 * $1.0 * $1.1 },
                    limits: counts.indices.map { Double(bins.low) + Double($0 + 1) * width }, counts: counts)
                values.append(TensorBoardEvent.histogram("\(layer.layer)/\(kind)", histogram))
            }
        }
        return TensorBoardEvent.summary(values, step: step, wallTime: Date().timeIntervalSince1970)
    }

    /// A finished run's whole log at once (`export tensorboard`): its set-up, every epoch, the
    /// exact histograms of its final weights (`weights`, by name) and its end.
    static func export(_ record: RunRecord, weights: [(name: String, values: [Float])], into folder: String) throws(DescentError) -> String {
        let log: TensorBoardLog
        let runPath: String
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            log = try TensorBoardLog(folder: folder, firstRun: record.id)
            runPath = log.runFolder(record)
            try FileManager.default.createDirectory(atPath: runPath, withIntermediateDirectories: true)
            let file = try open(folder: runPath)
            var events = [start(record)] + record.epochHistory.map { scalars($0, metric: record.metricName) }
            events.append(TensorBoardEvent.summary(weights.map { TensorBoardEvent.histogram($0.name, TensorBoardEvent.Histogram(of: $0.values)) },
                                                   step: record.updates, wallTime: Date().timeIntervalSince1970))
            events.append(TensorBoardEvent.summary([HParams.sessionEnd(success: record.status == .finished || record.status == .loaded,
                                                                       time: Date().timeIntervalSince1970)],
                                                   step: record.updates, wallTime: Date().timeIntervalSince1970))
            try file.write(contentsOf: events.flatMap(TFRecord.frame))
            try file.close()
        } catch let error as DescentError {
            throw error
        } catch {
            throw DescentError("export tensorboard: cannot write in \(folder): \(reason(error))")
        }
        return runPath
    }
}

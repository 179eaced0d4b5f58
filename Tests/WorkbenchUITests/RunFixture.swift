import TestSupport
import Testing
import Foundation
import TensorCore
import NeuralEngine
import Training
import TerminalUI
@testable import WorkbenchCore
@testable import WorkbenchUI

/// A run's state recorded once from real training, so that screen tests draw the same numbers on
/// every machine. Trained numbers differ in their last bits between CPUs (OpenBLAS picks its
/// kernel by CPU, and training amplifies the difference), so a screen test never trains: it sets
/// up data and model for real (both are exact everywhere), then adopts this recorded state.
///
/// `RECORD_FIXTURES=1` trains for real and rewrites the file; the test then fails, so nothing is
/// accepted silently (rerun without it, then re-record the snapshots with `RECORD_SNAPSHOTS=1`).
struct RunFixture: Codable {
    /// What the REPL printed while the recorded commands ran.
    var output: [OutputLine]
    /// Every run record of the session, the current one last.
    var runs: [RunRecord]
    /// The current run's latest snapshot (what the panes draw).
    var snapshot: RunSnapshot?
    /// The current run's weights, by `watch` name.
    var weights: [String: Tensor]
    /// What the panes show beyond the runs: the runs overlaid, the last `lr find`, a rewound
    /// epoch, the unit and attention in view, the samples picked out.
    var views: ViewState
}

/// A screen test's session: set-up commands that run for real, training commands replaced by a
/// recorded `RunFixture`, then commands that run for real on the adopted state.
struct Scenario {
    var fixture: String
    var setup: [String]
    var training: [String]
    var after: [String] = []
}

let fixtureFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

@MainActor
func fixtureApp(_ scenario: Scenario, theme: String = "default") -> WorkbenchApp {
    let app = scriptedApp(scenario.setup, theme: theme)
    let file = fixtureFolder.appendingPathComponent(scenario.fixture + ".json")
    if ProcessInfo.processInfo.environment["RECORD_FIXTURES"] == "1" {
        let mark = app.output.count
        for line in scenario.training { run(line, in: app) }
        let fixture = RunFixture(output: Array(app.output[mark...]), runs: app.session.display.records,
                                 snapshot: app.session.display.latestSnapshot,
                                 weights: app.session.bench.runs.current?.trainer.model.parameterValues ?? [:],
                                 views: app.session.display.views)
        do {
            try FileManager.default.createDirectory(at: fixtureFolder, withIntermediateDirectories: true)
            try RunFixture.encoder.encode(fixture).write(to: file, options: .atomic)
            Issue.record("recorded \(file.path); rerun without RECORD_FIXTURES")
        } catch {
            Issue.record("could not record \(file.path): \(error)")
        }
    } else {
        do {
            let fixture = try JSONDecoder.fixtures.decode(RunFixture.self, from: Data(contentsOf: file))
            try app.adopt(fixture)
        } catch {
            Issue.record("fixture \(file.path): \(error); record it with RECORD_FIXTURES=1")
        }
    }
    for line in scenario.after { run(line, in: app) }
    return app
}

@MainActor
private func run(_ line: String, in app: WorkbenchApp) {
    app.submit(line)
    #expect(app.runner.runToCompletion(timeout: testTimeout), "\(line) did not finish")
    app.tick()
}

extension RunFixture {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()
}

extension JSONDecoder {
    static let fixtures: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()
}

extension WorkbenchApp {
    /// Takes over a recorded run: its records, weights, snapshot, selection and REPL lines.
    func adopt(_ fixture: RunFixture) throws {
        try session.adopt(fixture)
        for line in fixture.output { append(line) }
        tick()
    }
}

extension Session {
    /// The recorded runs become this session's, the last one current with the recorded weights
    /// (when it had a model of its own), as if the session had trained them: ended, so `step`
    /// goes on with it by hand. The views are the recorded ones.
    func adopt(_ fixture: RunFixture) throws {
        guard let data = bench.data, let last = fixture.runs.last else { return }
        var rng = SeededGenerator(seed: 0)
        let factory = bench.factory
        let made = try factory.trainer(for: data, rng: &rng)
        if !fixture.weights.isEmpty { try made.trainer.model.setParameterValues(fixture.weights) }
        let run = Run(id: last.id, trainer: made.trainer, data: data,
                      training: factory.training(made.trainer, data: data, epochs: 0, paused: true),
                      experiment: SingleRun())
        bench.runs.adopt(fixture.runs, current: run, snapshot: fixture.snapshot)
        bench.views = fixture.views
    }
}

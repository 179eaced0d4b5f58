import Testing
import NeuralEngine
import CommandLanguage
import Models
@testable import Training
@testable import WorkbenchCore

/// `lr=1e6` on every model preset with every optimizer: the run stops at the first non-finite
/// loss or gradient (or a loss exploding past its start), says so, and the weights it keeps are
/// finite, so the learner can lower the rate and go on.
@Suite struct DivergenceTests {
    static let presets: [(data: String, model: String)] = [
        ("linear", "linear"), ("moons", "logistic"), ("iris", "softmax"), ("moons", "svm"),
        ("spiral", "mlp 16,16"), ("digits", "cnn"), ("reviews", "textcls"), ("sequence", "rnn"),
        ("sort", "gpt layers=1 heads=1 width=12"),
    ]

    @Test(arguments: OptimizerKind.allCases)
    func aHugeRateStopsWithFiniteWeights(_ optimizer: OptimizerKind) {
        for (data, model) in Self.presets {
            let (session, _, t) = scriptedSession("seed 1\ndata \(data)\nmodel \(model)\noptimizer \(optimizer.rawValue) lr=1e6\ntrain epochs=2")
            let label = "\(model) on \(data) with \(optimizer)"
            #expect(t.errors.isEmpty, "\(label): \(t.errors)")
            #expect(session.display.records.first?.status == .diverged, "\(label): \(t.text.suffix(400))")
            #expect(t.lines.contains { $0.kind == .warning && $0.text.contains("diverged at update") }, "\(label)")
            let weights = session.bench.runs.current?.trainer.model.parameterValues ?? [:]
            #expect(!weights.isEmpty, "\(label)")
            for (name, tensor) in weights {
                #expect(tensor.scalars.allSatisfy { $0.isFinite }, "\(label): \(name) holds a non-finite value")
            }
            #expect(!session.isBusy)
        }
    }
}

/// What a learner hit: a blow-up that stays finite, and the way back.
@Suite struct BlowUpTests {
    /// Moons, tanh, momentum 0.9: 200 good updates, then `set lr 500` saturates every unit (a
    /// finite loss of hundreds, gradient 0). The run catches it, goes back to the weights from
    /// before the change and says so; at lr 0.1 it trains on sanely.
    @Test func aFiniteBlowUpIsCaughtAndTheRunRecovers() throws {
        let (session, _, t) = scriptedSession("""
            seed 1
            data moons n=300
            model mlp 8 act=tanh
            optimizer momentum lr=0.1 momentum=0.9
            step 200
            expect train.loss < 0.3
            set lr 500
            step 50
            set lr 0.1
            step 50
            expect train.loss < 0.3
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        let warning = try #require(t.lines.first { $0.kind == .warning && $0.text.contains("diverged at update") })
        #expect(warning.text.contains("The weights of update 200 are back"), "\(warning.text)")
        #expect(session.display.records.count == 1, "one run throughout")
    }

    /// Lesson 2's divergence cell, stepped by hand (the run waits after the blow-up): every pane
    /// shows the weights that came back, not the blow-up. The status line's loss is theirs, the
    /// model pane's gradient norms are theirs, the contour's current point is theirs and its
    /// window frames the sane part of the path; the blow-up stays marked on the loss chart.
    @Test func afterADivergenceEveryPaneShowsTheWeightsThatCameBack() throws {
        let (session, _, t) = scriptedSession("seed 7\ndata linear n=200 noise=0.1\nmodel linear\nbatch full\noptimizer gd lr=1.1\nstep 60")
        let warning = try #require(t.lines.first { $0.kind == .warning && $0.text.contains("diverged at update") })
        let record = try #require(session.display.currentRun)
        let back = try #require(record.cameBack, "\(warning.text)")
        #expect(warning.text.contains("loss \(fmt(back.loss))"), "the status line and the message agree: \(warning.text)")
        #expect(record.markers.contains { $0.label == "diverged" && $0.update == back.caughtAt })
        let model = try #require(session.bench.runs.current?.trainer.model)
        let last = try #require(record.path.points.last)
        #expect(last.w == model.parameters[0].value.scalars[0] && last.b == model.parameters[1].value.scalars[0],
                "the contour's current point is the weights that came back")
        let summary = try #require(session.display.latestSnapshot?.summary)
        #expect(summary.rows.allSatisfy { $0.gradientNorm.isFinite && $0.gradientNorm < 50 },
                "the gradients of the weights that came back: \(summary.rows.map(\.gradientNorm))")
        let framed = Display.framedPoints(record)
        let reach = framed.map { abs(Double($0.w)) + abs(Double($0.b)) }.max() ?? 0
        #expect(reach < 20, "the window frames the sane path, not the blow-up (\(reach))")
        #expect(record.path.points.count > framed.count, "the blow-up is still on the path")
    }

    /// `undo` takes back the last `set`: the weights, the optimizer's state and the rate come back
    /// exactly; a second `undo` has nothing to take back.
    @Test func undoTakesBackTheLastSet() throws {
        let (session, runner, t) = scriptedSession("""
            seed 2
            data moons n=300
            model mlp 8 act=tanh
            optimizer momentum lr=0.1
            step 100
            """)
        let before = try #require(session.bench.runs.current?.trainer.model.parameterValues)
        for line in ["set lr 3", "step 20", "undo", "undo"] { #expect(runner.submit(typed: line) || line == "undo") }
        let run = try #require(session.bench.runs.current)
        #expect(run.trainer.model.parameterValues == before && run.trainer.learningRate == 0.1)
        #expect(t.text.contains("undo: run 1 is back as it was at update 100, before its last change: its weights, its optimizer's state and lr 0.1"), "\(t.text)")
        #expect(t.text.contains("undo: run 1 has no change to take back"))
        #expect(session.display.currentRun?.markers.contains { $0.label == "undo" } == true, "marked on the chart")
    }

    /// Help states the rule, with the guard's own numbers.
    @Test func helpStatesTheDivergenceRule() {
        let rule = CommandTable.divergenceRule
        #expect(rule.contains("\(DivergenceGuard.window) updates") && rule.contains("\(Int(DivergenceGuard.factor)) times"))
        let help = (Help.text(for: "undo") ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("16 updates above both 10 times"), "\(help)")
    }
}

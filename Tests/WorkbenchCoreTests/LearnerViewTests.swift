import Testing
import Foundation
import TestSupport
import TensorCore
import NeuralEngine
import Training
@testable import WorkbenchCore
import Models

/// The learner's views (issue 11): each checked against the engine or an independent
/// computation, never against trained numbers of one machine.
@Suite struct LearnerViewTests {
    /// The bits of every weight of a model, by name.
    static func bits(_ model: Sequential) -> [String: [UInt32]] {
        model.parameterValues.mapValues { $0.scalars.map(\.bitPattern) }
    }

    /// Every racer starts from the same weights and sees the same batches: the first update's
    /// loss (computed before any weight moves) is the same for all, and two racers with the same
    /// optimizer draw the same curve.
    @Test func racersStartFromTheSameWeightsOnTheSameBatches() throws {
        let (session, _, t) = scriptedSession("seed 3\ndata moons\nmodel mlp 8 act=tanh\ncompare sgd sgd momentum adam epochs=3")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let racers = session.display.records.filter { $0.role == .racer }
        try #require(racers.count == 4)
        let firsts = racers.map { $0.lossHistory.buckets.first?.last }
        #expect(firsts.allSatisfy { $0 != nil && $0 == firsts[0] }, "\(firsts)")
        #expect(racers[0].epochHistory == racers[1].epochHistory && racers[0].lossHistory == racers[1].lossHistory)
        #expect(racers[0].epochHistory != racers[3].epochHistory, "adam takes another path")
        #expect(session.display.shownRuns.map(\.id) == racers.map(\.id))
    }

    /// `gradcheck` prints the engine's own check, and leaves every weight as it was.
    @Test func gradcheckAgreesAndLeavesTheWeights() throws {
        let (session, _, t) = scriptedSession("seed 5\ndata moons\nmodel mlp 4 act=tanh\nstep 3")
        let model = try #require(session.bench.runs.current?.trainer.model)
        let before = Self.bits(model)
        #expect(session.execute(line: "gradcheck dense1.w[2,1]"))
        #expect(Self.bits(model) == before, "finite differences put every weight back")
        let entry = try #require(try session.bench.runs.current?.trainer.gradientCheck(parameter: 0, elements: [model.layers[0].parameters[0].value.shape[1]]).first)
        let row = try #require(t.lines.first { $0.text.hasPrefix("dense1.w[2,1]") }?.text)
        #expect(row.contains(fmt(entry.analytic)) && row.contains(fmt(entry.numeric)), "\(row) vs \(entry)")
        #expect(t.text.contains("✓ backprop agrees with finite differences"))
    }

    /// `lr find` works on a copy: the run's weights, and the weights the next run starts from,
    /// are bit for bit what they were.
    @Test func lrFindLeavesTheWeightsBitIdentical() throws {
        let (session, _, t) = scriptedSession("seed 2\ndata spiral\nmodel mlp 8 act=tanh\nstep 5")
        let model = try #require(session.bench.runs.current?.trainer.model)
        let before = Self.bits(model)
        #expect(session.execute(line: "lr find"), "\(t.errors)")
        #expect(Self.bits(model) == before)
        #expect(session.display.views.lrFind != nil && t.text.contains("suggested lr"))
        // Before any run: the next run's first weights do not move either.
        let (fresh, _, _) = scriptedSession("seed 2\ndata spiral\nmodel mlp 8 act=tanh")
        let preview = Self.bits(try fresh.bench.previewModel())
        #expect(fresh.execute(line: "lr find"))
        #expect(Self.bits(try fresh.bench.previewModel()) == preview)
        let (plain, _, _) = scriptedSession("seed 2\ndata spiral\nmodel mlp 8 act=tanh")
        #expect(fresh.execute(line: "step 1") && plain.execute(line: "step 1"))
        #expect(fresh.display.currentRun?.lossHistory == plain.display.currentRun?.lossHistory, "lr find drew nothing from the session's generator")
    }

    /// Early stopping ends at the best validation loss and comes back to those weights: the
    /// final evaluation is the best epoch's, exactly.
    @Test func earlyStoppingRestoresTheBestWeights() throws {
        let (session, _, t) = scriptedSession("""
            seed 4
            data moons n=80 noise=0.35
            model mlp 64,64
            optimizer adam lr=0.05
            train epochs=300 patience=5
            """)
        let record = try #require(session.display.currentRun)
        let best = try #require(record.bestEpoch)
        #expect(record.epochs < 300, "it stopped early: \(t.text)")
        let bestLoss = record.epochHistory.map(\.validationLoss).min()
        #expect(record.epochHistory.first { $0.epoch == best }?.validationLoss == bestLoss)
        #expect(record.validationEvaluation?.loss == bestLoss, "the final figures are the best epoch's weights'")
        #expect(t.text.contains("epoch \(best)"))
    }

    /// `rewind` shows a kept epoch as it was: its validation loss is the one logged then.
    @Test func rewindShowsAKeptEpochAsItWas() throws {
        let (session, _, _) = scriptedSession("seed 6\ndata spiral\nmodel mlp 8 act=tanh\ntrain epochs=12")
        #expect(session.execute(line: "rewind 6"))
        let rewound = try #require(session.display.views.rewound)
        let logged = try #require(session.display.currentRun?.epochHistory.first { $0.epoch == rewound.epoch })
        #expect(session.display.latestSnapshot?.validation?.loss == logged.validationLoss)
        #expect(session.execute(line: "rewind off") && session.display.views.rewound == nil)
    }

    /// `show unit` draws exactly tanh(x·W + b) of that unit over the probe grid.
    @Test func aUnitsPictureIsItsOwnActivation() throws {
        let (session, _, t) = scriptedSession("seed 8\ndata spiral\nmodel mlp 8,8 act=tanh\nstep 20\nshow unit 1 3")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let unit = try #require(session.display.unitActivations)
        let probe = try #require(session.display.data?.probeGrid?.points)
        let dense = try #require(session.bench.runs.current?.trainer.model.layers[0])
        let w = dense.parameters[0].value, b = dense.parameters[1].value
        let units = w.shape[1]
        #expect(unit.layer == 0 && unit.unit == 2 && unit.bounds == -1...1 && unit.values.count == probe.rows)
        for p in stride(from: 0, to: probe.rows, by: 97) {
            var z = b.scalars[2]
            for i in 0..<probe.columns { z += probe.scalars[p * probe.columns + i] * w.scalars[i * units + 2] }
            #expect(abs(unit.values[p] - tanh(z)) < 1e-5)
        }
        #expect(t.text.contains("unit 3 of layer 1 (dense1, Dense 2→8 tanh)"))
        // The picture follows the run: another step, another snapshot.
        #expect(session.execute(line: "step 5"))
        #expect(session.display.unitActivations?.values != unit.values)
    }

    @Test(arguments: [
        ("show unit 3 1", "layer 3 is the output layer"),
        ("show unit 4 1", "the model has layers 1…3"),
        ("show unit 1 9", "layer 1 has units 1…8"),
    ])
    func unitErrorsSayWhatExists(line: String, message: String) {
        let (session, _, t) = scriptedSession("data spiral\nmodel mlp 8,8 act=tanh\nstep 1")
        #expect(!session.execute(line: line))
        #expect(t.errors.last?.contains(message) == true, "\(t.errors)")
    }

    @Test func aUnitNeedsAPlane() {
        let (session, _, t) = scriptedSession("data iris\nmodel mlp 8\nstep 1")
        #expect(!session.execute(line: "show unit 1 1"))
        #expect(t.errors.last?.contains("needs 2-D classification data") == true)
    }

    /// A run long enough gets its cost first, counted exactly, then its time, measured on its own
    /// first updates (at most 5 % of them and those before its first epoch line; a timing, in
    /// brackets), before its first epoch line; a short one
    /// gets neither.
    @Test func aLongRunSaysWhatItCostsFirst() throws {
        // mlp 8 on 2-D data: 2·8 + 8·1 multiply-adds a sample, ×3 with backward, batch 1.
        let (_, _, t) = scriptedSession("data spiral n=200\nmodel mlp 8\nbatch 1\nset pace max\ntrain epochs=700")
        let line = try #require(t.lines.first { $0.text.hasPrefix("cost:") }?.text)
        #expect(line == "cost: 33 parameters · 72 multiply-adds per update × 112,000 updates = 8.1M; the time follows its first 5,600 updates",
                "\(line)")
        let estimate = try #require(t.lines.firstIndex { $0.text.hasPrefix("run 1 estimated [") })
        let firstEpoch = try #require(t.lines.firstIndex { $0.text.hasPrefix("epoch ") })
        #expect(estimate < firstEpoch && t.lines[estimate].text.contains(" updates/s]"))
        let (_, _, short) = scriptedSession("data spiral n=200\nmodel mlp 8\ntrain epochs=5")
        #expect(!short.text.contains("cost:"))
    }

    /// Evaluation keeps to a few % of a run: one epoch of a 256-wide network over 32,000 samples
    /// validates each epoch on 1,000 of the 8,000 (a thirty-second of the epoch) and, at its end,
    /// reports the training and validation sets on 500 each (the two share that budget), says so
    /// before it starts and names it in the summary; a small network evaluates all.
    @Test func evaluationOfALargeSetIsASpreadSample() throws {
        let (session, _, t) = scriptedSession("seed 1\ndata spiral n=40000\nmodel mlp 256,256\nbatch 256\nset pace max\ntrain epochs=1")
        let said = try #require(t.lines.first { $0.text.hasPrefix("to keep evaluation") }?.text)
        #expect(said.contains("each epoch validates on 1,000 of its 8,000 samples") && said.contains("training set on 500 of its 32,000")
                && said.contains("the validation set on 500 of its 8,000"), "\(said)")
        let record = try #require(session.display.records.last)
        #expect(record.trainEvaluated == 500 && record.validationEvaluated == 500)
        #expect(t.text.contains("training set (500 of its samples, spread over it)") && t.text.contains("validation (500 of its samples, spread over it)"))
        let (small, _, s) = scriptedSession("data spiral n=20000\nmodel mlp 8\nset pace max\ntrain epochs=1")
        #expect(!s.text.contains("to keep evaluation") && s.text.contains("whole training set"))
        #expect(small.display.records.last?.trainEvaluated == nil)
    }

    /// A run of 400 epochs validates every second one (`ValidationStride`): each printed epoch
    /// has its validation, `show history` lists validated epochs, the last is validated, and
    /// `expect val.loss decreasing` reads the validated epochs; early stopping validates all.
    @Test func aLongRunValidatesEverySecondEpoch() throws {
        let (session, _, t) = scriptedSession("seed 2\ndata xor n=100\nmodel mlp 4\nset pace max\ntrain epochs=400")
        let record = try #require(session.display.records.last)
        #expect(record.epochHistory.count == 400)
        #expect(record.epochHistory.filter(\.isValidated).map(\.epoch) == Array(stride(from: 2, through: 400, by: 2)))
        let printed = t.lines.filter { $0.text.hasPrefix("epoch ") && $0.text.contains("/400") }
        #expect(printed.count == 10 && printed.allSatisfy { $0.text.contains("val loss") })
        #expect(session.execute(line: "show history"))
        let header = try #require(t.lines.lastIndex { $0.text.hasPrefix("epoch") && $0.text.contains("update") })
        #expect(t.lines[(header + 1)...].prefix(3).map { $0.text.split(separator: " ").first.map(String.init) } == ["2", "22", "42"])
        let (stopping, _, _) = scriptedSession("seed 2\ndata xor n=100\nmodel mlp 4\nset pace max\ntrain epochs=400 patience=1000")
        #expect(stopping.display.records.last?.epochHistory.allSatisfy(\.isValidated) == true)
    }

    /// A saturating start (`init=10` with tanh) shows in `show histograms` and is named.
    @Test func aSaturatingNetworkIsFlagged() {
        let (_, _, t) = scriptedSession("seed 1\ndata spiral\nmodel mlp 8 act=tanh init=10\nstep 1\nshow histograms")
        #expect(t.lines.contains { $0.kind == .warning && $0.text.contains("of its tanh outputs are saturated") }, "\(t.text)")
        let (_, _, healthy) = scriptedSession("seed 1\ndata spiral\nmodel mlp 8 act=tanh\nstep 1\nshow histograms")
        #expect(!healthy.lines.contains { $0.kind == .warning })
    }
}

@Suite struct RunsTableTests {
    /// `runs`: parameters, final losses and metric, and the time as a marked timing.
    @Test func runsListsWhatEachRunEndedWith() throws {
        let (_, _, t) = scriptedSession("seed 1\ndata spiral\nmodel mlp 8\ntrain epochs=3\nruns")
        let header = try #require(t.lines.first { $0.text.hasPrefix("run  status") }?.text)
        for column in ["params", "train loss", "val loss", "val", "time"] { #expect(header.contains(column)) }
        let row = try #require(t.lines.last { $0.text.hasPrefix("1 ") }?.text)
        #expect(row.contains(" 33 ") && row.contains("acc ") && row.hasSuffix(" s]"), "\(row)")
        #expect(!withoutTimings(row).contains("["), "the time is the only timing, and marked")
        let results = try #require(header.range(of: "val loss")).lowerBound, data = try #require(header.range(of: "data")).lowerBound
        #expect(results < data, "the results come before the set-up, so a narrow REPL keeps them")
    }

    /// Runs listed together say what else differs between them (L2, dropout, the seed …).
    @Test func runsSayWhatElseDiffers() throws {
        let (_, _, t) = scriptedSession("seed 1\ndata xor n=100\nmodel mlp 4\ntrain epochs=2 name=a\nregularize l2 0.01\ndropout 0.2\n"
                                        + "train epochs=2 name=b\nruns a b\nruns a")
        let header = try #require(t.lines.first { $0.text.hasPrefix("run  status") }?.text)
        #expect(header.hasSuffix("also differs"))
        #expect(t.lines.contains { $0.text.hasPrefix("2 b") && $0.text.hasSuffix("regularize l2 0.01 · dropout 0.2") }, "\(t.text)")
        #expect(t.lines.last?.text.hasPrefix("1 a") == true && !(t.lines.last?.text.contains("penalty") ?? true), "one run: nothing to compare")
    }
}

/// Before the first update the views that make sense show the next run: the bowl and where the
/// run will start, the boundary and a unit of its starting weights.
@Suite struct ViewsBeforeTheFirstUpdateTests {
    @Test func theContourShowsWhereTheNextRunStarts() throws {
        let (session, _, t) = scriptedSession("seed 1\ndata linear\nmodel linear\nshow contour")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.text.contains("J(w, b) of the next run (run 1, not started yet)") && t.text.contains("it starts at w "))
        let preview = try #require(session.display.preview)
        #expect(session.display.currentRun == nil && session.display.hasLossSurface)
        #expect(preview.record.path.points.count == 1 && preview.record.status == .ready)
        // The start shown is where `step` starts from, and looking drew nothing from the generator.
        let start = try #require(preview.record.path.points.first)
        #expect(session.execute(line: "step 1"))
        #expect(session.display.currentRun?.path.points.first == start)
        let (plain, _, _) = scriptedSession("seed 1\ndata linear\nmodel linear\nstep 1")
        #expect(plain.display.currentRun?.path.points == session.display.currentRun?.path.points)
    }

    @Test func theBoundaryAndAUnitOfTheStartingWeights() throws {
        let (session, _, t) = scriptedSession("seed 2\ndata spiral\nmodel mlp 8 act=tanh\nshow unit 1 3")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.text.contains("the next run's starting weights: unit 3 of layer 1"))
        let snapshot = try #require(session.display.latestSnapshot)
        let grid = try #require(session.display.data?.probeGrid)
        #expect(snapshot.probeOutput?.rows == grid.points.rows, "the boundary of the starting weights")
        #expect(session.display.unitActivations?.unit == 2 && session.display.unitActivations?.values.count == grid.points.rows)
        // The same as the first run's own snapshot before it moves: the weights it starts from.
        let model = try session.bench.previewModel()
        let expected = try model.predict(grid.points)
        #expect(snapshot.probeOutput == expected)
    }

    @Test func noPreviewWithoutAModelOrWhileARunIsCurrent() {
        let (data, _, _) = scriptedSession("data spiral")
        #expect(data.display.preview == nil)
        let (trained, _, _) = scriptedSession("data spiral\nmodel mlp 4\ntrain epochs=1")
        #expect(trained.display.preview == nil && trained.display.currentRun != nil)
    }
}

import Testing
import Foundation
import TestSupport
import NeuralEngine
import Training
@testable import WorkbenchCore

/// The run record's reducer, without threads: events in, record and notices out.
@Suite struct RunRecordReducerTests {
    func record() -> RunRecord {
        var r = RunRecord(id: 3, setup: .fresh, architecture: nil, loss: .bce, role: .single, plannedEpochs: 4,
                          metricName: "acc")
        r.reportEvery = 2
        return r
    }

    func event(_ kind: TrainingEvent.Kind, update: Int, epoch: Int = 0, loss: Float = 0.5) -> TrainingEvent {
        TrainingEvent(kind: kind, update: update, epoch: epoch, loss: loss, learningRate: 0.1, seconds: Double(update))
    }

    @Test func stepsFillTheHistoryAndChangesAreMarked() {
        var r = record()
        #expect(r.apply(event(.step, update: 1, loss: 0.7)).isEmpty)
        #expect(r.apply(event(.step, update: 2, loss: 0.6)).isEmpty)
        #expect(r.lossHistory.count == 2 && r.updates == 2 && r.seconds == 2 && r.learningRate == 0.1)
        var change = event(.changed, update: 2)
        change.setting = .learningRate
        change.oldValue = 0.1
        change.newValue = 0.01
        #expect(r.apply(change) == [.changed(run: 3, .learningRate, old: 0.1, new: 0.01, update: 2)])
        #expect(r.markers == [RunRecord.Marker(update: 2, label: "lr=0.01")])
        var pace = change
        pace.setting = .pace
        _ = r.apply(pace)
        #expect(r.markers.count == 1, "pace is not marked on the chart")
    }

    @Test func pausesAndDivergenceSetTheStatus() {
        var r = record()
        #expect(r.apply(event(.paused, update: 5, epoch: 1)) == [.paused(run: 3, update: 5, epoch: 1)])
        #expect(r.status == .paused)
        _ = r.apply(event(.resumed, update: 5))
        #expect(r.status == .training)
        var diverged = event(.diverged, update: 9, loss: .infinity)
        diverged.restoredUpdate = 8
        diverged.restoredLoss = 0.4
        diverged.restoredLearningRate = 0.05
        let notices = r.apply(diverged)
        #expect(r.status == .diverged)
        guard case .diverged(3, let d, .waitsPaused)? = notices.first else { Issue.record("\(notices)"); return }
        #expect(d.restored?.update == 8 && d.restored?.learningRate == 0.05 && d.learningRate == 0.1)
        var lost = diverged
        lost.restoredUpdate = -1
        guard case .diverged(_, let none, _)? = r.apply(lost).first else { Issue.record("no notice"); return }
        #expect(none.restored == nil)
    }

    @Test func epochsArePrintedEveryReportEveryAndAtThePlansEnd() {
        var r = record()
        var printed: [Int] = []
        for e in 1...5 {
            var epoch = event(.epoch, update: e * 10, epoch: e)
            epoch.validationLoss = 0.3
            epoch.validationMetric = 0.9
            for case .epoch(_, let line, _, _) in r.apply(epoch) { printed.append(line.epoch) }
        }
        #expect(printed == [2, 4], "every 2nd epoch; the plan ends at 4 (5 is past it and odd)")
        #expect(r.epochHistory.count == 5 && r.epochs == 5)
    }
}

/// Several runs at once, driven by the coordinator's threads.
@Suite struct RunCoordinatorTests {
    func session(_ script: String) -> Session {
        let (session, runner, _) = scriptedSession(script)
        #expect(runner.failures.isEmpty)
        return session
    }

    /// How a second concurrent run is started: two runs made from the set-up and launched one
    /// after the other train at once, on at most as many threads as cores, and each ends exactly
    /// as it does when the two train one after the other.
    @Test func twoConcurrentRunsEndAsTheyDoOneAfterTheOther() throws {
        let setUp = "seed 5\ndata moons n=300\nmodel mlp 8,8 act=tanh\noptimizer adam lr=0.02"
        let together = session(setUp)
        // 300 epochs: long enough that the first is still training when the second starts,
        // however loaded the machine running the tests is.
        let first = try together.training.newRun(epochs: 300, paused: false)
        together.bench.runs.start(first)
        let second = try together.training.newRun(epochs: 300, paused: false)
        together.bench.runs.start(second)
        #expect(together.bench.runs.drivenRuns.map(\.id) == [1, 2], "both train at once")
        #expect(together.bench.runs.pool.threads <= together.bench.runs.budget.cores)
        #expect(waitUntil(seconds: testTimeout) { together.poll(); return !together.isBusy }, "the runs did not end")

        let apart = session(setUp)
        for _ in 0..<2 {
            let run = try apart.training.newRun(epochs: 300, paused: false)
            apart.bench.runs.start(run)
            #expect(waitUntil(seconds: testTimeout) { apart.poll(); return !apart.isBusy })
        }
        for id in [1, 2] {
            let a = together.display.records[id - 1], b = apart.display.records[id - 1]
            #expect(a.status == .finished && b.status == .finished)
            #expect(a.epochHistory.map(\.trainLoss.bitPattern) == b.epochHistory.map(\.trainLoss.bitPattern), "run \(id)")
        }
        #expect(together.display.records[0].epochHistory.map(\.trainLoss) != together.display.records[1].epochHistory.map(\.trainLoss),
                "two runs, two initial weights")
    }

    /// A set-up change lets the current run go: panes and `show` then say there is no run for
    /// this set-up (it used to show the previous run above new data).
    @Test func aSetUpChangeLeavesNoCurrentRun() {
        let (session, _, t) = scriptedSession("data xor\nmodel mlp 8\ntrain epochs=2\ndata digits\nshow confusion")
        #expect(session.display.currentRun == nil)
        // What the panes draw is the next run's start, never the old run on the new data.
        #expect(session.display.latestSnapshot == session.display.preview?.snapshot && session.display.latestSnapshot?.update == 0)
        #expect(session.display.records.count == 1, "the old run's record stays")
        #expect(t.text.contains("the set-up changed after run 1, so its model is gone"))
    }
}

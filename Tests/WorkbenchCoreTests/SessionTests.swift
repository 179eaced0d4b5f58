import TestSupport
import Testing
import Foundation
@testable import WorkbenchCore
import CommandLanguage

/// A session whose output is collected for assertions.
final class Transcript: @unchecked Sendable {
    var lines: [OutputLine] = []
    var text: String { lines.map(\.text).joined(separator: "\n") }
    var errors: [String] { lines.filter { $0.kind == .error }.map(\.text) }
}

func scriptedSession(_ script: String, stopOnFailure: Bool = false) -> (Session, ScriptRunner, Transcript) {
    let transcript = Transcript()
    let session = Session { transcript.lines.append($0) }
    let runner = ScriptRunner(session: session, stopOnFailure: stopOnFailure)
    runner.enqueue(script: script, file: "test")
    #expect(runner.runToCompletion(timeout: testTimeout), "the script did not finish: \(script)")
    return (session, runner, transcript)
}

@Suite struct SessionCommandTests {
    @Test func aBatchAsLargeAsTheDataSaysItIsFullBatch() {
        let (_, _, t) = scriptedSession("data iris\nbatch 100000000\nmodel softmax\ntrain epochs=2")
        #expect(t.text.contains("batch 100000000: as large as the training set (120 samples)"))
        #expect(t.text.contains("(1 update each: the batch is the whole training set)") && !t.text.contains("1 updates"))
    }

    @Test func showAfterASetUpChangeSaysWhyThereIsNoModel() {
        let (_, _, t) = scriptedSession("data xor\nmodel mlp 8\ntrain epochs=2\nbatch 16\nshow confusion")
        #expect(t.text.contains("the set-up changed after run 1, so its model is gone: `train` makes a new run"), "\(t.text)")
        let (_, _, fresh) = scriptedSession("data xor\nshow confusion")
        #expect(fresh.text.contains("no run yet: try `train`"))
    }

    /// A paused background run keeps its set-up: `model` and friends are refused (the model pane
    /// used to show the new model while `resume` went on training the old one); `set` still works.
    @Test func setUpCommandsWaitForTheRunToStop() {
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        for line in ["data xor", "model mlp 8", "set pace 20", "train epochs=100", "pause"] {
            #expect(session.execute(line: line), "\(line)")
        }
        #expect(session.isBusy)
        #expect(!session.execute(line: "model mlp 4"))
        #expect(!session.execute(line: "optimizer sgd"))
        #expect(transcript.text.contains("model: a run is still training (or paused) on the current set-up: `stop` it first"))
        #expect(session.execute(line: "set lr 0.05"))
        #expect(session.execute(line: "stop"))
        #expect(waitUntil { session.poll(); return !session.isBusy }, "the run did not stop")
        #expect(session.execute(line: "model mlp 4"))
    }

    /// A model still training cannot be saved, predicted with or exported yet; the refusal
    /// names the command that asked (it used to say "then save" to `predict` and `serve`).
    @Test func usingAModelThatStillTrainsNamesTheCommand() {
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        // 10 epochs of 4 updates at 5 a second: 8 s of training, the first epoch line after 0.8 s.
        for line in ["data iris", "model mlp 4", "set pace 5", "train epochs=10"] {
            #expect(session.execute(line: line), "\(line)")
        }
        #expect(waitUntil { session.poll(); return transcript.text.contains("epoch 1/10 ") }, "no epoch ended")
        for (line, command) in [("save iris-mlp", "save"), ("predict 5.1 3.5 1.4 0.2", "predict"),
                                ("export keras model.py", "export keras")] {
            #expect(!session.execute(line: line), "\(line)")
            #expect(transcript.text.contains("run 1 is still training: wait for it to end, or `stop` it, then `\(command)`"),
                    "\(transcript.text)")
        }
        #expect(session.execute(line: "stop"))
        #expect(waitUntil { session.poll(); return !session.isBusy }, "the run did not stop")
    }

    /// `step` on a finished run goes on by hand past its planned epochs; the epoch lines then
    /// count on ("epoch 3"), not "epoch 3/2"; a run made for stepping has no plan ("epoch 1").
    /// `train epochs=N` after `step` ends the run at epoch N, the stepped epochs included.
    @Test func epochLinesPastThePlanHaveNoDenominator() {
        let (_, _, t) = scriptedSession("data xor\nmodel mlp 8\nstep 12\ntrain epochs=2\nstep 25")
        #expect(t.text.contains("epoch 1  loss"), "\(t.text)")
        #expect(t.text.contains("goes on from update 12 to epoch 2"))
        #expect(t.text.contains("epoch 2/2  loss"))   // 12 steps were epoch 1 and 2 updates of epoch 2
        #expect(t.text.contains("epoch 3  loss") && t.text.contains("epoch 4  loss"))
        #expect(!t.text.contains("/0  loss") && !t.text.contains("epoch 3/2"))
    }

    /// A full-batch run stepped once then trained for 100 epochs ends at epoch 100, as asked
    /// (it used to print "epoch 101/101").
    @Test func trainAfterAStepEndsAtTheEpochAsked() {
        let (session, _, t) = scriptedSession("data linear\nmodel linear\noptimizer gd lr=0.1\nstep 1\ntrain epochs=100")
        #expect(t.text.contains("epoch 100/100  loss") && !t.text.contains("/101"), "\(t.text)")
        #expect(session.display.records.first?.epochs == 100)
    }

    @Test func missingPiecesSayWhatToDo() {
        let (_, runner, t) = scriptedSession("train\ndata xor\ntrain\nstep")
        #expect(t.errors.count == 3)
        #expect(t.errors[0].contains("no data yet: try `data spiral`"))
        #expect(t.errors[1].contains("no model yet"))
        #expect(t.errors[0].hasPrefix("test:1:1:"))
        #expect(runner.failures.count == 3)
    }

    @Test func typosGetSuggestionsAndChangeNothing() {
        let (session, _, t) = scriptedSession("optimizer sgd lr=0.5\noptimzer adam\noptimizer adma\noptimizer adam lrr=0.1")
        #expect(t.errors.count == 3)
        #expect(t.errors[0].contains("did you mean 'optimizer'"))
        #expect(t.errors[1].contains("did you mean 'adam'"))
        #expect(t.errors[2].contains("lr"))
        #expect(session.display.setup.optimizer == .sgd(lr: 0.5))
    }

    @Test func modelMustFitTheData() {
        let (session, _, t) = scriptedSession("data linear\nmodel logistic\nmodel svm\nmodel linear")
        #expect(t.errors.count == 2)
        #expect(t.errors[0].contains("regression"))
        if case .linear? = session.display.modelSpec?.kind {} else { Issue.record("model linear not kept") }
    }

    @Test func trainingProducesRunsAndExpectationsCheck() {
        let (session, runner, t) = scriptedSession("""
            seed 1
            data xor n=200
            model mlp 8 act=tanh
            optimizer adam lr=0.05
            train epochs=30
            expect val.acc > 0.9
            expect train.loss decreasing
            expect val.acc > 1.5
            expect val.r2 > 0
            """)
        #expect(session.display.records.count == 1 && session.display.records[0].status == .finished)
        #expect(session.display.records[0].epochHistory.count == 30)
        #expect(t.text.contains("✓ val.acc > 0.9"))
        #expect(runner.failures.count == 2)
        #expect(t.errors[0].contains("test:8:1: expect failed: val.acc > 1.5"))
        #expect(t.errors[1].contains("has no val.r2"))
    }

    @Test func watchAndStepExplain() {
        let (session, _, t) = scriptedSession("""
            data gauss n=100
            model logistic
            optimizer sgd lr=0.5
            watch dense1.w[2,1]
            step 2
            watch dense7.w
            watch dense1.w[5,0]
            """)
        #expect(session.display.records.first?.updates == 2)
        #expect(t.text.contains("update 2 · dense1.w[2,1]: "))
        #expect(t.text.contains(" − 0.5 × "))
        #expect(t.errors.count == 2)
        #expect(t.errors[0].contains("no layer 'dense7'"))
        #expect(t.errors[1].contains("outside"))
    }

    @Test func divergenceInAScriptStopsTheRunAndSaysSo() {
        let (session, _, t) = scriptedSession("data linear\nmodel linear\noptimizer gd lr=5\ntrain epochs=200")
        #expect(session.display.records[0].status == .diverged)
        #expect(t.lines.contains { $0.kind == .warning && $0.text.contains("diverged at update") })
        #expect(!session.isBusy)
    }

    @Test func liveRunTakesSetLearningRateAndMarksIt() throws {
        let t = Transcript()
        let session = Session { t.lines.append($0) }
        for line in ["data xor", "model mlp 8 act=tanh", "set pace 2000", "train epochs=20"] {
            #expect(session.execute(line: line))
        }
        #expect(session.isBusy)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(session.execute(line: "set lr 0.002"))
        #expect(waitUntil { session.poll(); return !session.isBusy }, "the run did not finish")
        session.poll()
        let run = try #require(session.display.records.first)
        #expect(run.markers.map(\.label) == ["lr=0.002"])
        #expect(t.lines.contains { $0.kind == .change && $0.text.hasPrefix("lr 0.01 → 0.002 (applied at update") })
        #expect(run.status == .finished)
    }
}

/// One counting rule for everything a learner types and reads (`Help.countingRule`): from 1.
@Suite struct CountingRuleTests {
    @Test func weightsCountFromOneAndAZeroIsReadAsCountingFromZero() throws {
        let (session, _, t) = scriptedSession("seed 1\ndata xor\nmodel mlp 4\nwatch dense1.w[2,3]\nstep 1")
        #expect(t.text.contains("update 1 · dense1.w[2,3]:"), "\(t.text)")
        let run = try #require(session.bench.runs.current)
        #expect(try WatchTarget("dense1.w[2,3]")!.resolve(in: run.trainer.model) == (0, 1 * 4 + 2))
        let (_, _, zero) = scriptedSession("seed 1\ndata xor\nmodel mlp 4\nwatch dense1.w[0,0]\nstep 1")
        #expect(zero.text.contains("watching dense1.w[1,1]: `step` explains how it moves (read as counting from 0; Descent counts from 1, so this is dense1.w[1,1])"))
        #expect(zero.text.contains("update 1 · dense1.w[1,1]:"))
        let (_, _, outside) = scriptedSession("seed 1\ndata xor\nmodel mlp 4\nstep 1\nwatch dense1.w[3,1]")
        #expect(outside.errors.first?.contains("rows and columns from 1 to [2,4]; [3,1] is outside it") == true, "\(outside.errors)")
    }

    @Test func samplesAndClassesFollowTheRule() {
        let (_, _, data) = scriptedSession("data iris\nshow data")
        #expect(data.lines.contains { $0.text.hasPrefix("#1 ") }, "the first row is #1")
        let (_, _, iris) = scriptedSession("seed 1\ndata iris\nmodel softmax\ntrain epochs=5\nshow misclassified 1 1")
        #expect(iris.errors.isEmpty && iris.text.contains("true setosa, predicted setosa"), "\(iris.errors)")
        let help = Help.overview().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("Descent counts from 1: layers") && help.contains("dense1.w[1,1] is the first weight"))
    }
}

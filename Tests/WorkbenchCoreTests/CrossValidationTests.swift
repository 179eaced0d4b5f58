import TestSupport
import Testing
import Foundation
@testable import WorkbenchCore
import CommandLanguage
import Models

/// `cv k=…`: stratified folds, each a background run of a fresh model; output repeatable for a
/// seed; mean ± std per metric; the pooled out-of-fold result for `show confusion` and `expect`.
@Suite struct CrossValidationTests {
    static let iris = "seed 42\ndata iris\nmodel softmax\noptimizer adam lr=0.05\ncv k=5 epochs=40"

    /// The transcript without timings, which are the only part allowed to differ between runs.
    static func withoutTimings(_ t: Transcript) -> String {
        TestSupport.withoutTimings(t.text)
    }

    /// After `cv` no fold is the current model: `predict` and `save` say which to reopen.
    @Test func afterCrossValidationPredictSaysWhichModelToReopen() throws {
        let (_, _, t) = scriptedSession(Self.iris + "\npredict 5.1 3.5 1.4 0.2")
        #expect(t.text.contains("`cv` trained a model per fold and none is the current one: `reopen N` a fold's run"), "\(t.text)")
    }

    @Test func foldsReportMeanAndDeviation() throws {
        let (session, runner, t) = scriptedSession(Self.iris + "\nexpect val.acc > 0.93\nexpect train.loss decreasing")
        #expect(runner.failures.isEmpty, "\(t.errors)")
        #expect(!session.isBusy)
        #expect(session.display.records.count == 6)
        #expect(session.display.records.prefix(5).map(\.dataName) == (1...5).map { "iris · cv fold \($0)/5" })
        #expect(session.display.records.prefix(5).allSatisfy { $0.status == .finished && $0.epochs == 40 })
        #expect(session.display.records[5].dataName == "iris · cv k=5" && session.display.records[5].validationEvaluation?.confusion?.total == 150)
        #expect(t.text.contains("cv k=5 on iris: 5 stratified folds of 30 samples"))
        let lines = t.lines.map(\.text)
        let header = try #require(lines.first { $0.hasPrefix("metric ") })
        #expect(header.contains("fold 1") && header.contains("fold 5") && header.hasSuffix("mean ± std"))
        for metric in ["loss", "acc", "precision", "recall", "f1"] {
            let row = try #require(lines.first { $0.hasPrefix(metric + " ") }, "row \(metric)")
            #expect(row.range(of: "[0-9.]+ ± [0-9.]+$", options: .regularExpression) != nil, "\(row)")
        }
        // The acc row: the five folds' accuracies, then their mean and (population) deviation.
        let acc = try #require(lines.first { $0.hasPrefix("acc ") }).split(separator: " ").map(String.init)
        let folds = session.display.records.prefix(5).compactMap { $0.validationEvaluation?.accuracy }
        #expect(acc[1...5].map { $0 } == folds.map { fmt($0) })
        let (mean, std) = CrossValidation.meanAndDeviation(folds)
        #expect(abs(std - (folds.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5).squareRoot()) < 1e-12)
        #expect(acc.suffix(3).joined(separator: " ") == "\(fmt(mean)) ± \(fmt(std))")
        #expect(t.text.contains("cv: val acc \(fmt(mean)) ± \(fmt(std)) over 5 folds"))
    }

    @Test func sameSeedSameOutput() {
        let (_, _, a) = scriptedSession(Self.iris)
        let (_, _, b) = scriptedSession(Self.iris)
        #expect(Self.withoutTimings(a) == Self.withoutTimings(b))
        let (_, _, c) = scriptedSession(Self.iris.replacingOccurrences(of: "seed 42", with: "seed 7"))
        #expect(Self.withoutTimings(a) != Self.withoutTimings(c))
    }

    @Test func foldsAreFreshModelsWithTheSameStart() {
        let (session, _, _) = scriptedSession(Self.iris)
        let first = session.display.records.prefix(5).map { $0.epochHistory.first?.trainLoss ?? .nan }
        #expect(Set(first.map(\.bitPattern)).count > 1)          // different data per fold …
        #expect(first.allSatisfy { $0 > 0.3 })                     // … each starting untrained
    }

    @Test func theSessionIsBusyUntilTheLastFoldAndStopEndsIt() {
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        for line in ["seed 1", "data digits", "model mlp 32", "cv k=3 epochs=200"] {
            #expect(session.execute(line: line))
        }
        #expect(session.isBusy)
        #expect(!session.execute(line: "train"))
        #expect(!session.execute(line: "data iris"))
        #expect(session.execute(line: "stop"))
        #expect(waitUntil(seconds: 30) { session.poll(); return !session.isBusy }, "cv did not stop")
        #expect(transcript.text.contains("cv stopped in fold 1/3: 0 folds finished"))
        #expect(session.display.records.count == 1 && session.display.records[0].status == .stopped)
        #expect(session.execute(line: "cv k=2 epochs=1"))
    }

    @Test func cvNeedsDataModelAndEnoughSamples() {
        let (_, _, t) = scriptedSession("cv\ndata iris\ncv\nmodel softmax\ncv k=20 epochs=1\ndata blobs n=10 k=2\ncv k=20")
        #expect(t.errors.count == 3, "\(t.errors)")
        #expect(t.errors[0].contains("no data yet: try `data iris`"))
        #expect(t.errors[1].contains("no model yet: try `model softmax`"))
        #expect(t.errors[2].contains("10 samples cannot make 20 folds"))
    }

    @Test func regressionReportsErrorsAndR2() {
        let (session, runner, t) = scriptedSession("seed 2\ndata sine n=100\nmodel mlp 8 act=tanh\ncv k=3 epochs=20\nexpect val.r2 > 0.5")
        #expect(runner.failures.isEmpty, "\(t.errors)")
        #expect(t.text.contains("folds of 33 or 34 samples") && !t.text.contains("stratified"))
        #expect(t.lines.contains { $0.text.hasPrefix("r2 ") && $0.text.contains(" ± ") })
        #expect(session.display.records.last?.validationEvaluation?.regression != nil)
    }
}

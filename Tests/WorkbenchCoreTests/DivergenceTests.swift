import Testing
import NeuralEngine
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

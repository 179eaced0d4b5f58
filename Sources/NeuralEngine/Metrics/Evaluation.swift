import TensorCore

/// The loss and metrics of a model on one data set.
public struct Evaluation: Equatable, Sendable, Codable {
    public var loss: Float
    /// Present for classification (targets are class indices).
    public var confusion: ConfusionMatrix?
    /// Present for regression.
    public var regression: RegressionMetrics?
    /// Present for sequence tasks (targets one per position).
    public var sequence: SequenceMetrics?

    /// Accuracy for classification (token by token for sequences), nil otherwise.
    public var accuracy: Double? { confusion?.accuracy ?? sequence?.tokenAccuracy }

    /// The metric a learner watches: accuracy for classification, R² for regression, the
    /// exact-match rate for answers, next-symbol accuracy for text.
    public var headline: (name: String, value: Double)? {
        if let s = sequence { return s.scoresAnswers ? ("exact", s.exactMatch) : ("acc", s.tokenAccuracy) }
        if let c = confusion { return ("acc", c.accuracy) }
        if let r = regression { return ("r2", r.r2) }
        return nil
    }

    /// Named metric values (`acc`, `f1`, `precision`, `recall`, `mse`, `mae`, `r2`, `exact`, `loss`).
    public var metrics: [String: Double] {
        var m: [String: Double] = ["loss": Double(loss)]
        if let c = confusion {
            m["acc"] = c.accuracy
            m["precision"] = c.macroPrecision
            m["recall"] = c.macroRecall
            m["f1"] = c.macroF1
        }
        if let s = sequence {
            if s.scoresAnswers { m["exact"] = s.exactMatch }
            m["acc"] = s.tokenAccuracy
        }
        if let r = regression {
            m["mse"] = r.mse
            m["mae"] = r.mae
            m["r2"] = r.r2
        }
        return m
    }
}

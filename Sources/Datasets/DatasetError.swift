/// Errors from building, generating and splitting datasets.
///
/// Each message names the field and what was expected, e.g. `noise: expected a number ≥ 0, got -1`.
/// Fields are named as in the Swift API (`n`, `noise`, `classes`, `trainFraction`, `k`); a caller
/// with its own option names (say `split=`) can read `field` and reword the message.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// A value outside what `field` allows.
    case invalidValue(field: String, expected: String, got: String)

    /// The field the error is about.
    public var field: String {
        switch self {
        case .invalidValue(let field, _, _): return field
        }
    }

    public var description: String {
        switch self {
        case .invalidValue(let field, let expected, let got):
            return "\(field): expected \(expected), got \(got)"
        }
    }

    /// A number as a learner typed it: `-1`, not `-1.0`; `nan` and `inf` spelled out.
    static func describe(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }
}

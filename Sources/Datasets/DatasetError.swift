/// Errors from building, generating and splitting datasets.
///
/// Each message names the field and what was expected, e.g. `noise: expected a number ≥ 0, got -1`.
/// Fields are named as in the Swift API (`n`, `noise`, `classes`, `trainFraction`, `k`); a caller
/// with its own option names (say `split=`) can read `field` and reword the message.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// A value outside what `field` allows.
    case invalidValue(field: String, expected: String, got: String)
    /// A file that could not be loaded. `location` says where: `line 4, column "age"` for text,
    /// `byte 8 (image count)` for binary files, empty when the whole file is at fault.
    case badFile(path: String, location: String, expected: String, got: String)

    /// The field the error is about.
    public var field: String {
        switch self {
        case .invalidValue(let field, _, _): return field
        case .badFile: return "file"
        }
    }

    public var description: String {
        switch self {
        case .invalidValue(let field, let expected, let got):
            return "\(field): expected \(expected), got \(got)"
        case let .badFile(path, location, expected, got):
            return "\(path)\(location.isEmpty ? "" : ": \(location)"): expected \(expected), got \(got)"
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

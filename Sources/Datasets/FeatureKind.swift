/// What one sample's features are, so a session can pick a model, a preview and a preprocessing.
///
/// The feature tensor is `[n] + sampleShape`: a table `[n, d]`, images `[n, H, W, C]` (pixels
/// scaled to [0, 1]), token ids `[n, T]` (ids as Float; 0 = padding, 1 = out of vocabulary),
/// sequences `[n, T, F]`.
public enum FeatureKind: Equatable, Sendable {
    /// Columns of numbers, one row per sample.
    case table
    /// Channels-last images.
    case image(height: Int, width: Int, channels: Int)
    /// Token ids padded or truncated to `length`; `vocabulary[id]` is the word (0 `<pad>`, 1 `<unk>`).
    case tokens(vocabulary: [String], length: Int)
    /// `length` time steps of `features` values each.
    case sequence(length: Int, features: Int)
    /// Symbol ids, `vocabulary[id]` the symbol; unlike `tokens`, id 0 is a symbol, not padding.
    /// The first `prompt` symbols of a sample are given; a model writes the rest (a sorting task:
    /// the 6 digits to sort, then 5 of their sorted 6; a text model: prompt 0).
    case symbols(vocabulary: [String], length: Int, prompt: Int)

    /// The per-sample shape for a table of `d` columns (the model's input shape).
    public func sampleShape(columns d: Int) -> [Int] {
        switch self {
        case .table: return [d]
        case let .image(h, w, c): return [h, w, c]
        case let .tokens(_, length): return [length]
        case let .sequence(length, features): return [length, features]
        case let .symbols(_, length, _): return [length]
        }
    }

    /// True when per-column standardisation (x − μ)/σ makes sense: tables only. Pixels are already
    /// scaled to [0, 1], token ids are categories, and a sequence's columns are time steps of the
    /// same quantity.
    public var standardizes: Bool { self == .table }

    /// A short noun for summaries: `features`, `images 8×8`, `tokens ≤ 100`, `steps 20×1`.
    public var noun: String {
        switch self {
        case .table: return "features"
        case let .image(h, w, c): return "images \(h)×\(w)" + (c == 1 ? "" : "×\(c)")
        case let .tokens(vocabulary, length): return "texts of \(length) tokens, vocabulary \(vocabulary.count)"
        case let .sequence(length, features): return "sequences of \(length)×\(features)"
        // A sample is the model's `length` inputs and the one symbol after them, as `show data`
        // lists it: counted whole, so the rows and the title agree.
        case let .symbols(vocabulary, length, prompt):
            return prompt == 0 ? "windows of \(length + 1) characters, \(vocabulary.count) distinct"
                : "sequences of \(length + 1) symbols, vocabulary \(vocabulary.count)"
        }
    }
}

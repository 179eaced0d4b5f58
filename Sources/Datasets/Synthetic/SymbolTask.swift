import TensorCore

/// minGPT's small sequence problems, and the repeated sequences of induction heads, for a GPT
/// to learn in seconds.
///
/// A sample is a problem followed by its answer, both as symbols. The model sees the sequence
/// shifted by one — input `s[0 ..< L−1]`, target `s[1 ..< L]` — so at every position it
/// predicts the next symbol; only the answer's positions are scored (the others' targets are
/// −1), as minGPT's `SortDataset` and `AdditionDataset` do.
///
///     sort     p = 6 digits of 0…k−1 (k = `digits`, default 3), answer = sorted(p)   L = 12
///     reverse  p as for sort, answer = p reversed                                     L = 12
///     add      p = a, b with `digits` digits each (default 2), answer = a + b with
///              `digits` + 1 digits written last digit first (minGPT's adder: carries
///              then flow the way the model writes)                                   L = 7
///     repeat   r = m symbols drawn uniformly from k (= `digits`, default 16), m drawn from
///              ⌈length/2⌉…length; the sequence repeats r: s[t] = r[t mod m];
///              p = its first `length` symbols, answer = the next `length`          L = 2·length
///
/// `repeat` is the task on which a transformer learns induction heads (Olsson et al.,
/// "In-context Learning and Induction Heads", 2022): the answer can be predicted only by
/// finding where the current symbol occurred before and copying what followed it. The period m
/// changes from sample to sample so that no fixed offset ("the symbol 8 back") does the same.
/// For sort, half the draws are redrawn when they have more than length/2 distinct digits, as
/// minGPT does to show the model more of the repeats it finds hard.
public enum SymbolTask: String, CaseIterable, Sendable, Codable {
    case sort, reverse, add
    case repeats = "repeat"

    /// One problem's symbols and the number of them the model is given.
    func draw(length: Int, digits: Int, rng: inout SeededGenerator) -> (symbols: [Int], prompt: Int) {
        switch self {
        case .sort, .reverse:
            var p: [Int]
            repeat {
                p = (0..<length).map { _ in rng.int(below: digits) }
            } while self == .sort && rng.uniform() < 0.5 && Set(p).count > length / 2
            return (p + (self == .sort ? p.sorted() : p.reversed()), length)
        case .repeats:
            let shortest = (length + 1) / 2
            let period = shortest + rng.int(below: length - shortest + 1)
            let r = (0..<period).map { _ in rng.int(below: digits) }
            return ((0..<(2 * length)).map { r[$0 % period] }, length)
        case .add:
            var limit = 1
            for _ in 0..<digits { limit *= 10 }
            let a = rng.int(below: limit), b = rng.int(below: limit)
            func digitsOf(_ x: Int, count: Int) -> [Int] {
                var x = x, out: [Int] = []
                for _ in 0..<count { out.append(x % 10); x /= 10 }
                return out   // least significant first
            }
            return (digitsOf(a, count: digits).reversed() + digitsOf(b, count: digits).reversed()
                    + digitsOf(a + b, count: digits + 1), 2 * digits)
        }
    }

    /// The symbols a problem is written in.
    func vocabulary(digits: Int) -> [String] {
        self == .add ? (0..<10).map(String.init) : (0..<digits).map(String.init)
    }

    /// The ranges the options may take: the sequence length and `digits`.
    public static let lengths = 2...20
    public var digitRange: ClosedRange<Int> {
        switch self {
        case .add: 1...6
        case .sort, .reverse: 2...10
        case .repeats: 2...64
        }
    }
    /// The symbols to sort, reverse or repeat when `length` is not given (ignored by `add`).
    public var defaultLength: Int { self == .repeats ? 8 : 6 }
    public var defaultDigits: Int {
        switch self {
        case .add: 2
        case .sort, .reverse: 3
        case .repeats: 16
        }
    }
}

extension Dataset {
    /// `count` problems of `task` (see `SymbolTask`) as a sequence data set: features `[n, L−1]`
    /// symbol ids, targets `[n, L−1]` (−1 on the problem's positions). `length` is the number of
    /// symbols to sort, reverse or repeat (ignored by `add`; `defaultLength` when nil). Problems
    /// repeat when there are fewer distinct ones than `count`; `split` keeps every distinct
    /// problem on one side.
    public static func symbolTask(_ task: SymbolTask, count: Int, length: Int? = nil, digits: Int? = nil,
                                  rng: inout SeededGenerator) throws(DatasetError) -> Dataset {
        let digits = digits ?? task.defaultDigits, length = length ?? task.defaultLength
        guard task.digitRange.contains(digits) else {
            throw .invalidValue(field: "digits", expected: "\(task.digitRange.lowerBound)…\(task.digitRange.upperBound) for \(task.rawValue)",
                                got: "\(digits)")
        }
        guard SymbolTask.lengths.contains(length) else {
            throw .invalidValue(field: "length", expected: "\(SymbolTask.lengths.lowerBound)…\(SymbolTask.lengths.upperBound)", got: "\(length)")
        }
        guard count >= 2 else { throw .invalidValue(field: "n", expected: "at least 2 samples", got: "\(count)") }
        let first = task.draw(length: length, digits: digits, rng: &rng)
        let positions = first.symbols.count - 1, prompt = first.prompt
        var features = Tensor(shape: [count, positions]), targets = Tensor(shape: [count, positions])
        for row in 0..<count {
            let symbols = row == 0 ? first.symbols : task.draw(length: length, digits: digits, rng: &rng).symbols
            for t in 0..<positions {
                features.scalars[row * positions + t] = Float(symbols[t])
                targets.scalars[row * positions + t] = t < prompt - 1 ? -1 : Float(symbols[t + 1])
            }
        }
        let vocabulary = task.vocabulary(digits: digits)
        return Dataset(unchecked: task.rawValue, features: features, targets: targets,
                       task: .sequence(vocabulary: vocabulary.count, answers: true),
                       featureNames: (0..<positions).map { "s\($0 + 1)" }, classNames: [],
                       kind: .symbols(vocabulary: vocabulary, length: positions, prompt: prompt))
    }
}

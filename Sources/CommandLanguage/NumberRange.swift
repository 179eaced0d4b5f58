/// The numbers an argument accepts: an interval, open or closed at each end, maybe unbounded.
public struct NumberRange: Equatable, Sendable, CustomStringConvertible {
    /// The lower bound, or nil for none.
    public var lower: Double?
    /// Whether `lower` itself is allowed.
    public var includesLower: Bool
    /// The upper bound, or nil for none.
    public var upper: Double?
    /// Whether `upper` itself is allowed.
    public var includesUpper: Bool

    /// An interval with the given bounds.
    public init(lower: Double?, includesLower: Bool = true,
                upper: Double? = nil, includesUpper: Bool = true) {
        self.lower = lower
        self.includesLower = includesLower
        self.upper = upper
        self.includesUpper = includesUpper
    }

    /// Every finite number.
    public static let any = NumberRange(lower: nil)
    /// x ≥ `bound`.
    public static func atLeast(_ bound: Double) -> NumberRange { NumberRange(lower: bound) }
    /// x > `bound`.
    public static func above(_ bound: Double) -> NumberRange {
        NumberRange(lower: bound, includesLower: false)
    }
    /// `a` ≤ x ≤ `b`.
    public static func closed(_ a: Double, _ b: Double) -> NumberRange {
        NumberRange(lower: a, upper: b)
    }
    /// `a` ≤ x < `b`.
    public static func halfOpen(_ a: Double, _ b: Double) -> NumberRange {
        NumberRange(lower: a, upper: b, includesUpper: false)
    }
    /// `a` < x < `b`.
    public static func open(_ a: Double, _ b: Double) -> NumberRange {
        NumberRange(lower: a, includesLower: false, upper: b, includesUpper: false)
    }

    /// Whether `x` lies in the range.
    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        if let lower, includesLower ? x < lower : x <= lower { return false }
        if let upper, includesUpper ? x > upper : x >= upper { return false }
        return true
    }

    /// `≥ 0`, `> 0`, `≤ 1`, `in [0, 1)`, or empty for any number.
    public var description: String {
        let lo = lower.map(Value.format), hi = upper.map(Value.format)
        switch (lo, hi) {
        case let (lo?, hi?):
            return "in \(includesLower ? "[" : "(")\(lo), \(hi)\(includesUpper ? "]" : ")")"
        case let (lo?, nil): return "\(includesLower ? "≥" : ">") \(lo)"
        case let (nil, hi?): return "\(includesUpper ? "≤" : "<") \(hi)"
        case (nil, nil): return ""
        }
    }
}

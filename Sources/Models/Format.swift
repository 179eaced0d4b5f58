import Foundation

/// Numbers as a learner reads them: 4 significant digits, no exponent for ordinary sizes.
public func fmt(_ x: Float) -> String { fmt(Double(x)) }

public func fmt(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == 0 { return "0" }
    return String(format: "%.4g", x)
}

/// A value in the data's own units (a predicted price): `fmt`, but from 10,000 on the whole
/// number with thousands separators (357,660, not 3.577e+05).
public func unitValue(_ x: Double) -> String {
    guard x.isFinite, abs(x) >= 10_000, abs(x) < 1e15 else { return fmt(x) }
    return grouped(Int(x.rounded()))
}

/// A whole number with thousands separators: 12,345.
public func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// A rate like 12.3k/s, for timings.
public func rate(_ perSecond: Double) -> String {
    if perSecond >= 1e9 { return String(format: "%.1fG", perSecond / 1e9) }
    if perSecond >= 1e6 { return String(format: "%.1fM", perSecond / 1e6) }
    if perSecond >= 1e3 { return String(format: "%.1fk", perSecond / 1e3) }
    return String(format: "%.0f", perSecond)
}

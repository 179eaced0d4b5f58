import Foundation

/// A learning-rate schedule: the rate for update t (0-based) from the base rate η₀.
///
///     constant   η_t = η₀
///     step       η_t = η₀ γ^⌊t / every⌋                    (every in updates)
///     cosine     η_t = η₀ · ½ (1 + cos(π t / T))            (T = total updates of the run)
///     onecycle   linear warm-up from η₀/25 to η₀ over the first 30 % of T, then cosine down to η₀/10⁴
///     plateau    η ← η · factor whenever the validation loss has not improved for `patience`
///                epochs (Keras' ReduceLROnPlateau); the training run applies it at epoch ends,
///                since it depends on the validation loss, so `rate` returns η₀ unchanged
public enum Schedule: Equatable, Sendable, Codable {
    case constant
    case step(every: Int, gamma: Float)
    case cosine
    case oneCycle
    case plateau(patience: Int, factor: Float)

    /// η_t for update `t` of `total`.
    public func rate(base: Float, update t: Int, total: Int) -> Float {
        switch self {
        case .constant, .plateau:
            return base
        case let .step(every, gamma):
            return base * pow(gamma, Float(t / max(every, 1)))
        case .cosine:
            let progress = min(Float(t) / Float(max(total, 1)), 1)
            return base * 0.5 * (1 + cos(Float.pi * progress))
        case .oneCycle:
            let warm = max(Int(0.3 * Float(total)), 1)
            if t < warm {
                let start = base / 25
                return start + (base - start) * Float(t) / Float(warm)
            }
            let progress = min(Float(t - warm) / Float(max(total - warm, 1)), 1)
            let end = base / 1e4
            return end + (base - end) * 0.5 * (1 + cos(Float.pi * progress))
        }
    }
}

/// The optimizers by their command-language names, from the simplest to the most elaborate.
public enum OptimizerKind: String, CaseIterable, Codable, Sendable {
    /// Gradient descent: `sgd` with the whole training set per update (`batch full`).
    case gd
    case sgd, momentum, nesterov, rmsprop, adagrad, adam, adamw
}

/// A hyper-parameter an optimizer may have, by the key the command language writes.
public enum OptimizerSetting: String, CaseIterable, Codable, Sendable {
    /// η, every optimizer's.
    case lr
    /// μ for momentum and Nesterov, ρ for RMSprop (the command language calls both `momentum`).
    case momentum
    case beta1, beta2
    case eps
    /// λ, weight decay (Adam's L2-style decay, AdamW's decoupled one).
    case decay
}

/// An optimizer as a value: which algorithm, with each of its hyper-parameters. What a set-up
/// holds and a saved model records; `makeOptimizer()` builds the optimizer it describes.
///
/// Every optimizer's default learning rate is 0.01, right for the lessons' small problems
/// (Keras uses 0.001 for RMSprop, Adam and AdamW, sized for large networks; README Decisions).
/// The other defaults are the ones in each optimizer's doc comment (Keras' values).
public enum OptimizerConfig: Equatable, Codable, Sendable {
    case gd(lr: Float)
    case sgd(lr: Float)
    case momentum(lr: Float, momentum: Float)
    case nesterov(lr: Float, momentum: Float)
    case rmsprop(lr: Float, rho: Float, eps: Float)
    case adagrad(lr: Float, eps: Float)
    case adam(lr: Float, beta1: Float, beta2: Float, eps: Float, decay: Float)
    case adamw(lr: Float, beta1: Float, beta2: Float, eps: Float, decay: Float)

    /// `kind` with its default hyper-parameters.
    public init(_ kind: OptimizerKind) {
        let lr: Float = 0.01, eps: Float = 1e-7
        switch kind {
        case .gd: self = .gd(lr: lr)
        case .sgd: self = .sgd(lr: lr)
        case .momentum: self = .momentum(lr: lr, momentum: 0.9)
        case .nesterov: self = .nesterov(lr: lr, momentum: 0.9)
        case .rmsprop: self = .rmsprop(lr: lr, rho: 0.9, eps: eps)
        case .adagrad: self = .adagrad(lr: lr, eps: eps)
        case .adam: self = .adam(lr: lr, beta1: 0.9, beta2: 0.999, eps: eps, decay: 0)
        case .adamw: self = .adamw(lr: lr, beta1: 0.9, beta2: 0.999, eps: eps, decay: 0.004)
        }
    }

    public var kind: OptimizerKind {
        switch self {
        case .gd: .gd
        case .sgd: .sgd
        case .momentum: .momentum
        case .nesterov: .nesterov
        case .rmsprop: .rmsprop
        case .adagrad: .adagrad
        case .adam: .adam
        case .adamw: .adamw
        }
    }

    /// The hyper-parameters this optimizer has, in the order its description lists them.
    public var settings: [(key: OptimizerSetting, value: Float)] {
        switch self {
        case .gd(let lr), .sgd(let lr): [(.lr, lr)]
        case let .momentum(lr, m), let .nesterov(lr, m): [(.lr, lr), (.momentum, m)]
        case let .rmsprop(lr, rho, eps): [(.lr, lr), (.momentum, rho), (.eps, eps)]
        case let .adagrad(lr, eps): [(.lr, lr), (.eps, eps)]
        case let .adam(lr, b1, b2, eps, decay), let .adamw(lr, b1, b2, eps, decay):
            [(.lr, lr), (.beta1, b1), (.beta2, b2), (.eps, eps), (.decay, decay)]
        }
    }

    /// The value of `key`, or nil when this optimizer has no such setting.
    public func value(_ key: OptimizerSetting) -> Float? {
        settings.first { $0.key == key }?.value
    }

    /// Sets `key` to `value`. Throws, naming the optimizer's own settings, when it has no such
    /// one. Ranges are the command table's to check.
    public mutating func set(_ key: OptimizerSetting, _ value: Float) throws(ModelError) {
        switch (self, key) {
        case (.gd, .lr): self = .gd(lr: value)
        case (.sgd, .lr): self = .sgd(lr: value)
        case let (.momentum(_, m), .lr): self = .momentum(lr: value, momentum: m)
        case let (.momentum(lr, _), .momentum): self = .momentum(lr: lr, momentum: value)
        case let (.nesterov(_, m), .lr): self = .nesterov(lr: value, momentum: m)
        case let (.nesterov(lr, _), .momentum): self = .nesterov(lr: lr, momentum: value)
        case let (.rmsprop(_, rho, eps), .lr): self = .rmsprop(lr: value, rho: rho, eps: eps)
        case let (.rmsprop(lr, _, eps), .momentum): self = .rmsprop(lr: lr, rho: value, eps: eps)
        case let (.rmsprop(lr, rho, _), .eps): self = .rmsprop(lr: lr, rho: rho, eps: value)
        case let (.adagrad(_, eps), .lr): self = .adagrad(lr: value, eps: eps)
        case let (.adagrad(lr, _), .eps): self = .adagrad(lr: lr, eps: value)
        case (.adam, _), (.adamw, _):
            var s = Dictionary(uniqueKeysWithValues: settings.map { ($0.key, $0.value) })
            guard s[key] != nil else { throw unknown(key) }
            s[key] = value
            self = kind == .adam
                ? .adam(lr: s[.lr]!, beta1: s[.beta1]!, beta2: s[.beta2]!, eps: s[.eps]!, decay: s[.decay]!)
                : .adamw(lr: s[.lr]!, beta1: s[.beta1]!, beta2: s[.beta2]!, eps: s[.eps]!, decay: s[.decay]!)
        default:
            throw unknown(key)
        }
    }

    private func unknown(_ key: OptimizerSetting) -> ModelError {
        .invalidOption(field: "\(kind.rawValue) \(key.rawValue)",
                       expected: "one of its settings: " + settings.map(\.key.rawValue).joined(separator: ", "),
                       got: key.rawValue)
    }

    /// η, the base learning rate.
    public var learningRate: Float {
        get { value(.lr)! }
        set { try! set(.lr, newValue) }
    }

    /// The optimizer this describes, with no state yet; its learning rate is the trainer's to
    /// hold (`learningRate`), and reaches the optimizer with each update.
    public func makeOptimizer() -> any Optimizer {
        switch self {
        case .gd, .sgd: SGD()
        case let .momentum(_, m): Momentum(momentum: m)
        case let .nesterov(_, m): Nesterov(momentum: m)
        case let .rmsprop(_, rho, eps): RMSprop(rho: rho, epsilon: eps)
        case let .adagrad(_, eps): Adagrad(epsilon: eps)
        case let .adam(_, b1, b2, eps, decay): Adam(beta1: b1, beta2: b2, epsilon: eps, weightDecay: decay)
        case let .adamw(_, b1, b2, eps, decay): AdamW(beta1: b1, beta2: b2, epsilon: eps, weightDecay: decay)
        }
    }

    /// The update rule in one line, from the optimizer's own type (`Momentum.updateRule` …).
    public var updateRule: String { type(of: makeOptimizer()).updateRule }
}

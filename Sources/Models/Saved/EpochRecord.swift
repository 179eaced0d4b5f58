/// One epoch of a run as its history keeps it (and a saved model carries): the mean batch loss,
/// the validation loss and headline metric, and the learning rate of its last update.
public struct EpochRecord: Sendable, Equatable, Codable {
    public var epoch: Int
    public var update: Int
    public var trainLoss: Float
    public var validationLoss: Float
    public var validationMetric: Float
    /// The learning rate of the epoch's last update (nil in records made before it was kept,
    /// and for cross-validation's pooled epochs).
    public var learningRate: Float? = nil
    /// False for an epoch not validated (a run of many epochs validates every few); nil: it was.
    public var validated: Bool? = nil

    /// Whether the epoch has validation figures.
    public var isValidated: Bool { validated ?? true }

    public init(epoch: Int, update: Int, trainLoss: Float, validationLoss: Float, validationMetric: Float,
                learningRate: Float? = nil, validated: Bool = true) {
        self.epoch = epoch
        self.update = update
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationMetric = validationMetric
        self.learningRate = learningRate
        self.validated = validated ? nil : false
    }
}

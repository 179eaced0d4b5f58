/// The model server as the session sees it. The `Serving` module implements it on Hummingbird;
/// the front end hands the session a way to make one (`FrontEndSettings.makeModelService`), so
/// the session stays free of HTTP and a headless test can serve too.
///
/// Every method is called from the session's thread and returns promptly: the server runs on
/// threads of its own and never calls back into the session.
public protocol ModelService: AnyObject, Sendable {
    /// Starts answering with `predictors` (each under its name; the first also answers
    /// `/v1/predict`) on `host:port` (port 0: a free one) and returns the bound address,
    /// `127.0.0.1:8080`. Throws when it cannot bind (port in use, unknown host).
    func start(predictors: [Predictor], host: String, port: Int) throws(DescentError) -> String
    /// Answers with `predictor` from the next request on, in place of the model of its name
    /// (added when none has it); requests in flight finish with the one they started with.
    func replace(with predictor: Predictor)
    /// The names of the models served, the default first.
    var modelNames: [String] { get }
    /// The session's current run, for the metrics endpoint's training gauges.
    func noteTraining(_ figures: TrainingFigures)
    /// The key every request needs (`Authorization: Bearer …`) when the server listens beyond
    /// loopback; nil on loopback. Whoever started the server shows it once.
    var apiKey: String? { get }
    /// Stops accepting connections, lets requests in flight finish, and returns.
    func stop()
    /// Requests answered since `start`.
    var requestCount: Int { get }
    /// The latest requests, oldest first (at most `limit`).
    func recentRequests(limit: Int) -> [ServedRequest]
    /// The latest texts written through the OpenAI-compatible API, oldest first (at most
    /// `limit`), the one being written included.
    func recentCompletions(limit: Int) -> [ServedCompletion]
    /// Grows with every token written, so a poll can tell a completion moved on.
    var completionRevision: Int { get }
}

extension ModelService {
    /// Starts answering with one model.
    public func start(predictor: Predictor, host: String, port: Int) throws(DescentError) -> String {
        try start(predictors: [predictor], host: host, port: port)
    }
}

/// What `/metrics` shows of the session's current run.
public struct TrainingFigures: Equatable, Sendable {
    public var epoch: Int
    public var loss: Float
    public var validationLoss: Float?
    public var updatesPerSecond: Double

    public init(epoch: Int, loss: Float, validationLoss: Float?, updatesPerSecond: Double) {
        self.epoch = epoch
        self.loss = loss
        self.validationLoss = validationLoss
        self.updatesPerSecond = updatesPerSecond
    }
}

/// One request the server answered, for `show serve`.
public struct ServedRequest: Equatable, Sendable {
    /// Seconds since the server started.
    public var time: Double
    public var method: String
    public var path: String
    public var status: Int
    public var microseconds: Int

    public init(time: Double, method: String, path: String, status: Int, microseconds: Int) {
        self.time = time
        self.method = method
        self.path = path
        self.status = status
        self.microseconds = microseconds
    }
}

/// One text the server wrote (its first choice), for `show serve` and the attention view that
/// follows a served generation token by token.
public struct ServedCompletion: Equatable, Sendable {
    /// Seconds since the server started.
    public var time: Double
    public var model: String
    public var prompt: String
    /// What it wrote so far.
    public var text: String
    /// The prompt's and the written symbols' ids (the last `ServedCompletion.keptIds`).
    public var ids: [Int]
    public var streamed: Bool
    public var finished: Bool

    public static let keptIds = 1_024

    public init(time: Double, model: String, prompt: String, text: String = "", ids: [Int], streamed: Bool, finished: Bool = false) {
        self.time = time
        self.model = model
        self.prompt = prompt
        self.text = text
        self.ids = ids
        self.streamed = streamed
        self.finished = finished
    }
}

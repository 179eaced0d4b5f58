import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import ServiceLifecycle
import Models

/// The model server: Hummingbird's HTTP/1.1 server on its own event-loop threads, answering
/// from an inference copy of a model (`Predictor`) that `replace` swaps atomically.
///
/// Three rules keep it out of the workbench's way (shared/NOTES.md):
/// - it never writes to the terminal: its logger discards everything (swift-log's default
///   handler writes to stderr, which would tear the ncurses screen);
/// - it installs no signal handlers: the application runs in a `ServiceGroup` of our own with
///   no shutdown signals, so the workbench's terminal restore stays in charge of SIGINT/SIGTERM;
/// - it never waits on the session's thread: handlers read only the predictor (behind a
///   mutex held for a pointer copy) and counters, never the session.
public final class ModelServer: ModelService {
    /// The largest request body; larger ones get 413 before any of it is parsed.
    public static let maxBodyBytes = 1 << 20
    /// A connection that sends no complete request part for this long, with no answer being
    /// written, is closed: a client that sends its header a byte a second, or opens a connection
    /// and says nothing, does not keep a connection forever (Tests/Serving/server-abuse.py).
    public static let idleTimeout: Duration = .seconds(10)

    /// The models served, the default (`/v1/predict`) first.
    private let models = Locked<[Predictor]>([])
    /// Server-sent event streams in flight (`OpenAICompatible.maxStreams`).
    private let streams = Locked<Int>(0)
    /// What `GET /metrics` exposes.
    let metrics = ServerMetrics()
    /// Asked of every request when listening beyond loopback.
    private let key = Locked<APIKey?>(nil)
    private let log = RequestLog()
    private let completions = CompletionLog()
    private let writingLoops: WritingLoops
    private let lifecycle = Locked<(group: ServiceGroup, done: DispatchSemaphore)?>(nil)
    /// The event loops answering (NIO's, shared by the process), placed by `placeEventLoops`.
    private let eventLoops = Locked<(any EventLoopGroup)?>(nil)
    /// Whether the server's async code runs on threads of its own (`ServerExecutor`) rather than
    /// Swift's cooperative pool: for processes whose pool other code blocks (test runners).
    private let ownThreads: Bool
    /// `idleTimeout`, shorter in tests.
    private let idle: TimeAmount

    public init(ownThreads: Bool = false, idleTimeout: Duration = ModelServer.idleTimeout) {
        self.ownThreads = ownThreads
        idle = .nanoseconds(idleTimeout.components.seconds * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000)
        writingLoops = WritingLoops(metrics: metrics)
    }

    static let silentLogger = Logger(label: "descent.serve") { _ in SwiftLogNoOpLogHandler() }

    // MARK: - ModelService

    public func start(predictors: [Predictor], host: String, port: Int) throws(DescentError) -> String {
        let names = predictors.map(\.name)
        if let twice = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw DescentError("serve: two models are named \(twice): each is served under its name")
        }
        models.withLock { $0 = predictors }
        for predictor in predictors { metrics.loaded(predictor) }
        key.withLock { $0 = APIKey.isLoopback(host) ? nil : APIKey.make() }
        let bound = Locked<Result<Int, DescentError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { [self] request, _ in await respond(to: request) },
            // The idle timeout is InlineInference's: Hummingbird's handler, behind it, does not see
            // the requests it answers, and closed busy kept connections after 10 s.
            server: .http1(configuration: .init(additionalChannelHandlers: [InlineInference(server: self, idleTimeout: self.idle)],
                                                idleTimeout: nil)),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                bound.withLock { $0 = .success(channel.localAddress?.port ?? port) }
                ready.signal()
            },
            logger: Self.silentLogger)
        eventLoops.withLock { $0 = app.eventLoopGroup }
        placeEventLoops()
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], cancellationSignals: [],
                                 logger: Self.silentLogger)
        let done = DispatchSemaphore(value: 0)
        let serve: @Sendable () async -> Void = {
            do {
                try await group.run()
            } catch {
                bound.withLock { if $0 == nil { $0 = .failure(DescentError("serve: cannot listen on \(host):\(port): \(Self.reason(error))")) } }
                ready.signal()
            }
            done.signal()
        }
        detached(serve)
        if ready.wait(timeout: .now() + 10) == .timedOut {
            detached { await group.triggerGracefulShutdown() }
            throw DescentError("serve: the server did not start within 10 s")
        }
        switch bound.withLock({ $0 }) {
        case .success(let actual):
            lifecycle.withLock { $0 = (group, done) }
            let address = (host.contains(":") ? "[\(host)]" : host) + ":\(actual)"
            return address
        case .failure(let error):
            throw error
        case nil:
            throw DescentError("serve: the server stopped before it listened")
        }
    }

    /// Runs `operation` where this server's async code runs.
    private func detached(_ operation: @escaping @Sendable () async -> Void) {
        if ownThreads { Task.detached(executorPreference: ServerExecutor.shared, operation: operation) }
        else { Task.detached(operation: operation) }
    }

    public func replace(with predictor: Predictor) {
        let started = ContinuousClock.now
        let held = models.withLock { models in
            if let i = models.firstIndex(where: { $0.name == predictor.name }) { models[i] = predictor } else { models.append(predictor) }
            return ContinuousClock.now - started
        }
        metrics.loaded(predictor, swap: held)
        writingLoops.retire(except: models.withLock { $0 })
        placeEventLoops()
    }

    /// The event loops each on a CPU of its own unless a served model writes text
    /// (`EventLoopPlacement` says why and what was measured).
    private func placeEventLoops() {
        guard let group = eventLoops.withLock({ $0 }) else { return }
        EventLoopPlacement.place(group, keep: OpenAICompatible.writers(models.withLock { $0 }).isEmpty)
    }

    public var modelNames: [String] { models.withLock { $0.map(\.name) } }

    public func noteTraining(_ figures: TrainingFigures) { metrics.training(figures) }

    public var apiKey: String? { key.withLock { $0?.value } }

    public func stop() {
        guard let (group, done) = lifecycle.withLock({ value in defer { value = nil }; return value }) else { return }
        detached { await group.triggerGracefulShutdown() }
        _ = done.wait(timeout: .now() + 10)
        writingLoops.retire(except: [])
    }

    public var requestCount: Int { log.count }

    public func recentRequests(limit: Int) -> [ServedRequest] { log.recent(limit: limit) }

    public func recentCompletions(limit: Int) -> [ServedCompletion] { completions.recent(limit: limit) }

    public var completionRevision: Int { completions.revision }

    /// Serves until the group ends: `descent serve`, where SIGINT and SIGTERM stop it gracefully.
    public func waitUntilStopped() {
        guard let (_, done) = lifecycle.withLock({ $0 }) else { return }
        done.wait()
        done.signal()
    }

    static func microseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1_000_000 + Int(d.components.attoseconds / 1_000_000_000_000)
    }

    static func reason(_ error: any Error) -> String {
        if let io = error as? IOError { return io.description }
        return String(describing: error)
    }

    // MARK: - Requests

    private func respond(to request: Request) async -> Response {
        let started = ContinuousClock.now
        var request = request
        let served = models.withLock { $0 }
        metrics.started()
        var answer: API.Answer
        if let key = key.withLock({ $0 }), !key.admits(request.headers[.authorization]) {
            answer = API.failure(401, "this server listens beyond loopback: send the key it printed as `Authorization: Bearer KEY`")
            answer.headers = [API.Answer.Header(name: "WWW-Authenticate", value: "Bearer")]
            return finish(answer, for: request, started: started)
        }
        let bodyRequest = request
        let readBody = { () async throws(API.BodyFailure) -> [UInt8] in try await API.collect(bodyRequest, upTo: Self.maxBodyBytes) }
        switch await OpenAICompatible.reply(method: request.method.rawValue, path: request.uri.path, body: readBody,
                                            models: served, streams: streams, completions: completions, loops: writingLoops) {
        case .stream(let produce)?:
            // A stream is logged when it starts: its latency is the time to its headers.
            let elapsed = ContinuousClock.now - started
            log.note(method: request.method.rawValue, path: request.uri.path, status: 200, microseconds: Self.microseconds(elapsed))
            metrics.answered(path: request.uri.path, status: 200, elapsed: elapsed)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await produce { event in
                    var buffer = ByteBuffer()
                    buffer.writeString("data: \(event)\n\n")
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
            })
        case .whole(let whole)?: answer = whole
        case nil where request.uri.path == "/metrics":
            answer = request.method == .get
                ? API.Answer(status: 200, body: metrics.text, headers: [("Content-Type", "text/plain; version=0.0.4")])
                : API.notAllowed(request.method.rawValue, "GET")
        case nil: answer = await API.answer(request: &request, models: served, maxBody: Self.maxBodyBytes,
                                            keyRequired: key.withLock { $0 } != nil)
        }
        return finish(answer, for: request, started: started)
    }

    /// What `InlineInference` answers itself (see there): a JSON inference on a model this
    /// server has, or a completion when it serves a GPT. Nil for any other request.
    func inlineRoute(_ request: HTTPRequest) -> InlineRoute? {
        guard request.method == .post, let target = request.path, request.headerFields[.expect] == nil,
              request.headerFields[InlineRoute.binaryHeader] == nil else { return nil }
        let path = target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
        let served = models.withLock { $0 }
        switch path {
        case "/v1/predict": return served.isEmpty ? nil : InlineRoute(path: path, kind: .predict)
        case "/v1/completions", "/v1/chat/completions":
            return OpenAICompatible.writers(served).isEmpty ? nil : InlineRoute(path: path, kind: .complete(chat: path.hasSuffix("chat/completions")))
        default: return OpenInference.inferTarget(path, models: served).map { InlineRoute(path: path, kind: .infer(model: $0.name)) }
        }
    }

    /// The answer to an inference on `route` (from `inlineRoute`), with the key check, the log
    /// and the metrics the router's answers have.
    func answerInline(_ route: InlineRoute, _ request: HTTPRequest, body: [UInt8], started: ContinuousClock.Instant) -> API.Answer {
        metrics.started()
        let served = models.withLock { $0 }
        var answer: API.Answer
        if let refused = refusal(request, body: body) {
            answer = refused
        } else if case .infer(let name) = route.kind {
            // The model named at the request's head; gone only if replaced by another kind meanwhile.
            answer = served.first { $0.name == name }.map { OpenInference.infer(body, headerLength: nil, predictor: $0) }
                ?? OpenInference.error(404, "no model named \(name): this server serves \(served.map(\.name).joined(separator: ", "))")
        } else {
            answer = served.first.map { API.predict(body, $0) } ?? API.failure(503, "no model is being served")
        }
        noteInline(route, status: answer.status, started: started)
        return answer
    }

    /// A completion on `route`: a refusal to answer at once (noted), or the job to write; a
    /// streamed job is counted among the streams (`streamEnded` counts it out) and noted at its
    /// headers, a whole one is noted by `noteInline` when its answer is written.
    func beginCompletion(chat: Bool, _ request: HTTPRequest, body: [UInt8]) -> InlineCompletion {
        metrics.started()
        if let refused = refusal(request, body: body) { return .refused(refused) }
        do throws(OpenAICompatible.Refusal) {
            let job = try OpenAICompatible.job(body, chat: chat, models: models.withLock { $0 }, completions: completions, loops: writingLoops)
            if job.streamed { try OpenAICompatible.admit(streams: streams) }
            return .write(job)
        } catch {
            return .refused(error.answer)
        }
    }

    /// A stream written inline ended.
    func streamEnded() { streams.withLock { $0 -= 1 } }

    /// The log and metrics of an inline answer (a stream's at its headers).
    func noteInline(_ route: InlineRoute, status: Int, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        log.note(method: "POST", path: route.path, status: status, microseconds: Self.microseconds(elapsed))
        metrics.answered(endpoint: route.endpoint, status: status, elapsed: elapsed)
    }

    /// 401 without the key (beyond loopback) or 413 for a body too large, else nil.
    private func refusal(_ request: HTTPRequest, body: [UInt8]) -> API.Answer? {
        if let key = key.withLock({ $0 }), !key.admits(request.headerFields[.authorization]) {
            var answer = API.failure(401, "this server listens beyond loopback: send the key it printed as `Authorization: Bearer KEY`")
            answer.headers = [API.Answer.Header(name: "WWW-Authenticate", value: "Bearer")]
            return answer
        }
        return body.count > Self.maxBodyBytes ? API.failure(413, "the body is over \(Self.maxBodyBytes) bytes") : nil
    }

    /// The response for `answer`, noted in the request log and the metrics.
    private func finish(_ answer: API.Answer, for request: Request, started: ContinuousClock.Instant) -> Response {
        let elapsed = ContinuousClock.now - started
        log.note(method: request.method.rawValue, path: request.uri.path, status: answer.status, microseconds: Self.microseconds(elapsed))
        metrics.answered(path: request.uri.path, status: answer.status, elapsed: elapsed)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for header in answer.headers {
            if let name = HTTPFields.Element.Name(header.name) { headers[name] = header.value }
        }
        var buffer = ByteBuffer()
        buffer.writeString(answer.body)
        if !answer.binary.isEmpty { buffer.writeBytes(answer.binary) }
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: buffer))
    }
}

/// What becomes of a completion `InlineInference` takes: refused at once, or written.
enum InlineCompletion {
    case refused(API.Answer)
    case write(OpenAICompatible.Job)
}

/// A request `InlineInference` answers: its path (without the query) and what it asks.
struct InlineRoute {
    enum Kind {
        case predict
        case infer(model: String)
        case complete(chat: Bool)
    }

    var path: String
    var kind: Kind

    /// The endpoint's label in the metrics (`ServerMetrics.endpoint`).
    var endpoint: String {
        switch kind {
        case .predict: "/v1/predict"
        case .infer: "/v2/models/{name}/infer"
        case .complete: path
        }
    }

    static let binaryHeader = HTTPField.Name(OpenInference.binaryHeader)!
}

/// The request counter and the latest requests, shared by the server's threads and read by the
/// session's (`show serve`, the status line).
final class RequestLog: Sendable {
    private static let kept = 64
    private let state = Locked<(count: Int, recent: [ServedRequest], next: Int)>((0, [], 0))
    private let start = ContinuousClock.now

    var count: Int { state.withLock { $0.count } }

    func note(method: String, path: String, status: Int, microseconds: Int) {
        let since = ContinuousClock.now - start
        let time = Double(since.components.seconds) + Double(since.components.attoseconds) * 1e-18
        let entry = ServedRequest(time: time, method: method, path: String(path.prefix(200)), status: status,
                                  microseconds: microseconds)
        state.withLock { s in
            s.count += 1
            if s.recent.count < Self.kept { s.recent.append(entry) } else { s.recent[s.next] = entry }
            s.next = (s.next + 1) % Self.kept
        }
    }

    func recent(limit: Int) -> [ServedRequest] {
        state.withLock { s in
            let ordered = s.recent.count < Self.kept ? s.recent : Array(s.recent[s.next...] + s.recent[..<s.next])
            return Array(ordered.suffix(limit))
        }
    }
}

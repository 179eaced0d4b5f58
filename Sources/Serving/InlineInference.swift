import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The short way for the requests a load test sends by the thousand: `POST /v1/predict` and
/// `POST /v2/models/NAME[/versions/V]/infer` with a JSON body, answered on the connection's
/// event loop as soon as the body has arrived, by the same functions as the router
/// (`API.predict`, `OpenInference.infer`), with the same log, metrics and key check; and
/// `POST /v1/completions` and `/v1/chat/completions`, whole or streamed, handed to the model's
/// `WritingLoop`, whose thread passes each turn's text straight back to this event loop (the
/// router's way, through Swift's pool, took two more thread hops per token, and the time to a
/// stream's first token was mostly those hops: README, Performance).
///
/// Hummingbird hands every request to Swift's task pool and the answer back to the event loop;
/// on two cores shared with the load generator those hops, not the model, set the pace (a
/// `GET /healthz` that does nothing answered 40,800 requests/s, the v2 infer 27,000–28,900:
/// README, Performance). Everything else goes on to Hummingbird untouched: other paths and
/// methods, the binary tensor extension (`Inference-Header-Content-Length`), `Expect:
/// 100-continue`, bodies over `inlineBodyLimit`, and any request behind one that Hummingbird is
/// still answering on the same connection (pipelined requests keep their order).
final class InlineInference: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Larger bodies (many rows) go to the task pool, where a long computation does not hold
    /// up the other connections of this event loop.
    static let inlineBodyLimit = 64 * 1024

    private let server: ModelServer
    /// The request being answered here: its head, its body so far, when it started.
    private var taken: (route: InlineRoute, request: HTTPRequest, body: ByteBuffer, started: ContinuousClock.Instant)?
    /// Requests passed on to Hummingbird whose response has not ended yet.
    private var passedOn = 0
    /// Passing the rest of a request on (its head went to Hummingbird).
    private var passing = false
    /// The completion being written for this connection (in its model's writing loop, as `id`).
    private var writing: Writing?
    /// Parts of requests that came behind it on the connection (pipelined), read once it ends.
    private var held: [HTTPRequestPart] = []

    private struct Writing {
        let job: OpenAICompatible.Job
        let id: Int
        var wroteToken = false
        let chunks: OpenAICompatible.Chunks?
        let route: InlineRoute
        let closing: Bool
        let started: ContinuousClock.Instant
    }

    /// A connection with no request in progress and nothing read or written for this long is
    /// closed (a request read slowly included: a client sending a byte now and then keeps it).
    private let idleTimeout: TimeAmount
    /// The connection's activity, for the idle timeout: every request counts here, answered inline
    /// or by Hummingbird (whose own timeout, behind this handler, sees only the latter).
    private var lastActive = NIODeadline.now()
    private var inProgress = 0
    private var reading = false
    private var idleCheck: Scheduled<Void>?

    init(server: ModelServer, idleTimeout: TimeAmount) {
        self.server = server
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        lastActive = .now()
        scheduleIdleCheck(at: lastActive + idleTimeout, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) { idleCheck?.cancel() }

    private func scheduleIdleCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleTask(deadline: deadline) { bound.value.handler.idleCheckDue(context: bound.value.context) }
    }

    private func idleCheckDue(context: ChannelHandlerContext) {
        let answering = !reading && inProgress > 0
        if !answering, NIODeadline.now() >= lastActive + idleTimeout { return context.close(promise: nil) }
        scheduleIdleCheck(at: (answering ? NIODeadline.now() : lastActive) + idleTimeout, context: context)
    }

    /// A response ended (answered here or by Hummingbird).
    private func responseEnded() {
        inProgress = max(0, inProgress - 1)
        lastActive = .now()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        lastActive = .now()
        switch part {
        case .head:
            inProgress += 1
            reading = true
        case .body: break
        case .end: reading = false
        }
        take(part, context: context)
    }

    /// A request's part, read now or held until the completion before it ended.
    private func take(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        let data = wrapInboundOut(part)
        guard writing == nil else { return held.append(part) }
        switch part {
        case .head(let request):
            if passedOn == 0, let route = server.inlineRoute(request) {
                taken = (route, request, context.channel.allocator.buffer(capacity: 256), ContinuousClock.now)
            } else {
                passing = true
                passedOn += 1
                context.fireChannelRead(data)
            }
        case .body(var chunk):
            guard taken != nil, !passing else { return context.fireChannelRead(data) }
            taken!.body.writeBuffer(&chunk)
            if taken!.body.readableBytes > Self.inlineBodyLimit { handOver(context: context) }
        case .end:
            if passing || taken == nil {
                passing = false
                return context.fireChannelRead(data)
            }
            let (route, request, body, started) = taken!
            taken = nil
            let closing = request.headerFields[.connection]?.lowercased() == "close"
            guard case .complete(let chat) = route.kind else {
                let answer = server.answerInline(route, request, body: Array(body.readableBytesView), started: started)
                return write(answer, closing: closing, context: context)
            }
            switch server.beginCompletion(chat: chat, request, body: Array(body.readableBytesView)) {
            case .refused(let answer):
                server.noteInline(route, status: answer.status, started: started)
                write(answer, closing: closing, context: context)
            case .write(let job):
                begin(job, route: route, closing: closing, started: started, context: context)
            }
        }
    }

    /// Hands `job` to its model's writing loop; a stream's headers (and a chat's roles) go out at
    /// once, its tokens as the loop delivers them (`deliver`).
    private func begin(_ job: OpenAICompatible.Job, route: InlineRoute, closing: Bool, started: ContinuousClock.Instant,
                       context: ChannelHandlerContext) {
        var chunks: OpenAICompatible.Chunks?
        if job.streamed {
            let opening = OpenAICompatible.Chunks(job)
            chunks = opening
            var fields = HTTPFields()
            fields[.contentType] = "text/event-stream"
            fields[.cacheControl] = "no-cache"
            fields[.date] = HTTPDate.now
            if closing { fields[.connection] = "close" }
            context.write(wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: fields))), promise: nil)
            if !opening.opening.isEmpty { context.write(wrapOutboundOut(.body(events(opening.opening, context: context))), promise: nil) }
            context.flush()
            server.noteInline(route, status: 200, started: started)
        }
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let loop = job.loop
        let id = Locked(0)
        let number = loop.write(job) { events in
            // Run after `begin` (this event loop's), so the number is known by then.
            eventLoop.execute { bound.value.handler.deliver(events, id: id.withLock { $0 }, context: bound.value.context) }
        }
        id.withLock { $0 = number }
        writing = Writing(job: job, id: number, chunks: chunks, route: route, closing: closing, started: started)
    }

    /// A turn's events for the completion `id`: a stream's chunks, or the whole answer at the end.
    private func deliver(_ events: [WritingLoop.Event], id: Int, context: ChannelHandlerContext) {
        guard var writing, writing.id == id else { return }
        if !writing.wroteToken, events.contains(where: { if case .text = $0 { true } else { false } }) {
            writing.wroteToken = true
            self.writing = writing
            writing.job.loop.firstToken.record(ContinuousClock.now - writing.started)
        }
        var texts: [String] = []
        var ended: [OpenAICompatible.Choice]?
        for event in events {
            switch event {
            case .text(let i, let text): if let chunks = writing.chunks { texts.append(chunks.text(i, text)) }
            case .end(let choices): ended = choices
            }
        }
        if let chunks = writing.chunks, let ended { texts += chunks.closing(ended) }
        if !texts.isEmpty { context.write(wrapOutboundOut(.body(self.events(texts, context: context))), promise: nil) }
        guard let ended else { return context.flush() }
        self.writing = nil
        if writing.chunks == nil {
            let answer = API.json(OpenAICompatible.whole(writing.job, ended))
            server.noteInline(writing.route, status: answer.status, started: writing.started)
            write(answer, closing: writing.closing, context: context)
        } else {
            server.streamEnded()
            end(closing: writing.closing, context: context)
        }
        while self.writing == nil, !held.isEmpty { take(held.removeFirst(), context: context) }
    }

    /// Server-sent events, `data: …` each.
    private func events(_ texts: [String], context: ChannelHandlerContext) -> ByteBuffer {
        var buffer = context.channel.allocator.buffer(capacity: texts.reduce(0) { $0 + $1.utf8.count + 8 })
        for text in texts {
            buffer.writeStaticString("data: ")
            buffer.writeString(text)
            buffer.writeStaticString("\n\n")
        }
        return buffer
    }

    /// The connection went: a completion being written for it stops.
    func channelInactive(context: ChannelHandlerContext) {
        if let writing {
            self.writing = nil
            writing.job.loop.cancel(writing.id)
            if writing.chunks != nil { server.streamEnded() } else { server.noteInline(writing.route, status: 499, started: writing.started) }
        }
        held = []
        context.fireChannelInactive()
    }

    /// A body grown past the limit goes to Hummingbird after all: the head and what came so far.
    private func handOver(context: ChannelHandlerContext) {
        guard let (_, request, body, _) = taken else { return }
        taken = nil
        passing = true
        passedOn += 1
        context.fireChannelRead(wrapInboundOut(.head(request)))
        context.fireChannelRead(wrapInboundOut(.body(body)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            passedOn = max(0, passedOn - 1)
            responseEnded()
        }
        context.write(data, promise: promise)
    }

    private func write(_ answer: API.Answer, closing: Bool, context: ChannelHandlerContext) {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for header in answer.headers {
            if let name = HTTPField.Name(header.name) { fields[name] = header.value }
        }
        let length = answer.body.utf8.count + answer.binary.count
        fields[.contentLength] = String(length)
        fields[.date] = HTTPDate.now
        if closing { fields[.connection] = "close" }
        var buffer = context.channel.allocator.buffer(capacity: length)
        buffer.writeString(answer.body)
        if !answer.binary.isEmpty { buffer.writeBytes(answer.binary) }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: answer.status), headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        end(closing: closing, context: context)
    }

    /// The response's end, then the connection's when asked.
    private func end(closing: Bool, context: ChannelHandlerContext) {
        responseEnded()
        if closing {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// The `Date` header (RFC 9110, section 6.6.1: an origin server with a clock sends it), in its
/// IMF-fixdate form, made once a second.
enum HTTPDate {
    private static let cache = Locked<(second: Int, text: String)>((-1, ""))

    static var now: String {
        let second = time(nil)
        return cache.withLock { c in
            if c.second != second {
                var t = second, p = tm()
                gmtime_r(&t, &p)
                // By hand, not strftime: the workbench sets the user's locale, and %a/%b follow it.
                let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
                let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                func two(_ x: Int32) -> String { x < 10 ? "0\(x)" : "\(x)" }
                let text = "\(days[Int(p.tm_wday)]), \(two(p.tm_mday)) \(months[Int(p.tm_mon)]) \(1900 + p.tm_year) "
                    + "\(two(p.tm_hour)):\(two(p.tm_min)):\(two(p.tm_sec)) GMT"
                c = (second, text)
            }
            return c.text
        }
    }
}

import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The short way for the requests a load test sends by the thousand: `POST /v1/predict` and
/// `POST /v2/models/NAME[/versions/V]/infer` with a JSON body, answered on the connection's
/// event loop as soon as the body has arrived, by the same functions as the router
/// (`API.predict`, `OpenInference.infer`), with the same log, metrics and key check.
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

    init(server: ModelServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
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
            let answer = server.answerInline(route, request, body: Array(body.readableBytesView), started: started)
            write(answer, closing: request.headerFields[.connection]?.lowercased() == "close", context: context)
        }
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
        if case .end = unwrapOutboundIn(data) { passedOn = max(0, passedOn - 1) }
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

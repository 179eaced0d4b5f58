import Testing
import Foundation
import TestSupport
@testable import WorkbenchCore
@testable import WorkbenchUI
import Models

/// A model service that answers nothing and counts what the test tells it: the status line and
/// `show serve` are about what the session reads from a service, not about HTTP (ServingTests
/// covers the real server).
final class CountingModelService: ModelService, @unchecked Sendable {
    var count = 0
    var requests: [ServedRequest] = []
    var started: (host: String, port: Int)?
    var names: [String] = []
    func start(predictors: [Predictor], host: String, port: Int) throws(DescentError) -> String {
        started = (host, port)
        names = predictors.map(\.name)
        return "\(host):\(port == 0 ? 40123 : port)"
    }
    func replace(with predictor: Predictor) {}
    var modelNames: [String] { names }
    func noteTraining(_ figures: TrainingFigures) {}
    var apiKey: String? { nil }
    func stop() { started = nil }
    var requestCount: Int { count }
    func recentRequests(limit: Int) -> [ServedRequest] { Array(requests.suffix(limit)) }
    var completions: [ServedCompletion] = []
    func recentCompletions(limit: Int) -> [ServedCompletion] { Array(completions.suffix(limit)) }
    var completionRevision: Int { completions.reduce(completions.count) { $0 + $1.ids.count } }
}

@MainActor @Suite struct ServingStatusTests {
    @Test func theStatusLineShowsTheAddressAndTheRequestsAtBothSizes() throws {
        let service = CountingModelService()
        let app = scriptedApp(["seed 1", "data iris", "model mlp 4", "set pace max", "train epochs=2"])
        app.session.frontEnd.makeModelService = { service }
        app.session.execute(line: "serve")
        service.count = 3
        service.requests = [ServedRequest(time: 1.25, method: "POST", path: "/v1/predict", status: 200, microseconds: 412),
                            ServedRequest(time: 2.5, method: "DELETE", path: "/v1/predict/some/long/path", status: 405, microseconds: 90)]
        #expect(app.session.poll(), "a new request count is news for the screen")
        let wide = screen(app, width: 150, height: 40).split(separator: "\n").last ?? ""
        #expect(wide.contains("serving 127.0.0.1:8080 · 3 req"), "\(wide)")
        // At 120 columns the port alone, so the run's rate and optimizer stay on the line.
        let middle = screen(app, width: 120, height: 40).split(separator: "\n").last ?? ""
        #expect(middle.contains("serving :8080 · 3 req") && middle.contains("lr 0.01  adam"), "\(middle)")
        let narrow = screen(app, width: 80, height: 24).split(separator: "\n").last ?? ""
        #expect(narrow.contains("serving :8080 · 3 req"), "\(narrow)")
        app.session.execute(line: "show serve")
        let text = screen(app, width: 80, height: 24)
        #expect(text.contains("  1.2s POST   /v1/predict   200    412 µs"), "\(text)")
        #expect(text.contains("  2.5s DELETE /v1/predict/… 405     90 µs"), "\(text)")
        #expect(text.contains(":8080 · 3 requests"), "\(text)")
        service.count = 1
        app.session.execute(line: "show serve")
        let one = screen(app, width: 80, height: 24)
        #expect(one.contains(":8080 · 1 request") && !one.contains("1 requests"), "\(one)")
        app.session.execute(line: "serve stop")
        #expect(!(screen(app, width: 120, height: 40).split(separator: "\n").last ?? "").contains("serving"))
    }

    /// `show serve` lists what the server wrote, and `show attention served` follows it token by
    /// token: the served model's attention on the window it reads, redrawn as tokens arrive.
    @Test func theWorkbenchFollowsWhatTheServerWrites() throws {
        let service = CountingModelService()
        let app = scriptedApp(["seed 2", "data words", "model gpt layers=1", "batch 64", "set pace max", "train epochs=1 name=words"])
        app.session.frontEnd.makeModelService = { service }
        app.session.execute(line: "serve")
        app.session.execute(line: "show attention served")
        #expect(screen(app, width: 120, height: 40).contains("the view fills with its next completion"))
        // a, b, c are ids 1, 2, 3 of the words vocabulary (`.` is 0).
        service.completions = [ServedCompletion(time: 3.5, model: "words", prompt: "ab", ids: [1, 2], streamed: true)]
        #expect(app.session.poll())
        let maps = try #require(app.session.display.attentionMaps)
        #expect(maps.ids == [1, 2] && maps.layers[0].length == 2)
        service.completions[0].text = "c"
        service.completions[0].ids.append(3)
        #expect(app.session.poll(), "a new token is news for the screen")
        #expect(app.session.display.attentionMaps?.ids == [1, 2, 3])
        #expect(!app.session.poll(), "nothing new, nothing to redraw")
        let pane = screen(app, width: 120, height: 40)
        #expect(pane.contains("served by words: 1 written, writing") && pane.contains("attention, query by key (served)"), "\(pane)")
        service.completions[0].finished = true
        service.requests = [ServedRequest(time: 3.5, method: "POST", path: "/v1/completions", status: 200, microseconds: 0)]
        service.count = 1
        app.session.execute(line: "show serve")
        let listed = screen(app, width: 80, height: 24)
        #expect(listed.contains("  3.5s words ab → c (streamed)"), "\(listed)")
        app.session.execute(line: "show attention")
        #expect(app.session.display.views.attention.served == nil, "`show attention` goes back to a validation sample")
    }
}

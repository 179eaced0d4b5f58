import Prometheus
import Models

/// What `GET /metrics` exposes, in Prometheus' text format 0.0.4 (swift-prometheus' registry):
/// requests by endpoint and status, their latency, requests in flight, tokens written, model
/// swaps, and the training the session reports (epoch, losses, updates/s), so a dashboard can
/// watch a run and its server. Endpoints are route templates (`/v2/models/{name}/infer`), so a
/// client inventing paths cannot grow the label set without bound.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let inFlight: Gauge
    private let swaps: Counter
    private let epoch: Gauge, loss: Gauge, validationLoss: Gauge, updatesPerSecond: Gauge
    private let madeRequestMetrics = Locked<[String: (Counter, DurationHistogram)]>([:])

    /// Latency buckets: from a quarter of a millisecond (an iris row) to seconds (a long write).
    static let buckets: [Duration] = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
                                      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                      .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5)]

    init() {
        let registry = self.registry
        inFlight = registry.makeGauge(descriptor: .init(namespace: "descent", metricName: "http_requests_in_flight", unitName: "",
                                                        helpText: "Requests being answered now"))
        swaps = registry.makeCounter(descriptor: .init(namespace: "descent", metricName: "model_swaps", unitName: "total",
                                                       helpText: "Models replaced while serving (a run ended, serve refresh, save)"))
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: .init(namespace: "descent", subsystem: "training", metricName: name, unitName: "", helpText: help))
        }
        epoch = gauge("epoch", "The current run's last finished epoch")
        loss = gauge("loss", "The current run's last epoch's training loss")
        validationLoss = gauge("validation_loss", "The current run's last validated epoch's validation loss")
        updatesPerSecond = gauge("updates_per_second", "The current run's speed")
    }

    /// `/v2/models/iris/versions/1/infer` → `/v2/models/{name}/infer`; unknown paths → `other`.
    static func endpoint(_ path: String) -> String {
        if path.hasPrefix("/v2/models/") {
            var parts = path.split(separator: "/").dropFirst(3).map(String.init)
            if parts.count >= 2, parts[0] == "versions" { parts.removeFirst(2) }
            return "/v2/models/{name}" + (parts.first.map { ["infer", "ready"].contains($0) ? "/" + $0 : "/other" } ?? "")
        }
        let known = ["/v1/predict", "/v1/model", "/healthz", "/openapi.json", "/metrics", "/v1/models", "/v1/completions",
                     "/v1/chat/completions", "/v2", "/v2/health/live", "/v2/health/ready"]
        return known.contains(path) ? path : "other"
    }

    func started() { inFlight.increment() }

    func answered(path: String, status: Int, elapsed: Duration) {
        answered(endpoint: Self.endpoint(path), status: status, elapsed: elapsed)
    }

    /// `answered(path:…)` with the endpoint's label already known (`endpoint(_:)`).
    func answered(endpoint: String, status: Int, elapsed: Duration) {
        inFlight.decrement()
        let (count, duration) = requestMetrics(endpoint: endpoint, status: status)
        count.increment()
        duration.record(elapsed)
    }

    /// The counter and histogram of an endpoint and status, made once: the registry's lookup
    /// validates names and help texts each time, a tenth of an inline answer's time under load.
    /// Endpoints are route templates and statuses few, so the table stays small.
    private func requestMetrics(endpoint: String, status: Int) -> (Counter, DurationHistogram) {
        let key = "\(endpoint) \(status)"
        if let made = madeRequestMetrics.withLock({ $0[key] }) { return made }
        let made = (registry.makeCounter(descriptor: .init(namespace: "descent", metricName: "http_requests", unitName: "total",
                                                           helpText: "Requests answered, by endpoint and status"),
                                         labels: [("endpoint", endpoint), ("status", "\(status)")]),
                    registry.makeDurationHistogram(descriptor: .init(namespace: "descent", metricName: "http_request_duration",
                                                                     unitName: "seconds",
                                                                     helpText: "Time to answer (a stream: to its first byte)"),
                                                   labels: [("endpoint", endpoint)], buckets: Self.buckets))
        madeRequestMetrics.withLock { $0[key] = made }
        return made
    }

    /// The writing loop's figures for `model` (`WritingLoop`): tokens written, its steps, the
    /// rows written in the latest (tokens over steps is how many rows a step writes on average),
    /// and each completion's time to its first token.
    func writing(model: String) -> (tokens: Counter, steps: Counter, rows: Gauge, firstToken: DurationHistogram) {
        (registry.makeCounter(descriptor: .init(namespace: "descent", metricName: "tokens_generated", unitName: "total",
                                                helpText: "Tokens (characters) written by the OpenAI-compatible API"),
                              labels: [("model", model)]),
         registry.makeCounter(descriptor: .init(namespace: "descent", metricName: "writing_steps", unitName: "total",
                                                helpText: "Forward passes of a served GPT's writing loop, each for every request's rows"),
                              labels: [("model", model)]),
         registry.makeGauge(descriptor: .init(namespace: "descent", metricName: "writing_rows", unitName: "",
                                              helpText: "Rows (requests' choices) written together in the latest step"),
                            labels: [("model", model)]),
         registry.makeDurationHistogram(descriptor: .init(namespace: "descent", metricName: "time_to_first_token", unitName: "seconds",
                                                          helpText: "From a completion's request to its first token written to the connection"),
                                        labels: [("model", model)], buckets: Self.buckets))
    }

    /// A model is served: how long building it from its file took, and (a replacement) how long
    /// the swap held the model list.
    func loaded(_ model: Predictor, swap: Duration? = nil) {
        registry.makeGauge(descriptor: .init(namespace: "descent", metricName: "model_load", unitName: "seconds",
                                             helpText: "Time the served model took to build from its file"),
                           labels: [("model", model.name)]).set(Double(model.loadDuration.components.attoseconds) * 1e-18
                                                                + Double(model.loadDuration.components.seconds))
        guard let swap else { return }
        swaps.increment()
        registry.makeDurationHistogram(descriptor: .init(namespace: "descent", metricName: "model_swap", unitName: "seconds",
                                                         helpText: "Time a replacement held the served models (requests wait at most this)"),
                                       buckets: [.nanoseconds(500), .microseconds(1), .microseconds(5), .microseconds(25),
                                                 .microseconds(100), .milliseconds(1)]).record(swap)
    }

    func training(_ figures: TrainingFigures) {
        epoch.set(Double(figures.epoch))
        loss.set(Double(figures.loss))
        if let v = figures.validationLoss { validationLoss.set(Double(v)) }
        updatesPerSecond.set(figures.updatesPerSecond)
    }

    var text: String { registry.emitToString() }
}

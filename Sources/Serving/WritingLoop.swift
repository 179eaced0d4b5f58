import Foundation
import NeuralEngine
import TensorCore
import Models
import Prometheus

/// Every completion of one served GPT, whole or streamed, written together by one thread: each
/// turn computes the next symbol of every row of every request with `WritingBatch` steps (one
/// cached position for the rows that fit the model's block, one whole-window pass for the rest),
/// and hands each request its new text (`deliver`, on this thread). A request that arrives gets
/// its first symbol in a step of its own; the others step `rowsPerPart` rows at a time with
/// arrivals let in between, so a new stream's first token waits for part of a step, not for a
/// step of every stream (continuous batching, scheduled as vLLM schedules prefills first).
///
/// What a request writes is what `OpenAICompatible.Job` asks for: its own draws (`seed`), stop
/// texts held back until they cannot begin one, a finished choice's row dropped at once. A
/// request alone in the loop is computed exactly as `generate` computes it; beside others its
/// rows are multiplied in larger matrices, which may change the last bits of a probability.
final class WritingLoop: @unchecked Sendable {
    /// What a request's writing hands back: a choice's new final text, then the end.
    enum Event: Sendable {
        case text(choice: Int, String)
        case end([OpenAICompatible.Choice])
    }

    /// A request being written (the loop thread's own, once it arrived).
    private final class Entry {
        let job: OpenAICompatible.Job
        let serial: Int
        let deliver: @Sendable ([Event]) -> Void
        /// What this turn has for the request, delivered at its end.
        var events: [Event] = []
        var rng: SeededGenerator
        var choices: [OpenAICompatible.Choice]
        /// The batch's rows of this member, as choices.
        var rows: [Int]
        var member: WritingBatch.Member?
        var steps = 0

        init(job: OpenAICompatible.Job, serial: Int, deliver: @escaping @Sendable ([Event]) -> Void) {
            self.job = job
            self.serial = serial
            self.deliver = deliver
            rng = SeededGenerator(seed: job.seed)
            choices = Array(repeating: OpenAICompatible.Choice(), count: job.choices)
            rows = Array(0..<job.choices)
        }
    }

    private let model: Predictor
    private let tokens: Counter, steps: Counter, rows: Gauge
    /// Each completion's time to its first token, recorded by whoever writes it out.
    let firstToken: DurationHistogram
    private let condition = NSCondition()
    // Guarded by `condition`: requests not yet taken in, requests whose reader went away, retired.
    private var arrivals: [(id: Int, entry: Entry)] = []
    private var gone: Set<Int> = []
    private var retired = false
    private var serial = 0
    private var running = false

    init(model: Predictor, metrics: ServerMetrics) {
        self.model = model
        (tokens, steps, rows, firstToken) = metrics.writing(model: model.name)
    }

    /// Writes `job`: `deliver` gets each turn's events for it, on the loop's thread, the last
    /// ending with `.end`. The number is the request's, for `cancel`.
    @discardableResult
    func write(_ job: OpenAICompatible.Job, deliver: @escaping @Sendable ([Event]) -> Void) -> Int {
        let serial = job.log.begin(model: job.model.name, prompt: job.prompt.map { job.vocabulary[$0] }.joined(), ids: job.prompt,
                                   streamed: job.streamed)
        let entry = Entry(job: job, serial: serial, deliver: deliver)
        condition.lock()
        defer { condition.unlock() }
        self.serial += 1
        arrivals.append((self.serial, entry))
        if !running {
            running = true
            let thread = Thread { [self] in run() }
            thread.start()
        }
        condition.signal()
        return self.serial
    }

    /// The request's reader went away: it leaves the loop at its next turn, and nothing more is
    /// delivered.
    func cancel(_ id: Int) {
        condition.lock()
        gone.insert(id)
        condition.signal()
        condition.unlock()
    }

    /// `write` for an async reader: dropping the stream (a client that went away) cancels it.
    func events(_ job: OpenAICompatible.Job) -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream()
        let id = write(job) { events in
            for event in events { continuation.yield(event) }
            if case .end? = events.last { continuation.finish() }
        }
        continuation.onTermination = { [weak self] termination in
            if case .cancelled = termination { self?.cancel(id) }
        }
        return stream
    }

    /// No new requests come (the model was replaced or the server stops): the thread ends once
    /// the requests in flight are written.
    func retire() {
        condition.lock()
        retired = true
        condition.signal()
        condition.unlock()
    }

    /// The loop thread's own: requests being written (in the order they came), the batch.
    private var entries: [Int: Entry] = [:]
    private var order: [Int] = []
    private var batch: InferenceModel.Batch?

    private func run() {
        nameThisThread("descent-write")
        batch = model.batch()
        while true {
            condition.lock()
            while arrivals.isEmpty && gone.isEmpty && entries.isEmpty && !retired { condition.wait() }
            if arrivals.isEmpty && entries.isEmpty && retired {
                running = false
                condition.unlock()
                batch = nil
                return
            }
            condition.unlock()
            takeArrivals()
            // The others, a few rows at a time: between two parts, requests that arrived in the
            // meantime get their first symbol (a new stream's first token waits for a part of a
            // step, not for a whole step of every stream; vLLM also schedules prefills first).
            var rest = order
            while !rest.isEmpty {
                var part: [Int] = [], rows = 0
                while let id = rest.first, part.isEmpty || rows + entries[id]!.rows.count <= Self.rowsPerPart {
                    rows += entries[id]!.rows.count
                    part.append(rest.removeFirst())
                }
                step(part)
                if condition.withLock({ !arrivals.isEmpty || !gone.isEmpty }) {
                    takeArrivals()
                    rest.removeAll { entries[$0] == nil }
                }
            }
        }
    }

    /// Rows stepped together at most before new requests are let in: a part of gpt-nano's
    /// whole-window pass takes ~0.2 ms here, the 16 rows of the serving benchmark ~0.75 ms.
    static let rowsPerPart = 4

    /// Joins the requests that arrived, drops those whose readers went, and gives the new ones
    /// their first symbol in a step of their own.
    private func takeArrivals() {
        let (arrived, left) = condition.withLock {
            defer { (arrivals, gone) = ([], []) }
            return (arrivals, gone)
        }
        var joined: [Int] = []
        for (id, entry) in arrived {
            // Nothing asked, or nothing to write with (a model that cannot be used): it ends at once.
            guard entry.job.maxTokens > 0, let batch else {
                end(entry, reason: "length")
                entry.deliver(entry.events)
                continue
            }
            entry.member = batch.writing.join(prompts: Array(repeating: entry.job.prompt, count: entry.job.choices))
            entries[id] = entry
            joined.append(id)
        }
        for id in left where entries[id] != nil { end(entries.removeValue(forKey: id)!, reason: nil) }
        joined.removeAll { entries[$0] == nil }
        order.removeAll { entries[$0] == nil }
        if !joined.isEmpty { step(joined) }
        order += joined.filter { entries[$0] != nil }
    }

    /// One symbol for each row of the requests `ids`, in one step; each gets its text.
    private func step(_ ids: [Int]) {
        guard let batch else { return }
        let probabilities = batch.writing.next(only: Set(ids.map { entries[$0]!.member! }))
        rows.set(Double(ids.reduce(0) { $0 + entries[$1]!.rows.count }))
        steps.increment()
        for id in ids {
            let entry = entries[id]!
            if let rows = probabilities?[entry.member!] { advance(entry, rows: rows) } else { end(entry, reason: "stop") }
            if entry.member == nil { entries[id] = nil }
            if !entry.events.isEmpty { entry.deliver(entry.events) }
            entry.events = []
        }
        order.removeAll { entries[$0] == nil }
    }

    /// One symbol in each of the entry's live rows, drawn from `rows` (their probabilities).
    private func advance(_ entry: Entry, rows: [[Float]]) {
        guard let batch else { return }
        let job = entry.job
        var ids: [Int] = []
        for (k, i) in entry.rows.enumerated() {
            let id = Sampling.pick(rows[k], temperature: job.temperature, topK: job.topK, topP: job.topP, rng: &entry.rng)
            ids.append(id)
            if i == 0 { job.log.wrote(entry.serial, symbol: job.vocabulary[id], id: id) }
            entry.choices[i].tokens += 1
            entry.choices[i].pending += job.vocabulary[id]
            let out = entry.choices[i].release(stop: job.stop)
            if !out.isEmpty { entry.events.append(.text(choice: i, out)) }
        }
        batch.writing.append(entry.member!, ids: ids)
        entry.steps += 1
        let live = entry.choices.indices.filter { entry.choices[$0].finish == nil }
        if live.isEmpty || entry.steps >= job.maxTokens { return end(entry, reason: "length") }
        if live != entry.rows {
            batch.writing.keep(entry.member!, rows: live.map { entry.rows.firstIndex(of: $0)! })
            entry.rows = live
        }
    }

    /// Ends the entry: each unfinished choice's held-back text goes out, finished for `reason`
    /// (nil: its reader went away, nothing more is delivered).
    private func end(_ entry: Entry, reason: String?) {
        if let member = entry.member { batch?.writing.leave(member) }
        entry.member = nil
        entry.job.log.finished(entry.serial)
        tokens.increment(by: Int64(entry.choices.reduce(0) { $0 + $1.tokens }))
        guard let reason else { return entry.events = [] }
        for i in entry.choices.indices where entry.choices[i].finish == nil {
            if !entry.choices[i].pending.isEmpty { entry.events.append(.text(choice: i, entry.choices[i].pending)) }
            entry.choices[i].text += entry.choices[i].pending
            entry.choices[i].pending = ""
            entry.choices[i].finish = reason
        }
        entry.events.append(.end(entry.choices))
    }
}

/// The writing loops of the models a server serves, one per model, made at its first request.
final class WritingLoops: Sendable {
    private let loops = Locked<[ObjectIdentifier: WritingLoop]>([:])
    private let metrics: ServerMetrics

    init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    func loop(for model: Predictor) -> WritingLoop {
        loops.withLock { loops in
            if let loop = loops[ObjectIdentifier(model)] { return loop }
            let loop = WritingLoop(model: model, metrics: metrics)
            loops[ObjectIdentifier(model)] = loop
            return loop
        }
    }

    /// Retires the loops of models not in `served` (all when it is empty).
    func retire(except served: [Predictor]) {
        let kept = Set(served.map(ObjectIdentifier.init))
        let retired = loops.withLock { loops in
            let old = loops.filter { !kept.contains($0.key) }
            for key in old.keys { loops[key] = nil }
            return Array(old.values)
        }
        for loop in retired { loop.retire() }
    }
}

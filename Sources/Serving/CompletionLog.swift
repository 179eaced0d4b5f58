import Models

/// The latest texts written through the OpenAI-compatible API, token by token, shared by the
/// server's threads and read by the session's (`show serve`, the attention view following a
/// served generation). Only the first choice of each request is kept.
final class CompletionLog: Sendable {
    private static let kept = 16
    private struct State {
        var serial = 0
        var revision = 0
        var entries: [(serial: Int, completion: ServedCompletion)] = []
    }
    private let state = Locked(State())
    private let start = ContinuousClock.now

    var revision: Int { state.withLock { $0.revision } }

    /// A completion begins; its number for `wrote` and `finished`.
    func begin(model: String, prompt: String, ids: [Int], streamed: Bool) -> Int {
        let since = ContinuousClock.now - start
        let time = Double(since.components.seconds) + Double(since.components.attoseconds) * 1e-18
        return state.withLock { s in
            s.serial += 1
            s.revision += 1
            s.entries.append((s.serial, ServedCompletion(time: time, model: model, prompt: String(prompt.suffix(200)),
                                                         ids: Array(ids.suffix(ServedCompletion.keptIds)), streamed: streamed)))
            if s.entries.count > Self.kept { s.entries.removeFirst() }
            return s.serial
        }
    }

    /// Completion `serial` wrote `symbol` (id `id`).
    func wrote(_ serial: Int, symbol: String, id: Int) {
        state.withLock { s in
            guard let k = s.entries.lastIndex(where: { $0.serial == serial }) else { return }
            s.revision += 1
            s.entries[k].completion.text += symbol
            s.entries[k].completion.ids.append(id)
            if s.entries[k].completion.ids.count > ServedCompletion.keptIds { s.entries[k].completion.ids.removeFirst() }
        }
    }

    func finished(_ serial: Int) {
        state.withLock { s in
            guard let k = s.entries.lastIndex(where: { $0.serial == serial }) else { return }
            s.revision += 1
            s.entries[k].completion.finished = true
        }
    }

    func recent(limit: Int) -> [ServedCompletion] {
        state.withLock { s in s.entries.suffix(limit).map(\.completion) }
    }
}

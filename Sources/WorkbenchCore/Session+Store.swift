import Foundation
import RunStore
import TensorCore

extension Session {
    /// Keeps every run from now on in the run store at `path` (made when there is none), as
    /// this workbench's session on `machine` with `build` (`scratch`: a store of one replay's,
    /// deleted after it, whose path is not told). Returns false, after saying why, when
    /// the store is refused (damaged, another program's, a newer Descent's: never overwritten)
    /// or cannot be made; the session then goes on without one.
    @discardableResult
    public func keepRuns(at path: String, build: String, scratch: Bool = false) -> Bool {
        do {
            let store = try RunStore.open(at: path)
            try store.beginSession(machine: Self.machine, build: build)
            let keeper = RunKeeper(store: store) { [unowned bench] in bench.random.generator }
            keeper.isScratch = scratch
            bench.keeper = keeper
            return true
        } catch {
            say("the run store cannot be used: \(error.description); runs are not kept this session", .error)
            return false
        }
    }

    /// Where runs are kept; nil without a store.
    public var runStorePath: String? { bench.keeper?.store.path }

    /// Writes what the runs did since the last write to the store (at most every
    /// `RunKeeper.interval` while they go on; at once with `now`).
    func keepRuns(now: Bool = false) {
        if let message = bench.keeper?.write(bench.runs, now: now) { say(message, .error) }
    }

    /// This machine, as kept with its runs: host name, processor, cores and OpenBLAS's kernel
    /// (which sets the last bits of every trained number).
    static var machine: String {
        var host = [CChar](repeating: 0, count: 256)
        let name = gethostname(&host, host.count) == 0
            ? String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown processor"
        return "\(name) · \(model) · \(ProcessInfo.processInfo.activeProcessorCount) cores · OpenBLAS \(BLAS.kernel)"
    }
}

import Foundation
import ArgumentParser
import WorkbenchCore
import BenchmarkSuite
import NcursesBackend
import Serving
import Models
import RunStore

/// `descent`: the workbench, notebook replays and benchmarks. swift-argument-parser gives every
/// form its usage text and refuses what it does not understand (a second lesson, an unknown
/// flag) instead of guessing.
struct Descent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "descent",
        abstract: "A terminal workbench for learning machine learning by doing it.",
        usage: "descent [<lesson>] [--theme <theme>] [--headless] [--store <path> | --no-store]\n"
            + "       [--confine <folder> [--read-only <folder> ...]]\n"
            + "descent run <notebook> ... [--store <path>]\n"
            + "descent serve <name> [--port <n>] [--host <address>]\n"
            + "descent bench [<name> ...] [--reps <n>] [--threads <n>]\n"
            + "descent classroom init|add|assign <class> ...\n"
            + "descent classroom <class> [--listen <address:port>] [--teacher]\n"
            + "descent grade <class> [--seconds <n>] [--memory <MiB>]",
        version: "descent 0.1 · \(LibraryVersions.describe())",
        subcommands: [Open.self, Replay.self, Serve.self, Bench.self, ClassroomCommand.self, Grade.self, GradeOne.self],
        defaultSubcommand: Open.self)
}

/// `descent [LESSON] [--theme NAME] [--headless]`.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the workbench, on a lesson notebook if one is given (the default command).",
        discussion: """
            Without a terminal (standard input or output not a terminal, TERM unset or dumb) or with \
            --headless, commands are read from standard input and results printed, or the lesson is \
            replayed.
            """)

    @Argument(help: "A lesson notebook (.md) to open in the lesson pane.")
    var lesson: String?

    @Option(help: "A colour theme from Themes/ (default, light, solarized-dark, mono).")
    var theme: String?

    @Flag(help: "No screen: read commands from standard input and print the results.")
    var headless = false

    @Option(help: "The run store, a SQLite file (default: ~/.local/share/descent/runs.sqlite, or under $XDG_DATA_HOME).")
    var store: String?

    @Flag(help: "Keep no runs after this session.")
    var noStore = false

    @Option(help: "A learner's workbench in a class: work in this folder and use no file outside it.")
    var confine: String?

    @Option(help: "With --confine: a folder to read too (the class's lessons); may be repeated.")
    var readOnly: [String] = []

    @Option(help: "With --confine: the memory (MiB) the workbench may use.")
    var memory = 4096

    @Option(help: "With --confine: what the folder may hold (MiB); also the largest file.")
    var quota = 1024

    @Option(help: "With --confine: the screen ends after this many minutes without a key.")
    var idleMinutes = 60

    func validate() throws {
        if noStore, store != nil { throw ValidationError("--store and --no-store contradict each other: give one") }
        if confine == nil, !readOnly.isEmpty { throw ValidationError("--read-only goes with --confine") }
        guard (512...1_048_576).contains(memory) else { throw ValidationError("--memory needs at least 512 (MiB): the workbench needs that much to start") }
        guard (1...1_048_576).contains(quota) else { throw ValidationError("--quota needs a number of MiB from 1") }
        guard (1...10_080).contains(idleMinutes) else { throw ValidationError("--idle-minutes needs a number from 1 to 10,080 (a week)") }
    }

    func run() throws {
        var confinement: Confinement?
        var confinedNote: String?
        if let confine {
            do {
                (confinement, confinedNote) = try Confine.apply(folder: confine, readOnly: readOnly,
                                                                 limits: Limits(memoryMiB: memory, quotaMiB: quota, idleMinutes: idleMinutes))
                if let store { try confinement?.check(store, writing: true) }
            } catch {
                FileHandle.standardError.write(Data("descent: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let choice = StoreChoice(path: noStore ? nil : store ?? RunStore.defaultPath(), confinement: confinement, note: confinedNote,
                                 idleMinutes: confine == nil ? nil : idleMinutes)
        if headless, theme != nil {
            FileHandle.standardError.write(Data("descent: --theme colours the screen; --headless has none, so it is ignored\n".utf8))
        }
        let status: Int32 = MainActor.assumeIsolated {
            if headless {
                if let lesson { return HeadlessFrontEnd.descent(choice).replay([lesson]) }
                return HeadlessFrontEnd.descent(choice).readCommands(prompt: isatty(0) == 1)
            }
            if let status = ScreenFrontEnd.run(lesson: lesson, themeName: theme, store: choice) { return status }
            if let lesson { return HeadlessFrontEnd.descent(choice).replay([lesson]) }
            return HeadlessFrontEnd.descent(choice).readCommands(prompt: false)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `descent run FILE…`.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay notebooks without a screen, each in a fresh session; exit 1 if a check fails.",
        discussion: "Runs are kept in a scratch store of the replay's own, deleted at its end, unless --store names one.")

    @Argument(help: "Notebooks to replay, in order.")
    var notebooks: [String]

    @Option(help: "Keep the replay's runs in this run store (a SQLite file).")
    var store: String?

    func validate() throws {
        guard !notebooks.isEmpty else {
            throw ValidationError("name at least one notebook, e.g. descent run Notebooks/welcome.md")
        }
    }

    func run() throws {
        let status = HeadlessFrontEnd.descent(StoreChoice(path: store)).replay(notebooks)
        if status != 0 { throw ExitCode(status) }
    }
}

extension HeadlessFrontEnd {
    /// The headless front end with the lessons, the model server and the run store of this installation.
    static func descent(_ store: StoreChoice) -> HeadlessFrontEnd {
        var frontEnd = HeadlessFrontEnd(lessonsFolder: ResourceFolders.find("Notebooks"), makeModelService: { ModelServer() })
        if let path = store.path { frontEnd.keepRuns = { $0.keepRuns(at: path, build: StoreChoice.build) } }
        frontEnd.confinement = store.confinement
        frontEnd.note = store.note
        return frontEnd
    }
}

/// What the command line chose for the session: where it keeps its runs (none with
/// `--no-store`), and, for a learner's workbench in a class, its confinement and the line that
/// says which is in force.
struct StoreChoice {
    var path: String?
    var confinement: Confinement? = nil
    var note: String? = nil
    /// The screen ends after this many minutes without a key (a confined workbench's default: 60).
    var idleMinutes: Int? = nil

    /// What the store keeps as the build of its runs.
    static var build: String {
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        return "descent 0.1 (\(configuration)) · \(LibraryVersions.describe())"
    }

}

/// `descent serve NAME … [--port N] [--host ADDRESS]`: saved models as an HTTP service, each
/// under its file's name (the first also answers `/v1/predict`), with no screen, until SIGINT or
/// SIGTERM.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve saved models (NAME.safetensors) over HTTP until Ctrl-C or SIGTERM.",
        discussion: "Endpoints: POST /v1/predict (the first model), GET /v1/model, GET /healthz, GET /openapi.json, "
            + "and the Open Inference Protocol's /v2 paths, /v2/models/NAME for each model.")

    @Argument(help: "The saved models: NAME or NAME.safetensors, as `save NAME` wrote them.")
    var names: [String]

    @Option(help: "The TCP port; 0 picks a free one.")
    var port = 8080

    @Option(help: "The address to listen on; anything but loopback reaches other machines.")
    var host = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port needs a number from 0 to 65535") }
        guard !names.isEmpty else { throw ValidationError("name at least one saved model") }
        if let option = names.first(where: { $0.hasPrefix("port=") || $0.hasPrefix("host=") }) {
            throw ValidationError("\(option): outside the workbench the options are --port N and --host ADDRESS")
        }
    }

    func run() throws {
        do {
            // Served under the file's name: `descent serve models/iris` answers /v2/models/iris.
            let predictors = try names.map { name throws(DescentError) in
                try Predictor(try ModelFile.read(name: name), name: URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent)
            }
            let server = ModelServer()
            let address = try server.start(predictors: predictors, host: host, port: port)
            if !["127.0.0.1", "localhost", "::1"].contains(host) {
                FileHandle.standardError.write(Data(("descent: listening on \(host): other machines can reach these models, with this key "
                    + "(shown once): Authorization: Bearer \(server.apiKey ?? "")\n").utf8))
            }
            let served = names.map { ModelFile.paths($0).weights }.joined(separator: ", ")
            FileHandle.standardOutput.write(Data("serving \(served) at http://\(address) (Ctrl-C stops)\n".utf8))
            ServeSignals.waitForStop()
            server.stop()
            FileHandle.standardOutput.write(Data("stopped after \(server.requestCount) request\(server.requestCount == 1 ? "" : "s")\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("descent serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// SIGINT and SIGTERM for `descent serve` (no screen there): ignored as signals and delivered
/// as dispatch events instead, so nothing runs inside a signal handler.
enum ServeSignals {
    static func waitForStop() {
        let stop = DispatchSemaphore(value: 0)
        let sources = onStop { stop.signal() }
        stop.wait()
        for source in sources { source.cancel() }
    }

    /// Runs `action` (on a dispatch queue) at SIGINT or SIGTERM from now on, until the sources are cancelled.
    static func onStop(_ action: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: action)
            source.resume()
            return source
        }
    }
}

/// `descent bench [NAME…] [--reps N] [--threads N]`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run benchmarks and print Markdown tables (all of them when none is named).",
        discussion: "Benchmarks: \(Benchmarks.names.joined(separator: ", ")).")

    @Argument(help: "Benchmarks to run (case-insensitive).")
    var names: [String] = []

    @Option(help: "Timed repetitions of each, after a warm-up.")
    var reps = 5

    @Option(help: "OpenBLAS threads for the training workloads.")
    var threads = 1

    func validate() throws {
        guard reps >= 1 else { throw ValidationError("--reps needs a whole number ≥ 1") }
        guard threads >= 1 else { throw ValidationError("--threads needs a whole number ≥ 1") }
        for name in names where Benchmarks.canonicalName(name) == nil {
            throw ValidationError("unknown benchmark '\(name)'; available: \(Benchmarks.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        Benchmarks.run(names.compactMap(Benchmarks.canonicalName), repetitions: reps, threads: threads)
    }
}

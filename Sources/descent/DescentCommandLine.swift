import Foundation
import ArgumentParser
import WorkbenchCore
import BenchmarkSuite
import NcursesBackend

/// `descent`: the workbench, notebook replays and benchmarks. swift-argument-parser gives every
/// form its usage text and refuses what it does not understand (a second lesson, an unknown
/// flag) instead of guessing.
struct Descent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "descent",
        abstract: "A terminal workbench for learning machine learning by doing it.",
        usage: "descent [<lesson>] [--theme <theme>] [--headless]\n"
            + "descent run <notebook> ...\n"
            + "descent bench [<name> ...] [--reps <n>] [--threads <n>]",
        version: "descent 0.1 · \(LibraryVersions.describe())",
        subcommands: [Open.self, Replay.self, Bench.self],
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

    func run() throws {
        if headless, theme != nil {
            FileHandle.standardError.write(Data("descent: --theme colours the screen; --headless has none, so it is ignored\n".utf8))
        }
        let status: Int32 = MainActor.assumeIsolated {
            if headless {
                if let lesson { return HeadlessFrontEnd(lessonsFolder: ResourceFolders.find("Notebooks")).replay([lesson]) }
                return HeadlessFrontEnd(lessonsFolder: ResourceFolders.find("Notebooks")).readCommands(prompt: isatty(0) == 1)
            }
            if let status = ScreenFrontEnd.run(lesson: lesson, themeName: theme) { return status }
            if let lesson { return HeadlessFrontEnd(lessonsFolder: ResourceFolders.find("Notebooks")).replay([lesson]) }
            return HeadlessFrontEnd(lessonsFolder: ResourceFolders.find("Notebooks")).readCommands(prompt: false)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `descent run FILE…`.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay notebooks without a screen, each in a fresh session; exit 1 if a check fails.")

    @Argument(help: "Notebooks to replay, in order.")
    var notebooks: [String]

    func validate() throws {
        guard !notebooks.isEmpty else {
            throw ValidationError("name at least one notebook, e.g. descent run Notebooks/welcome.md")
        }
    }

    func run() throws {
        let status = HeadlessFrontEnd(lessonsFolder: ResourceFolders.find("Notebooks")).replay(notebooks)
        if status != 0 { throw ExitCode(status) }
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

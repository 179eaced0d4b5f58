import Foundation
import WorkbenchCore
import BenchmarkSuite
import NcursesBackend

/// The program's flags and subcommands.
@MainActor
enum DescentCommandLine {
    static let usage = """
    usage: descent [--theme NAME] [FILE.md]   open the workbench (on a lesson notebook, if given)
           descent run FILE.md …        replay notebooks without a screen; exit 1 if a check fails
           descent --headless           read commands from standard input, print results
           descent bench [NAME …]       benchmarks: W1…W5 threads ring reporting screen [--reps N] [--threads N]
           descent --version | --help
    """

    static func run(_ args: [String]) -> Int32 {
        switch args.first {
        case "--help"?, "-h"?, "help"?:
            print(usage)
            return 0
        case "--version"?:
            print("descent 0.1 · \(LibraryVersions.describe())")
            return 0
        case "run"?:
            let files = Array(args.dropFirst())
            guard !files.isEmpty else {
                print("descent run: name at least one notebook, e.g. descent run Notebooks/welcome.md")
                return 2
            }
            return HeadlessFrontEnd().replay(files)
        case "bench"?:
            return Benchmarks.run(Array(args.dropFirst()))
        case "--headless"?:
            return HeadlessFrontEnd().readCommands(prompt: isatty(0) == 1)
        case let flag? where flag.hasPrefix("-") && flag != "--theme":
            print("descent: unknown option \(flag)\n\(usage)")
            return 2
        default:
            var rest = args[...]
            var theme: String?
            if rest.first == "--theme" {
                guard rest.count >= 2 else { print("descent: --theme needs a name"); return 2 }
                theme = rest[rest.startIndex + 1]
                rest = rest.dropFirst(2)
            }
            let lesson = rest.first
            if let status = ScreenFrontEnd.run(lesson: lesson, themeName: theme) { return status }
            if let lesson { return HeadlessFrontEnd().replay([lesson]) }
            return HeadlessFrontEnd().readCommands(prompt: false)
        }
    }
}

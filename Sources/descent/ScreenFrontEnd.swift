import Foundation
import TerminalUI
import WorkbenchUI
import NcursesBackend
import Serving
import WorkbenchCore

/// Starts the workbench screen; returns nil (after saying why) when it cannot, so the caller
/// runs headless instead.
@MainActor
enum ScreenFrontEnd {
    /// `present` wraps the workbench for the terminal loop (a learner's presence in a class).
    static func run(lesson: String?, themeName: String?, store: StoreChoice,
                    present: (WorkbenchApp) -> any TerminalApplication = { $0 }) -> Int32? {
        if let reason = TerminalCheck.screenUnavailableReason() {
            FileHandle.standardError.write(Data("descent: \(reason); running headless (commands from standard input)\n".utf8))
            return nil
        }
        let themes = ResourceFolders.find("Themes")
        var theme = Theme.builtInDefault
        var themeProblem: String?
        if let folder = themes {
            do {
                theme = try Theme.load(named: themeName ?? "default", in: folder)
            } catch {
                themeProblem = "\(error.description); using the built-in default theme"
            }
        }
        let app = WorkbenchApp(themesFolder: themes, theme: theme)
        app.session.frontEnd.makeModelService = { ModelServer() }
        app.session.frontEnd.confinement = store.confinement
        if let note = store.note { app.session.output(OutputLine(.info, note)) }
        if let path = store.path { app.session.keepRuns(at: path, build: StoreChoice.build) }
        if let notebooks = ResourceFolders.find("Notebooks") { app.runner.lessonsFolder = notebooks }
        if let problem = themeProblem { app.showCompletions([problem]) }
        if let lesson {
            app.openLesson(lesson)
        } else if let welcome = ResourceFolders.find("Notebooks")?.appendingPathComponent("welcome.md"),
                  FileManager.default.fileExists(atPath: welcome.path) {
            app.openLesson(welcome.path)
        }
        let history = ProcessInfo.processInfo.environment["HOME"].map { $0 + "/.descent_history" }
        do {
            try TerminalLoop.run(present(app), historyPath: history, idleLimit: store.idleMinutes.map { .seconds($0 * 60) })
        } catch {
            FileHandle.standardError.write(Data("descent: \(error); running headless\n".utf8))
            return nil
        }
        return 0
    }
}

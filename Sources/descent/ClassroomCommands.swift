import Foundation
import ArgumentParser
import Classroom
import WorkbenchCore
import Models

/// `descent classroom init|add|assign`: a class folder, its roster and its assignments
/// (README, Classroom).
struct ClassroomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroom",
        abstract: "Set up a class (its folder, learners, assignments), serve it over SSH, watch it.",
        subcommands: [ClassInit.self, ClassAdd.self, ClassAssign.self, ClassServe.self, ClassSession.self],
        defaultSubcommand: ClassServe.self)
}

/// Prints `message` to standard error as `descent …: message` and fails.
func fail(_ command: String, _ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("descent \(command): \(error)\n".utf8))
    return ExitCode(1)
}

struct ClassInit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Make a class folder.")

    @Argument(help: "The class folder to make (new, or empty).")
    var folder: String

    func run() throws {
        do {
            let made = try ClassFolder.create(at: folder)
            print("made the class \(made.path): learners.txt (the roster), assignments/, handout/, learners/, grades/")
            print("next: descent classroom add \(folder) NAME KEY.pub, then descent classroom assign \(folder) FILE.md")
        } catch {
            throw fail("classroom init", error)
        }
    }
}

struct ClassAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a learner with their SSH public key.")

    @Argument(help: "The class folder.") var folder: String
    @Argument(help: "The learner's name: a letter, then letters, digits, - or _.") var name: String
    @Argument(help: "Their public key file (OpenSSH, e.g. id_ed25519.pub).") var key: String

    func run() throws {
        do {
            let added = try ClassFolder.open(folder).add(name, keyFile: key)
            print("added \(name) (\(added.type)\(added.comment.isEmpty ? "" : ", \(added.comment)")): their folder is "
                  + "\(ClassFolder(path: folder).learnerPath(name))")
        } catch {
            throw fail("classroom add", error)
        }
    }
}

struct ClassAssign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Hand out an assignment: a notebook with answer cells and checks with points.",
        discussion: "Cells fenced ```descent answer are the learner's to write; ```descent hidden cells hold checks "
            + "learners never see; `expect … points=N` lines in given or hidden cells are what grading counts.")

    @Argument(help: "The class folder.") var folder: String
    @Argument(help: "The teacher's notebook (.md).") var notebook: String

    func run() throws {
        do {
            let (name, answers, checks, replaced) = try ClassFolder.open(folder).assign(notebook)
            let hidden = checks.filter(\.hidden)
            let total = checks.reduce(0) { $0 + $1.points }
            if let replaced {
                print("replaced the earlier \(name) (\(replaced.count) check\(replaced.count == 1 ? "" : "s") worth "
                      + "\(Grading.csvNumber(replaced.reduce(0) { $0 + $1.points })) points); submissions made for it stay and are graded against this one")
            }
            print("assigned \(name): \(answers) answer cell\(answers == 1 ? "" : "s"), \(checks.count) check\(checks.count == 1 ? "" : "s") worth "
                  + "\(Grading.csvNumber(total)) points (\(hidden.count) hidden); learners open handout/\(name).md and `submit`")
        } catch {
            throw fail("classroom assign", error)
        }
    }
}

/// `descent grade CLASS`: every learner's submission of every assignment replayed in a fresh
/// process with time and memory limits, the teacher's checks counted; a gradebook (CSV, JSON)
/// and a report per learner in CLASS/grades/.
struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade", abstract: "Grade every submission by replaying it (outputs are recomputed, never read).")

    @Argument(help: "The class folder.") var folder: String
    @Option(help: "Seconds of wall time each replay may take.") var seconds = 300
    @Option(help: "Memory (MiB) each replay may use.") var memory = 4096

    func validate() throws {
        guard (1...86_400).contains(seconds) else { throw ValidationError("--seconds needs a number of seconds from 1 to 86,400") }
        // Below this a replay cannot even start its threads (it then waits out its time).
        guard (512...1_048_576).contains(memory) else { throw ValidationError("--memory needs at least 512 (MiB): a replay needs that much to start") }
    }

    func run() throws {
        do {
            try becomeTheClassOwner()
            let rows = try grade()
            let done = Set(rows.map(\.learner)).count
            print("graded \(done) learner\(done == 1 ? "" : "s"): \(folder)/grades/gradebook.csv, gradebook.json and a report each")
        } catch let error as ExitCode {
            throw error
        } catch {
            throw fail("grade", error)
        }
    }

    /// Run as root, grading becomes the user who owns the class folder before it reads a
    /// submission: learners' answers are replayed with no more rights than their own
    /// workbenches have, and what grading writes (grades/, a replay's files) is the class's.
    /// A class folder root owns is graded as root.
    func becomeTheClassOwner() throws {
        guard geteuid() == 0 else { return }
        var info = stat()
        guard stat(folder, &info) == 0 else { return }   // ClassFolder.open says what is wrong
        guard info.st_uid != 0 else { return }
        var group = info.st_gid
        guard setgroups(1, &group) == 0, setgid(info.st_gid) == 0, setuid(info.st_uid) == 0 else {
            throw DescentError("cannot become the class folder's owner (user \(info.st_uid)) to grade as them: "
                               + String(cString: strerror(errno)))
        }
        let name = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "user \(info.st_uid)"
        print("grading as \(name), who owns \(folder) (not as root)")
    }

    func grade() throws -> [GradedCheck] {
        let classFolder = try ClassFolder.open(folder)
        let learners = try classFolder.learners()
        let assignments = classFolder.assignments()
        guard !assignments.isEmpty else { throw DescentError("\(folder): no assignments yet (descent classroom assign)") }
        // What each replay ran is kept (grades/replayed/NAME/A.md): the reports' line numbers
        // point into it. A replay reads only its own learner's folder of them.
        let work = classFolder.gradesPath + "/replayed"
        var rows: [GradedCheck] = []
        var errors: [String: [String: [String]]] = [:]   // learner → assignment → errors
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/learners")) ?? []
        for stray in folders.sorted() where !learners.contains(stray) && !stray.hasPrefix(".") {
            print("\(stray): a folder in learners/ but not in the roster: not graded (descent classroom add puts them in it)")
        }
        for assignment in assignments {
            let teacher = try classFolder.assignment(assignment)
            for learner in learners {
                let submitted = classFolder.submissionPath(learner, assignment)
                guard FileManager.default.fileExists(atPath: submitted) else {
                    rows += Grading.missing(teacher, learner: learner, assignment: assignment)
                    print("\(learner) · \(assignment): no submission")
                    continue
                }
                let prepared = Result { () throws(DescentError) in
                    try Grading.notebook(teacher: teacher, submission: try ClassFolder.notebook(at: submitted),
                                         fileName: "\(work)/\(learner)/\(assignment).md")
                }
                guard case .success(let graded) = prepared else {
                    if case .failure(let error) = prepared {
                        rows += Grading.missing(teacher, learner: learner, assignment: assignment).map {
                            var r = $0; r.seen = "refused: \(error.description)"; return r
                        }
                        print("\(learner) · \(assignment): refused: \(error.description)")
                    }
                    continue
                }
                try FileManager.default.createDirectory(atPath: "\(work)/\(learner)", withIntermediateDirectories: true)
                try AtomicFile.write(graded.rendered(), to: graded.fileName)
                let (replayed, why) = replay(graded.fileName, learnerFolder: classFolder.learnerPath(learner))
                errors[learner, default: [:]][assignment] = replayed.errors
                let result = Grading.grade(graded, outcomes: replayed.checks, learner: learner, assignment: assignment, unreached: why)
                rows += result
                print("\(learner) · \(assignment): \(Grading.csvNumber(result.reduce(0) { $0 + $1.points })) of "
                      + "\(Grading.csvNumber(result.reduce(0) { $0 + $1.possible })) points")
            }
        }
        try AtomicFile.write(Grading.csv(rows), to: classFolder.gradesPath + "/gradebook.csv")
        try AtomicFile.write(try Grading.json(rows), to: classFolder.gradesPath + "/gradebook.json")
        for learner in learners {
            try AtomicFile.write(Grading.report(rows, learner: learner, errors: errors[learner] ?? [:]),
                                 to: classFolder.gradesPath + "/\(learner).md")
        }
        return rows
    }

    /// Replays `notebook` in a child `descent` (in the learner's folder, with the limits) and
    /// reads back its checks; `why` says what stopped it when it did not finish.
    func replay(_ notebook: String, learnerFolder: String) -> (result: ReplayResult, why: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0].hasPrefix("/")
                                    ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0])
        process.arguments = ["grade-one", notebook, "--memory", String(memory), "--seconds", String(seconds)]
        process.currentDirectoryURL = URL(fileURLWithPath: learnerFolder)
        // The results come back on a pipe: nothing in the learner's folder is read as a result.
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let reader = Thread { box.data = (try? pipe.fileHandleForReading.readToEnd()) ?? Data() }
        do { try process.run() } catch { return (ReplayResult(checks: [], errors: []), "could not start a replay: \(error)") }
        reader.start()
        let deadline = Date().addingTimeInterval(Double(seconds) + 10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        var killed = false
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            killed = true
        }
        process.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        let result = (try? JSONDecoder().decode(ReplayResult.self, from: box.data)) ?? ReplayResult(checks: [], errors: [])
        let status = process.terminationStatus
        if killed { return (result, "not reached: the replay took longer than \(seconds) s") }
        switch (process.terminationReason, status) {
        case (.exit, 0): return (result, "not reached")
        case (.exit, 3): return (result, "not reached: the replay took longer than \(seconds) s")
        case (.uncaughtSignal, SIGXCPU), (.uncaughtSignal, SIGKILL):
            return (result, "not reached: the replay ran out of time")
        default: return (result, "not reached: the replay stopped (status \(status); memory limit \(memory) MiB)")
        }
    }

}

/// `descent grade-one NOTEBOOK`: what `grade` runs in each child process, in the learner's
/// folder: confines itself to it, limits itself (address space, CPU seconds, file size),
/// replays the notebook to its end, and prints its checks and errors as JSON.
struct GradeOne: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grade-one", abstract: "Replay one graded notebook (used by grade).",
                                                    shouldDisplay: false)

    @Argument var notebook: String
    @Option var memory = 4096
    @Option var seconds = 300

    func run() throws {
        // Confined to the learner's folder (the current one) like their own workbench, reading
        // the graded notebook: an answer cannot write to the gradebook or another learner's folder.
        let notebookFolder = URL(fileURLWithPath: notebook).deletingLastPathComponent().path
        let confinement: Confinement
        do { (confinement, _) = try Confine.apply(folder: ".", readOnly: [notebookFolder], limits: Limits(memoryMiB: memory)) } catch {
            FileHandle.standardError.write(Data("descent grade-one: \(error)\n".utf8))
            throw ExitCode(1)
        }
        var limit = rlimit(rlim_cur: rlim_t(seconds), rlim_max: rlim_t(seconds) + 5)
        setrlimit(Int32(RLIMIT_CPU.rawValue), &limit)
        final class Errors: @unchecked Sendable { var lines: [String] = [] }
        let errors = Errors()
        let finished = MainActor.assumeIsolated { () -> Bool in
            let (checks, finished) = HeadlessFrontEnd.descent(StoreChoice(path: nil, confinement: confinement))
                .checks(of: notebook, timeout: Double(seconds), output: { line in
                    if line.kind == .error { errors.lines.append(line.text) }
                })
            let encoder = JSONEncoder()
            if let data = try? encoder.encode(ReplayResult(checks: checks, errors: errors.lines)) {
                FileHandle.standardOutput.write(data)
            }
            return finished
        }
        if !finished { throw ExitCode(3) }
    }
}

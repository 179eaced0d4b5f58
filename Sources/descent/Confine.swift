import Foundation
import CSandbox
import WorkbenchCore
import Datasets
import Training
import TensorCore

/// `descent --confine FOLDER [--read-only FOLDER …]`: a learner's workbench in a class. It works
/// in FOLDER (its home: the run store, the history and a notebook's files are kept there), every
/// file a command names must be inside FOLDER or, to read, a read-only folder (the class's
/// lessons); and where the kernel offers Landlock, the kernel refuses the rest too.
enum Confine {
    /// Confines this process from now on; returns the confinement and a line saying which is in force.
    static func apply(folder: String, readOnly: [String], limits: Limits = Limits()) throws -> (Confinement, String) {
        let (confinement, line, _) = try applyDescribed(folder: folder, readOnly: readOnly, limits: limits)
        return (confinement, line)
    }

    /// `apply`, also returning what the kernel adds, alone (for a shorter first line).
    static func applyDescribed(folder: String, readOnly: [String], limits: Limits) throws -> (Confinement, String, kernel: String) {
        // Descent's own lessons are read-only too (the welcome lesson opens first).
        let lessons = ResourceFolders.find("Notebooks").map { [$0.path] } ?? []
        var confinement = try Confinement(folder: folder, readOnly: readOnly + lessons)
        confinement.quota = limits.quotaMiB << 20
        limits.apply()
        guard chdir(confinement.folder) == 0 else {
            throw ValidationErrorText("--confine \(folder): cannot work in it (\(String(cString: strerror(errno))))")
        }
        setenv("HOME", confinement.folder, 1)
        unsetenv("XDG_DATA_HOME")
        unsetenv("DESCENT_LESSON_FILES")
        // What the program itself reads: the system's libraries and settings, its own files.
        var readable = ["/usr", "/lib", "/lib64", "/bin", "/etc", "/proc", "/sys"]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            readable.append(URL(fileURLWithPath: exe).deletingLastPathComponent().path)
        }
        if let themes = ResourceFolders.find("Themes") { readable.append(themes.path) }
        // The bundled data sets, wherever this build finds them.
        if let iris = try? BundledData.url("iris.csv") { readable.append(iris.deletingLastPathComponent().path) }
        readable += confinement.readOnly
        let writable = [confinement.folder, "/dev"]
        let result = withCStrings(writable) { w in
            withCStrings(readable) { r in descent_landlock_restrict(w, Int32(writable.count), r, Int32(readable.count)) }
        }
        let abi = descent_landlock_abi()
        #if DEBUG
        // For Tests/Classroom/confine-test.sh: a file opened past Descent's own checks, as any
        // code that missed them would, to show what the kernel says.
        if let probe = ProcessInfo.processInfo.environment["DESCENT_TEST_OPEN"] {
            let fd = open(probe, O_RDONLY)
            FileHandle.standardError.write(Data("test open \(probe): \(fd >= 0 ? "opened" : String(cString: strerror(errno)))\n".utf8))
            if fd >= 0 { close(fd) }
        }
        #endif
        let os = result == 0
            ? "the kernel refuses the rest too (Landlock ABI \(abi))"
            : "the kernel's Landlock is not available here (\(String(cString: strerror(-result)))): Descent refuses paths outside it"
        return (confinement, "confined to \(confinement.folder) (and reading " + (readOnly.map { $0 + " and " }.joined()) + "Descent's lessons; "
                + "\(limits.memoryMiB) MiB of memory, a \(limits.quotaMiB) MiB quota, \(limits.openFiles) open files, training on one thread"
                + (limits.idleMinutes.map { ", the screen ends after \($0) minutes without a key" } ?? "") + ")"
                + ": files elsewhere are refused; \(os)", os)
    }

    /// `body` with `strings` as a C array of C strings.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// What a learner's workbench may use (`descent --confine`): address space, its folder's
/// size (also the largest file), open files; and training on one thread (at idle priority, as
/// all training runs: `RunDriverPool`).
struct Limits {
    var memoryMiB = 4096
    var quotaMiB = 1024
    var openFiles = 256
    /// The screen's idle limit, when there is one (said in the first line; `TerminalLoop` ends it).
    var idleMinutes: Int? = nil

    func apply() {
        func set(_ resource: Int32, _ value: rlim_t) {
            var limit = rlimit(rlim_cur: value, rlim_max: value)
            setrlimit(resource, &limit)
        }
        set(Int32(RLIMIT_AS.rawValue), rlim_t(memoryMiB) << 20)
        set(Int32(RLIMIT_FSIZE.rawValue), rlim_t(quotaMiB) << 20)
        set(Int32(RLIMIT_NOFILE.rawValue), rlim_t(openFiles))
        // A write past the file-size limit fails with EFBIG (and says so) instead of killing the process.
        signal(SIGXFSZ, SIG_IGN)
        ThreadBudget.process = ThreadBudget(cores: 1)
        BLAS.setThreads(1)
    }
}

/// An error ArgumentParser prints as given.
struct ValidationErrorText: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

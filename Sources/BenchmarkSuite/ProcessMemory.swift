import Foundation

/// The process's resident memory, read from /proc/self/status (Linux).
enum ProcessMemory {
    /// Peak resident set size (VmHWM) in MB since start or since the last `resetPeak()`.
    static func peakResidentMB() -> Double {
        if let kb = statusField("VmHWM:") { return Double(kb) / 1024 }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024   // kilobytes on Linux
    }

    /// Current resident set size (VmRSS) in MB.
    static func residentMB() -> Double {
        Double(statusField("VmRSS:") ?? 0) / 1024
    }

    /// Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs, Linux ≥ 4.0), so
    /// each workload's peak is its own. Returns false where the kernel refuses.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// A `Name:   1234 kB` line of /proc/self/status, in kB.
    private static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return nil
        }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let digits = line.dropFirst(name.count).filter(\.isNumber)
            return Int(digits)
        }
        return nil
    }
}

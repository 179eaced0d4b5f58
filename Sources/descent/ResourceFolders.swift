import Foundation

/// Finds the folders Descent ships beside its sources (Themes/, Notebooks/): from
/// `DESCENT_HOME`, the current directory, or the repository the executable was built in
/// (`.build/<triple>/release/descent` → three levels up).
enum ResourceFolders {
    static func find(_ name: String) -> URL? {
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["DESCENT_HOME"] {
            candidates.append(URL(fileURLWithPath: home))
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(url)
                url = url.deletingLastPathComponent()
            }
        }
        for base in candidates {
            let folder = base.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return folder
            }
        }
        return nil
    }
}

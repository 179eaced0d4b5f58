import Foundation
import Datasets

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
            // An installed copy (`make deb`): /usr/bin/descent reads /usr/share/descent.
            candidates.append(url.deletingLastPathComponent().appendingPathComponent("share/descent"))
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

    /// Where the bundled data sets are, for an installed copy whose binary is not beside them.
    static func useInstalledData() {
        guard BundledData.directory == nil, let bundle = find("Descent_Datasets.resources") else { return }
        let inner = bundle.appendingPathComponent("Resources")
        BundledData.directory = FileManager.default.fileExists(atPath: inner.path) ? inner : bundle
    }
}

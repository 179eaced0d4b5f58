import Foundation
import TerminalUI
import CommandLanguage

/// Completion candidates the command table cannot know: theme names where a theme is expected,
/// the session's run names where a run is, file and folder names where a path is expected.
/// Nothing anywhere else.
enum DynamicCompletion {
    static func candidates(for context: CompletionContext, themesFolder: URL?, runNames: [String] = []) -> [String] {
        let kind: ArgumentKind
        switch context.slot {
        case .argument(let spec): kind = spec.kind
        case .optionValue(let spec): kind = spec.kind
        default: return []
        }
        var out: [String] = []
        for k in flatten(kind) {
            switch k {
            case .name("theme"): out += themesFolder.map(Theme.names(in:)) ?? []
            case .name("run"): out += runNames.filter { $0.hasPrefix(context.valuePrefix) }
            case .path: out += files(matching: context.valuePrefix)
            default: break
            }
        }
        return out
    }

    private static func flatten(_ kind: ArgumentKind) -> [ArgumentKind] {
        if case .oneOf(let kinds) = kind { return kinds.flatMap(flatten) }
        return [kind]
    }

    /// Entries of the folder named by `prefix` whose names start with its last part; folders
    /// end in `/` so completion can go on inside them. Hidden files only when asked for.
    static func files(matching prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let folder = slash.map { String(prefix[...$0]) } ?? ""
        let start = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        let path = folder.isEmpty ? "." : (folder.hasPrefix("~") ? NSString(string: folder).expandingTildeInPath : folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return names.filter { $0.hasPrefix(start) && (start.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory)
            return folder + name + (isDirectory.boolValue ? "/" : "")
        }
    }
}

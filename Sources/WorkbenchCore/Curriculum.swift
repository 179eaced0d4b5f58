import Foundation
import CommandLanguage

/// The lessons in a folder, in learning order: `welcome.md` is lesson 0, `NN-name.md` lesson NN.
/// Other Markdown files there (a learner's own recordings) are notebooks, not lessons.
public struct Curriculum: Sendable {
    public struct Lesson: Sendable, Equatable {
        public var number: Int
        public var file: URL
        /// The notebook's `# title`, or its file name.
        public var title: String
    }

    public let folder: URL
    public let lessons: [Lesson]

    public init(folder: URL) {
        self.folder = folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        lessons = names.compactMap { name -> Lesson? in
            guard let number = Self.number(ofFile: name) else { return nil }
            let file = folder.appendingPathComponent(name)
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            return Lesson(number: number, file: file, title: Notebook(parsing: text, fileName: name).title ?? name)
        }.sorted { $0.number < $1.number }
    }

    /// 0 for `welcome.md`, NN for `NN-….md`, nil for any other file.
    static func number(ofFile name: String) -> Int? {
        guard name.hasSuffix(".md") else { return nil }
        if name == "welcome.md" { return 0 }
        let digits = name.prefix { $0.isNumber }
        guard digits.count == 2, name.dropFirst(2).hasPrefix("-") else { return nil }
        return Int(digits)
    }

    public func lesson(_ number: Int) -> Lesson? { lessons.first { $0.number == number } }

    /// The lesson after `file`'s, if `file` is one of these lessons.
    public func lesson(after file: String) -> Lesson? {
        guard let i = lessons.firstIndex(where: { $0.file.lastPathComponent == URL(fileURLWithPath: file).lastPathComponent }),
              i + 1 < lessons.count else { return nil }
        return lessons[i + 1]
    }
}

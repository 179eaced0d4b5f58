import Foundation
import CommandLanguage

/// Collects the commands a learner types, for `record FILE`, and writes them as a notebook.
///
/// Commands that produce results (`train`, `step`, `show`, `expect`, `runs`) close a cell, so
/// the notebook reads as set-up, then what it shows. Commands about the session itself
/// (`record`, `replay`, `lesson`, `next`, `help`, `theme`, `quit`) are not recorded.
struct Recorder {
    let path: String
    private(set) var cells: [[String]] = [[]]

    init(path: String) { self.path = path }

    static let unrecorded: Set<String> = ["record", "replay", "next", "lesson", "help", "quit", "theme"]
    static let closesCell: Set<String> = ["train", "step", "show", "expect", "runs"]

    mutating func note(_ command: Command, source: String?) {
        guard !Self.unrecorded.contains(command.name) else { return }
        cells[cells.count - 1].append(source ?? command.description)
        if Self.closesCell.contains(command.name) { cells.append([]) }
    }

    /// The notebook text: title from the file name (`my-first-run.md` → "My first run").
    var text: String {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            .replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        let title = stem.prefix(1).uppercased() + stem.dropFirst()
        return Notebook.recordedText(title: title, cells: cells)
    }
}

extension Session {
    func recordCommand(_ c: Command) throws(SessionError) {
        guard let target = c.positional(0)?.text else { throw SessionError("record: expected a file or `stop`") }
        if target == "stop" && c.positional(0).map({ if case .word = $0 { return true } else { return false } }) == true {
            guard let r = recorder else { throw SessionError("record stop: nothing is being recorded") }
            try AtomicFile.write(r.text, to: r.path)
            recorder = nil
            say("recorded \(r.cells.reduce(0) { $0 + $1.count }) commands to \(r.path)", .info)
            return
        }
        if let r = recorder { throw SessionError("record: already recording to \(r.path); `record stop` first") }
        let path = target.hasSuffix(".md") ? target : target + ".md"
        // Fail now, not at `record stop`, if the file cannot be written.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard access(folder, W_OK) == 0 else { throw SessionError("record: cannot write in \(folder)") }
        recorder = Recorder(path: path)
        say("recording to \(path): every command you type from now on; `record stop` saves it", .info)
    }

    /// Saves an unfinished recording (on quit), so nothing typed is lost.
    public func finishRecording() {
        guard let r = recorder else { return }
        do {
            try AtomicFile.write(r.text, to: r.path)
            say("recorded to \(r.path)", .info)
        } catch {
            say(error.description, .error)
        }
        recorder = nil
    }
}

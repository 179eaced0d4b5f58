import Foundation
import CommandLanguage
import Models

/// Collects the commands a learner types, for `record FILE`, and writes them as a notebook.
///
/// The first cell rebuilds the set-up in effect when recording started, so the notebook always
/// replays. Commands that produce results (`CommandTraits.closesCell`: `train`, `step`, `show` …)
/// close a cell, so the notebook reads as set-up, then what it shows. Commands about the session
/// itself (`.unrecorded`: `record`, `replay`, `help` …) are left out.
struct Recorder {
    let path: String
    private(set) var cells: [[String]]

    init(path: String, setUp: [String]) {
        self.path = path
        cells = setUp.isEmpty ? [[]] : [setUp, []]
    }

    mutating func note(_ command: Command, source: String?) {
        guard !command.traits.contains(.unrecorded) else { return }
        cells[cells.count - 1].append(source ?? command.description)
        if command.traits.contains(.closesCell) { cells.append([]) }
    }

    /// The notebook text: title from the file name (`my-first-run.md` → "My first run").
    var text: String {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            .replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        let title = stem.prefix(1).uppercased() + stem.dropFirst()
        return Notebook.recordedText(title: title, cells: Self.pruned(cells, setUpCell: hasSetUpCell))
    }

    /// Whether the first cell is the set-up in effect when recording started.
    private var hasSetUpCell: Bool { cells.first?.first?.hasPrefix("# the set-up in effect") == true }

    /// The first cell holds only the set-up the recorded commands use: a line is left out when
    /// the recording sets the same thing again before anything uses it (`data circle` typed
    /// first makes the recorded-from data line pointless; `model` also replaces `loss`; `reset`
    /// replaces all of it). Seeds stay: the data's draw depends on them.
    static func pruned(_ cells: [[String]], setUpCell: Bool) -> [[String]] {
        guard setUpCell, let setUp = cells.first else { return cells }
        let recorded = cells.dropFirst().joined()
        var replaced: Set<String> = []
        for line in recorded {
            let word = line.split(separator: " ").first.map(String.init) ?? ""
            guard let id = CommandID(rawValue: word) else { continue }
            if id == .reset { replaced = ["data", "model", "loss", "optimizer", "regularize", "dropout", "batch", "schedule", "set pace"]; break }
            let setUpWords: [CommandID: [String]] = [.data: ["data"], .model: ["model", "loss"], .loss: ["loss"], .optimizer: ["optimizer"],
                                                     .regularize: ["regularize"], .dropout: ["dropout"], .batch: ["batch"], .schedule: ["schedule"]]
            if id == .seed { continue }
            guard let words = setUpWords[id] else { break }   // the first command that uses the set-up
            replaced.formUnion(words)
        }
        let kept = setUp.filter { line in
            !replaced.contains { line == $0 || line.hasPrefix($0 + " ") }
        }
        return [kept] + cells.dropFirst()
    }
}

extension Session {
    func record(_ c: Command) throws(DescentError) {
        guard let target = c.positional(0)?.text else { throw DescentError("record: expected a file or `stop`") }
        if c.keyword(RecordWord.self) == .stop {
            guard let r = recorder else { throw DescentError("record stop: nothing is being recorded") }
            try AtomicFile.write(r.text, to: r.path)
            recorder = nil
            say("recorded \(r.cells.reduce(0) { $0 + $1.count }) commands to \(r.path)", .info)
            return
        }
        if let r = recorder { throw DescentError("record: already recording to \(r.path); `record stop` first") }
        let path = target.hasSuffix(".md") ? target : target + ".md"
        try bench.checkConfined(path, writing: true)
        // Fail now, not at `record stop`, if the file cannot be written.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard access(folder, W_OK) == 0 else { throw DescentError("record: cannot write in \(folder)") }
        let setUp = setUpCell()
        recorder = Recorder(path: path, setUp: setUp)
        say("recording to \(path): " + (setUp.isEmpty ? "" : "first the set-up in effect, then ")
            + "every command you type from now on; `record stop` saves it", .info)
    }

    /// Commands that rebuild the set-up in effect, with the same data and the same next initial
    /// weights wherever the seed allows (a comment says where it does not); empty when nothing
    /// has been set up.
    func setUpCell() -> [String] {
        let setup = bench.setup, data = bench.data, random = bench.random
        let seed = setup.seed
        guard setup != .fresh || data != nil || random.position != .fresh else { return [] }
        var lines = ["# the set-up in effect when recording started"]
        if let data {
            if let dataSeed = data.seed {
                lines += ["seed \(dataSeed)", data.spec.description]
                switch random.position {
                case .fresh: lines.append("seed \(seed)")
                case .afterData where seed == dataSeed: break
                case .afterData, .moved:
                    lines.append("# runs had drawn from the seed since: the next run's initial weights differ from the recorded session's")
                }
            } else {
                lines += ["# the data is drawn afresh from this seed (the recorded session drew it after earlier draws)",
                          "seed \(seed)", data.spec.description]
            }
        } else {
            lines.append("seed \(seed)")
            if random.position != .fresh {
                lines.append("# runs had drawn from the seed since: the next run's initial weights differ from the recorded session's")
            }
        }
        return lines + setup.modelCommands
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

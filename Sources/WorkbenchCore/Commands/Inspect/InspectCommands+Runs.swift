import Foundation
import CommandLanguage
import Models
import RunStore

/// `runs` over the run store: the kept runs of every session (filtered, ranked, a page at a
/// time), one run in full, tags, deleting, CSV and notebook exports; and `note`.
extension InspectCommands {
    /// Kept runs a page shows.
    static let runsPerPage = 20

    func runs(_ c: Command) throws(DescentError) {
        guard let keeper = bench.keeper else {
            if let action = c.keyword(RunsAction.self) { _ = try bench.store(for: "runs \(action.rawValue)") }
            return try listSessionRuns(c)
        }
        if let failure = keeper.failure, c.keyword(RunsAction.self) == nil {
            bench.say("the run store stopped (\(failure.description)); this session's runs:", .info)
            return try listSessionRuns(c)
        }
        switch c.keyword(RunsAction.self) {
        case .show?: try showKeptRun(c)
        case .tag?, .untag?: try tagKeptRun(c)
        case .delete?: try deleteKeptRun(c)
        case .export?: try exportKeptRuns(c)
        case .today?, nil: try listKeptRuns(c)
        }
    }

    // MARK: - Listing

    /// The filters `runs` was given.
    private func filter(of c: Command) -> RunFilter {
        var filter = RunFilter(data: c.option("data")?.text, model: c.option("model")?.text, tag: c.option("tag")?.text)
        if c.keyword(RunsAction.self) == .today { filter.since = Calendar.current.startOfDay(for: Date()) }
        switch c.option("best")?.text.flatMap(BestMetric.init(rawValue:)) {
        case .valLoss?: filter.best = .validationLoss
        case .valAcc?: filter.best = .validationMetric("acc")
        case .valR2?: filter.best = .validationMetric("r2")
        case .loss?: filter.best = .trainLoss
        case nil: break
        }
        return filter
    }

    private func listKeptRuns(_ c: Command) throws(DescentError) {
        let store = try bench.store(for: "runs")
        bench.keepRunsNow()
        let references = c.arguments.map(\.value).filter { $0.text != RunsAction.today.rawValue || c.keyword(RunsAction.self) == nil }
        let listed: [RunSummary], total: Int, page = c.integer(orDefault: "page")
        let filter = filter(of: c)
        if c.keyword(RunsAction.self) == nil, !references.isEmpty {
            var numbers: [Int] = []
            var i = 0
            while i < references.count {
                if references[i].text == "last" {
                    // The latest first, as `runs` lists them; `last` alone is the latest one.
                    let counted = i + 1 < references.count && references[i + 1].integer != nil
                    numbers += try bench.runRecords(referredToBy: Array(references[i...].prefix(counted ? 2 : 1)), in: "runs")
                        .compactMap(\.kept).reversed()
                    i += counted ? 2 : 1
                } else {
                    numbers.append(try bench.keptRun(referredToBy: references[i], in: "runs"))
                    i += 1
                }
            }
            var found: [RunSummary] = []
            for n in numbers {
                if let summary = try bench.storeCall({ () throws(StoreError) in try store.run(n)?.summary }) { found.append(summary) }
            }
            listed = found
            total = found.count
        } else {
            (listed, total) = try bench.storeCall { () throws(StoreError) in
                try store.list(filter, limit: Self.runsPerPage, offset: (page - 1) * Self.runsPerPage)
            }
        }
        let place = bench.keeper?.isScratch == true ? "this replay's own store" : Self.shortPath(store.path)
        guard !listed.isEmpty else {
            bench.say(total == 0 && filter == RunFilter() ? "no runs kept yet in \(place): `train` starts one"
                      : total == 0 ? "no kept run matches; `runs` lists the latest"
                      : "page \(page) is past the end: \(grouped(total)) kept run\(total == 1 ? "" : "s") match, "
                        + "\(Self.runsPerPage) a page", .info)
            return
        }
        // What else differs between them (L2, dropout, the seed …), from their kept set-ups.
        let setups = listed.map { summary in
            (try? store.run(summary.id)).flatMap { $0 }.flatMap { try? JSONDecoder().decode(Setup.self, from: Data($0.setup.utf8)) }
        }
        let differs = setups.allSatisfy { $0 != nil }
            ? InspectCommands.differences(setups.map { ($0!, $0!.loss?.rawValue ?? "default") }) : []
        // The results first, so a narrow REPL that cuts the right of the table keeps them.
        let rows = [["run", "val", "val loss", "train loss", "epochs", "status", "optimizer", "batch", "data", "model", "when", "tags"]
                    + (differs.isEmpty ? [] : ["also differs"])]
            + listed.enumerated().map { i, s in row(s) + (differs.isEmpty ? [] : [differs[i]]) }
        bench.sayTable(rows, leftAligned: [0, 1, 5, 6, 7, 8, 9, 10, 11, 12])
        let shownTo = (page - 1) * Self.runsPerPage + listed.count
        if total > listed.count {
            bench.say("\(grouped(listed.count)) of \(grouped(total)) kept runs in \(place)"
                      + (shownTo < total ? "; `runs page=\(page + 1)` for older ones" : ""), .info)
        } else {
            bench.say("kept in \(place); `runs show @N` for one in full, `compare @N last` to overlay it", .info)
        }
    }

    /// One row of the kept runs' table: results first, so a narrow REPL keeps them.
    private func row(_ s: RunSummary) -> [String] {
        let own = bench.records.first { $0.kept == s.id }
        let label = "@\(s.id)" + (own.map { " (run \($0.label))" } ?? s.name.map { " \($0)" } ?? "")
        let metric = s.validationMetric.map { "\(s.metricName) \(fmt($0))" } ?? ""
        return [label, metric, s.validationLoss.map { fmt($0) } ?? "", s.trainLoss.map { fmt($0) } ?? "", "\(s.epochs)", s.status,
                s.optimizer, s.batch, s.data, s.model, Self.when(s.started), s.tags.joined(separator: " ")]
    }

    /// `[14:02]` today, `[Dec 5 14:02]` this year, `[2025-12-05]` before: in brackets, as every
    /// figure that differs between two replays of a notebook is (README, Commands).
    static func when(_ date: Date, now: Date = Date()) -> String {
        let calendar = Calendar.current
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        if calendar.isDate(date, inSameDayAs: now) {
            formatter.dateFormat = "HH:mm"
        } else if calendar.component(.year, from: date) == calendar.component(.year, from: now) {
            formatter.dateFormat = "MMM d HH:mm"
        } else {
            formatter.dateFormat = "yyyy-MM-dd"
        }
        return "[" + formatter.string(from: date) + "]"
    }

    /// `~/.local/share/descent/runs.sqlite` for a path under the home folder.
    static func shortPath(_ path: String) -> String {
        guard let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty, home != "/", path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }

    // MARK: - One run

    private func keptRunArgument(_ c: Command, at index: Int = 1) throws(DescentError) -> Int {
        guard let value = c.positional(index) else { throw DescentError("runs \(c.positional(0)?.text ?? ""): expected a run, e.g. @12") }
        return try bench.keptRun(referredToBy: value, in: "runs \(c.positional(0)?.text ?? "")")
    }

    private func showKeptRun(_ c: Command) throws(DescentError) {
        let number = try keptRunArgument(c)
        let store = try bench.store(for: "runs show")
        guard let run = try bench.storeCall({ () throws(StoreError) in try store.run(number) }) else {
            throw DescentError("runs show: no kept run is @\(number)")
        }
        let s = run.summary
        let own = bench.records.first { $0.kept == number }
        let origin = own.map { "run \($0.label) of this session" } ?? "run \(s.sessionRun)\(s.name.map { " \($0)" } ?? "") of session \(s.session)"
        let timing = s.seconds > 0 ? " [\(String(format: "%.2f", s.seconds)) s]" : ""
        var lines = ["@\(number): \(origin), started \(Self.when(s.started)) · \(s.status) · \(s.epochs) epochs, "
                     + "\(grouped(s.updates)) updates\(timing)"]
        if let experiment = s.experiment {
            lines.append("part of an experiment (\(s.role)) that began with @\(experiment): `runs` lists its other runs")
        }
        lines.append("set-up: seed \(s.seed) · data \(s.data) · model \(s.model) · \(s.optimizer) · batch \(s.batch)"
                     + (s.parameters.map { " · \(grouped($0)) parameters" } ?? ""))
        let figures = [s.trainLoss.map { "train loss \(fmt($0))" }, s.validationLoss.map { "val loss \(fmt($0))" },
                       s.validationMetric.map { "val \(s.metricName) \(fmt($0))" }].compactMap { $0 }
        if !figures.isEmpty { lines.append("final: " + figures.joined(separator: " · ")) }
        if !run.changes.isEmpty {
            lines.append("changes: " + run.changes.map { line in
                let parts = line.split(separator: " ", maxSplits: 1)
                return parts.count == 2 ? "\(parts[1]) at update \(parts[0])" : line
            }.joined(separator: " · "))
        }
        if !s.tags.isEmpty { lines.append("tags: " + s.tags.joined(separator: " ")) }
        for note in run.notes { lines.append("note \(Self.when(note.at)): \(note.text)") }
        lines.append("machine: \(run.machine) · build: \(run.build)")
        lines.append(s.hasWeights ? "its final model is kept: `reopen @\(number)` brings it back"
                     : "no final model kept (" + (["training", "paused", "ready"].contains(s.status) ? "it did not end: cut short, or still going" : "it has none of its own") + ")")
        for line in lines { bench.say(line, .result) }
        if !run.epochs.isEmpty {
            let shown = Self.spread(run.epochs.count, at: 8)
            let rows = [["epoch", "update", "loss", "val loss", "val \(s.metricName)", "lr"]] + shown.map { i in
                let e = run.epochs[i]
                return ["\(e.epoch)", grouped(e.update), fmt(e.trainLoss), e.validationLoss.map { fmt($0) } ?? "",
                        e.validationMetric.map { fmt($0) } ?? "", e.learningRate.isNaN ? "" : fmt(e.learningRate)]
            }
            bench.sayTable(rows)
        }
        if !run.commands.isEmpty {
            bench.say("the commands that made it (`runs export @\(number) FILE.md` writes them as a notebook):", .info)
            for command in run.commands { bench.say("  " + command, .table) }
        }
    }

    /// At most `count` indices of `n`, spread evenly, the first and last included.
    static func spread(_ n: Int, at count: Int) -> [Int] {
        guard n > count else { return Array(0..<n) }
        return Array(Set((0..<count).map { $0 * (n - 1) / (count - 1) })).sorted()
    }

    private func tagKeptRun(_ c: Command) throws(DescentError) {
        let untag = c.keyword(RunsAction.self) == .untag
        let number = try keptRunArgument(c)
        guard let word = c.positional(2)?.text, Self.isTagWord(word) else {
            throw DescentError("runs \(untag ? "untag" : "tag"): expected a tag: a letter, then letters, digits, - or _, "
                               + "and not one of \(RunsAction.spellings), last; e.g. `runs tag @\(number) baseline`")
        }
        let store = try bench.store(for: "runs tag")
        if untag {
            let had = try bench.storeCall { () throws(StoreError) in try store.untag(run: number, word) }
            bench.say(had ? "@\(number) is no longer tagged \(word)" : "@\(number) was not tagged \(word)", .info)
        } else {
            let new = try bench.storeCall { () throws(StoreError) in try store.tag(run: number, word) }
            bench.say(new ? "@\(number) tagged \(word): `runs tag=\(word)` lists it, and @\(word) names it (the run tagged \(word) most recently)"
                      : "@\(number) was already tagged \(word)", .info)
        }
    }

    /// A tag: one word that `runs tag=WORD` and `@WORD` read back as it is.
    static func isTagWord(_ word: String) -> Bool {
        guard let first = word.first, first.isLetter, word.count <= 40,
              word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return false }
        return RunsAction(rawValue: word) == nil && word != "last"
    }

    private func deleteKeptRun(_ c: Command) throws(DescentError) {
        // Deleting cannot be undone: only the store's own number (or tag) names what goes.
        if let value = c.positional(1), !Workbench.isKeptReference(value) {
            let kept = (try? bench.runRecord(referredToBy: value, in: "runs delete"))?.kept
            throw DescentError("runs delete: name the kept run by its number in the store, @N"
                               + (kept.map { " (this session's run \(value.description) is @\($0))" } ?? " (`runs` lists them)"))
        }
        let number = try keptRunArgument(c)
        let store = try bench.store(for: "runs delete")
        _ = try bench.storeCall { () throws(StoreError) in try store.delete(run: number) }
        for r in bench.records where r.kept == number { runs.update(r.id) { $0.kept = nil } }
        bench.keeper?.forget(keptAs: number)
        bench.say("deleted @\(number) from the run store (its epochs, notes, tags and weights)", .info)
    }

    // MARK: - Exports

    private func exportKeptRuns(_ c: Command) throws(DescentError) {
        let store = try bench.store(for: "runs export")
        bench.keepRunsNow()
        let file: String, number: Int?
        if c.positional(2) != nil {
            number = try keptRunArgument(c)
            file = c.positional(2)?.text ?? ""
        } else {
            number = nil
            file = c.positional(1)?.text ?? ""
        }
        guard !file.isEmpty else { throw DescentError("runs export: expected a file, e.g. `runs export runs.csv`") }
        let path = try bench.outputPath(file, for: c)
        if let number {
            guard path.hasSuffix(".md") else { throw DescentError("runs export @\(number) \(file): a run's commands go to a notebook, FILE.md") }
            guard let run = try bench.storeCall({ () throws(StoreError) in try store.run(number) }), !run.commands.isEmpty else {
                throw DescentError("runs export: @\(number) has no commands kept")
            }
            let text = Notebook.recordedText(title: "Run @\(number)" + (run.summary.name.map { " \($0)" } ?? ""), cells: [run.commands])
            try AtomicFile.write(text, to: path)
            bench.say("wrote \(path): the \(run.commands.count) commands that made @\(number); `replay \(path)` runs them again", .info)
            return
        }
        guard path.hasSuffix(".csv") else { throw DescentError("runs export \(file): the kept runs go to a CSV file, FILE.csv") }
        let (all, total) = try bench.storeCall { () throws(StoreError) in try store.list(filter(of: c), limit: Int.max) }
        let iso = ISO8601DateFormatter()
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func figure(_ x: Float?) -> String { x.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        var lines = ["run,session,session_run,name,role,experiment,started,status,data,model,optimizer,batch,seed,epochs,updates,"
                     + "seconds,metric,train_loss,val_loss,val_metric,tags"]
        for s in all {
            lines.append([String(s.id), String(s.session), String(s.sessionRun), field(s.name ?? ""), s.role,
                          s.experiment.map(String.init) ?? "", iso.string(from: s.started), s.status, field(s.data), field(s.model),
                          field(s.optimizer), field(s.batch), String(s.seed), String(s.epochs), String(s.updates),
                          String(format: "%.3f", s.seconds), s.metricName, figure(s.trainLoss), figure(s.validationLoss),
                          figure(s.validationMetric), field(s.tags.joined(separator: " "))].joined(separator: ","))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: path)
        bench.say("wrote \(path): \(grouped(total)) kept run\(total == 1 ? "" : "s"), one per row", .info)
    }

    // MARK: - note

    func note(_ c: Command) throws(DescentError) {
        let text = c.arguments.compactMap { $0.value.text ?? $0.value.description }.joined(separator: " ")
        guard !text.isEmpty else { throw DescentError("note: expected a text, e.g. `note \"adam beat momentum here\"`") }
        guard let record = bench.currentRecord else { throw DescentError("note: no run yet: a note goes on the current run") }
        let store = try bench.store(for: "note")
        bench.keepRunsNow()
        guard let number = runs.records[record.id - 1].kept else {
            throw DescentError("note: run \(record.label) is not kept" + (record.status == .loaded ? " yet: a loaded model is kept once it trains" : ""))
        }
        try bench.storeCall { () throws(StoreError) in try store.note(run: number, text) }
        bench.say("noted on run \(record.label) (@\(number)): `runs show @\(number)` lists its notes", .info)
    }
}

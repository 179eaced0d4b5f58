import CommandLanguage
import Models
import NeuralEngine

/// How commands name runs: by the name `train name=` gave (the latest run of that name), by
/// number, or `last N` (the latest N runs, oldest first; `last` alone the latest). Names let a lesson point at its own
/// runs whatever ran before it in the session.
extension Workbench {
    /// The records `values` refer to, in the order written; `command` names the command in errors.
    func runRecords(referredToBy values: [Value], in command: String) throws(DescentError) -> [RunRecord] {
        var found: [RunRecord] = []
        var i = 0
        while i < values.count {
            let value = values[i]
            if value.text == "last" {
                // `last N`, or `last` alone for the latest one (`compare @12 last`).
                let count = i + 1 < values.count ? values[i + 1].integer : nil
                let n = count ?? 1
                guard n >= 1 else {
                    throw DescentError("\(command): `last` takes a count of 1 or more, e.g. `last 3`")
                }
                guard n <= records.count else {
                    throw DescentError("\(command) last \(n): there \(records.count == 1 ? "is" : "are") only \(records.count) run\(records.count == 1 ? "" : "s")"
                                       + (keeper != nil ? " in this session; kept runs of earlier ones are @N (`runs` lists them)" : ""))
                }
                found += records.suffix(n)
                i += count == nil ? 1 : 2
                continue
            }
            found.append(try runRecord(referredToBy: value, in: command))
            i += 1
        }
        return found
    }

    /// The record `value` (a number or a name) refers to.
    func runRecord(referredToBy value: Value, in command: String) throws(DescentError) -> RunRecord {
        if let id = value.integer {
            guard id >= 1, id <= records.count else {
                if keeper != nil {
                    throw DescentError("\(command): this session has no run \(id) (a bare number is this session's run); "
                                       + "a kept run of any session is @N: `runs` lists them")
                }
                throw DescentError("\(command): there is no run \(id); `runs` lists the \(records.count) there \(records.count == 1 ? "is" : "are")")
            }
            return records[id - 1]
        }
        let name = value.text ?? value.description
        if let named = records.last(where: { $0.name == name }) { return named }
        let names = Array(Set(records.compactMap(\.name))).sorted()
        throw DescentError("\(command): no run is named \(name)"
                           + (names.isEmpty ? " (`train name=\(name)` names one)" : "; named runs: \(names.joined(separator: ", "))"))
    }

    /// Checks a name `train name=` is about to give: a letter first, not a word `compare` reads
    /// otherwise.
    static func checkRunName(_ name: String) throws(DescentError) {
        guard let first = name.first, first.isLetter else {
            throw DescentError("train name=\(name): a run's name starts with a letter")
        }
        if name == "last" || OptimizerKind(rawValue: name) != nil {
            throw DescentError("train name=\(name): `compare \(name)` would mean something else; choose another name")
        }
    }
}

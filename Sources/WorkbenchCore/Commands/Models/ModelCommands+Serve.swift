import Foundation
import CommandLanguage
import SafeTensorsFormat
import Models

// MARK: - serve: the current model as an HTTP JSON service

extension ModelCommands {
    /// The server's address and how many requests it answered, for the status line.
    var serveStatus: (address: String, requests: Int)? {
        server.map { ($0.address, $0.service.requestCount) }
    }

    func serve(_ c: Command) throws(DescentError) {
        switch c.keyword(ServeAction.self) {
        case .stop?:
            guard let server else { throw DescentError("serve stop: nothing is being served") }
            let count = server.service.requestCount
            stopServing()
            bench.say("stopped serving \(server.address) after \(grouped(count)) request\(count == 1 ? "" : "s")", .info)
        case .refresh?:
            guard let server else { throw DescentError("serve refresh: nothing is being served: `serve` starts") }
            guard server.run != nil else {
                throw DescentError("serve refresh: the server answers with saved files (\(server.service.modelNames.joined(separator: ", "))); "
                                   + "`save NAME` replaces one, or `serve stop` and `serve` the current model")
            }
            try refreshServedModel(saying: true)
        case nil:
            if let server { throw DescentError("already serving http://\(server.address): `serve stop` first") }
            guard let make = bench.frontEnd.makeModelService else {
                throw DescentError("serve: this front end has no model server")
            }
            if !c.arguments.isEmpty { return try serveFiles(c, make: make) }
            let (host, port) = try serveAddress(c)
            let name = bench.currentRecord?.name ?? "model"
            let predictor = try Predictor(try modelFile(for: "serve"), name: name)
            let service = make()
            let address = try service.start(predictor: predictor, host: host, port: port)
            servedModels = [name: predictor]
            let run = runs.current!
            server = (service, address, run.id, run.trainer.updates, name)
            let writes: Bool = if case .symbols(_, 0) = predictor.card.preprocessing.schema.form { true } else { false }
            bench.say("serving run \(run.id) at http://\(address): POST /v1/predict, GET /v1/model, /healthz, /openapi.json, /metrics; "
                      + (writes ? "OpenAI's /v1/completions and /v1/chat/completions with model \"\(name)\""
                                : "the Open Inference Protocol at /v2/models/\(name)"), .info)
            if !["127.0.0.1", "localhost", "::1"].contains(host) {
                bench.say("listening on \(host): other machines can reach this model, with this key (shown once): "
                          + "Authorization: Bearer \(service.apiKey ?? "")", .warning)
            }
            seenRequests = 0
            if writes {
                bench.say("try: curl -s http://\(address)/v1/completions -d '{\"model\": \"\(name)\", \"prompt\": \".\", \"max_tokens\": 40}'", .info)
            } else {
                let example = exampleRow(predictor)
                bench.say("try: curl -s http://\(address)/v1/predict -d '{\"inputs\": [\(example)]}'", .info)
            }
        }
    }

    /// The host and port `serve` listens on: as given, within a class's confinement.
    private func serveAddress(_ c: Command) throws(DescentError) -> (host: String, port: Int) {
        let host = c.option("host")?.text
        guard let confinement = bench.frontEnd.confinement else { return (host ?? "127.0.0.1", c.integer(orDefault: "port")) }
        return try confinement.serveAddress(host: host, port: c.option("port")?.integer, default: c.integer(orDefault: "port"))
    }

    /// `serve iris sortgpt`: saved models, each under its file's name, the first the default.
    private func serveFiles(_ c: Command, make: () -> any ModelService) throws(DescentError) {
        var predictors: [Predictor] = []
        for argument in c.arguments {
            guard let given = argument.value.text else { continue }
            let path = try bench.inputPath(ModelFile.paths(given).weights, for: c)
            let name = URL(fileURLWithPath: given).deletingPathExtension().lastPathComponent
            predictors.append(try Predictor(try ModelFile.read(name: path), name: name))
        }
        let (host, port) = try serveAddress(c)
        let service = make()
        let address = try service.start(predictors: predictors, host: host, port: port)
        servedModels = Dictionary(predictors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        server = (service, address, nil, 0, predictors[0].name)
        seenRequests = 0
        bench.say("serving \(predictors.map(\.name).joined(separator: ", ")) at http://\(address): "
                  + predictors.map { "/v2/models/\($0.name)" }.joined(separator: ", ") + "; POST /v1/predict answers with \(predictors[0].name)", .info)
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            bench.say("listening on \(host): other machines can reach these models, with this key (shown once): "
                      + "Authorization: Bearer \(service.apiKey ?? "")", .warning)
        }
    }

    /// After `save NAME`: a served model of that name answers with the saved one from now on.
    func replaceServed(named name: String, with file: ModelFile) {
        guard let current = server, current.service.modelNames.contains(name),
              let predictor = try? Predictor(file, name: name) else { return }
        current.service.replace(with: predictor)
        servedModels[name] = predictor
        bench.say("the served \(name) answers with the saved model from now on", .info)
    }

    /// The first sample of the data in its own units, as JSON, for the curl example.
    func exampleRow(_ predictor: Predictor) -> String {
        switch predictor.card.preprocessing.schema.form {
        case .columns(let columns):
            guard let full = data?.full, full.count > 0 else { return "[]" }
            let x = Array(full.features.scalars[0..<full.featureCount])
            var k = 0
            return "[" + columns.map { column -> String in
                switch column {
                case .number:
                    defer { k += 1 }
                    return fmt(x[k])
                case .category(_, let values):
                    defer { k += values.count }
                    let hot = values.indices.first { x[k + $0] == 1 } ?? 0
                    return JSONValue.quoted(values[hot])
                }
            }.joined(separator: ", ") + "]"
        case .values(let count):
            guard let full = data?.full, full.count > 0, full.features.count >= count else { return "[]" }
            return "[" + full.features.scalars[0..<count].map { fmt($0) }.joined(separator: ", ") + "]"
        case .text: return "\"a sentence to classify\""
        case .symbols:
            guard let full = data?.full, let sample = SamplePreview.symbols(of: full, row: 0) else { return "[]" }
            return "[" + sample.problem.split(separator: " ").map { JSONValue.quoted(String($0)) }.joined(separator: ", ") + "]"
        }
    }

    /// Replaces the served copy with the current model.
    func refreshServedModel(saying: Bool) throws(DescentError) {
        guard let current = server, current.run != nil, let run = runs.current else { return }
        let predictor = try Predictor(try modelFile(for: "serve refresh"), name: current.name)
        current.service.replace(with: predictor)
        servedModels[current.name] = predictor
        server = (current.service, current.address, run.id, run.trainer.updates, current.name)
        if saying { bench.say("serving run \(run.id) at update \(grouped(run.trainer.updates)) from now on", .info) }
    }

    /// After a run ends (or `load`), the server answers with its model: called on every poll,
    /// it does something only when the current run changed and no thread drives it.
    func refreshServedModelIfChanged() -> Bool {
        reportTraining()
        guard let current = server, let served = current.run, let run = runs.current, !runs.isBusy,
              run.id != served || run.trainer.updates != current.updates, run.trainer.updates > 0 else { return false }
        do {
            try refreshServedModel(saying: true)
            return true
        } catch {
            return false
        }
    }

    /// The current run's last epoch, for the server's `/metrics` training gauges (each epoch once).
    func reportTraining() {
        guard let server, let record = bench.currentRecord, let last = record.epochHistory.last,
              last.epoch != reportedEpoch.epoch || record.id != reportedEpoch.run else { return }
        reportedEpoch = (record.id, last.epoch)
        let validated = record.epochHistory.last(where: \.isValidated)?.validationLoss
        server.service.noteTraining(TrainingFigures(epoch: last.epoch, loss: last.trainLoss, validationLoss: validated,
                                                    updatesPerSecond: record.seconds > 0 ? Double(record.updates - (record.loadedUpdates ?? 0)) / record.seconds : 0))
    }

    /// True when the server answered requests since the last call.
    func servedRequestsChanged() -> Bool {
        guard let server else { return false }
        let count = server.service.requestCount
        defer { seenRequests = count }
        return count != seenRequests
    }

    func stopServing() {
        guard let current = server else { return }
        current.service.stop()
        server = nil
        servedModels = [:]
        bench.views.attention.served = nil
    }

    func showServe() throws(DescentError) {
        guard let server else { throw DescentError("nothing is being served: `serve` starts") }
        let recent = server.service.recentRequests(limit: 12)
        let count = server.service.requestCount
        bench.say("serving " + (server.run.map { "run \($0)" } ?? server.service.modelNames.joined(separator: ", "))
                  + " at http://\(server.address) · \(grouped(count)) request\(count == 1 ? "" : "s")", .info)
        guard !recent.isEmpty else { bench.say("no requests yet", .info); return }
        // Narrow enough for the REPL pane of an 80-column screen (40 characters).
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        bench.say("   time method path          status latency", .table)
        for r in recent {
            let path = r.path.count > 13 ? String(r.path.prefix(12)) + "…" : r.path
            bench.say(String(format: "%6.1fs ", r.time) + padded(r.method, 6) + " " + padded(path, 13)
                + String(format: " %3d %6d µs", r.status, r.microseconds), .table)
        }
        let written = server.service.recentCompletions(limit: 6)
        guard !written.isEmpty else { return }
        bench.say("latest texts written (prompt → text):", .info)
        func shown(_ text: String, _ width: Int) -> String {
            let visible = text.map { SamplePreview.shown(String($0)) }.joined()
            return visible.count > width ? "…" + visible.suffix(width - 1) : visible
        }
        for w in written {
            bench.say(String(format: "%6.1fs ", w.time) + "\(w.model) \(shown(w.prompt, 12)) → \(shown(w.text, 24))"
                      + (w.finished ? "" : " …") + (w.streamed ? " (streamed)" : ""), .table)
        }
    }

    /// `show attention served`: the attention view follows the text the server writes.
    func followServed() throws(DescentError) {
        guard server != nil else { throw DescentError("show attention served: nothing is being served: `serve` a GPT first") }
        guard servedModels.values.contains(where: { if case .symbols(_, 0) = $0.card.preprocessing.schema.form { true } else { false } }) else {
            throw DescentError("show attention served: the server writes no text: serve a character-level GPT (data words, model gpt)")
        }
        bench.views.attention.served = ServedAttention()
        bench.views.attention.head = nil
        _ = followServedGeneration()
        if let maps = bench.views.attention.served?.maps {
            bench.say("following what the server writes: \(bench.views.attention.served?.text.count ?? 0) symbols so far, "
                      + "\(maps.layers.count) attention layer\(maps.layers.count == 1 ? "" : "s")", .info)
        } else {
            bench.say("following what the server writes: the view fills with its next completion "
                      + "(POST /v1/completions); `show attention` goes back to a validation sample", .info)
        }
    }

    /// Called on every poll: when the attention view follows the server and it wrote since,
    /// the latest text's attention is recomputed on the served model. True when it changed.
    func followServedGeneration() -> Bool {
        guard var served = bench.views.attention.served, let server else { return false }
        let revision = server.service.completionRevision
        guard revision != served.revision else { return false }
        served.revision = revision
        if let latest = server.service.recentCompletions(limit: 1).last, let predictor = servedModels[latest.model],
           case .symbols(let vocabulary, 0) = predictor.card.preprocessing.schema.form {
            served.model = latest.model
            served.prompt = latest.prompt
            served.text = latest.text
            served.finished = latest.finished
            served.vocabulary = vocabulary
            served.maps = predictor.attention(after: latest.ids)
        }
        bench.views.attention.served = served
        return true
    }
}

import Datasets
import Models

extension InspectCommands {
    /// `show data` for images, texts and sequences: the first samples with their labels —
    /// digits as text art, texts as their words, sequences as their values and the next one.
    func showSamples(of data: DataState) {
        let full = data.full
        bench.say(full.summary + " · \(data.train.count) train / \(data.validation.count) validation · "
            + SetUpCommands.preprocessingNote(data))
        let count: Int
        switch full.kind {
        case .image: count = 6
        case .sequence: count = 4
        case .tokens, .table, .symbols: count = 8
        }
        let rows = Array(0..<min(count, full.count))
        let isSequence = if case .sequence = full.kind { true } else { false }
        let isSymbols = if case .symbols = full.kind { true } else { false }
        for line in Self.describe(rows, of: full, schema: data.schema, labelled: !isSequence && !isSymbols) { bench.say(line, .table) }
        if case .symbols(let vocabulary, let length, let prompt) = full.kind {
            bench.say(prompt > 0 ? "each row: the problem, then → the answer the model must write, one symbol at a time; "
                    + "only the answer's symbols are scored"
                : "each row: \(length + 1) characters of the text; at every position the model predicts the next character "
                    + "(\(vocabulary.count) distinct ones: \(vocabulary.map(SamplePreview.shown).joined()))")
        }
        if isSequence {
            bench.say("each row: the first values of a sequence, then → the next value the model must predict")
            if let baseline = full.lastValueBaselineMSE {
                bench.say("predicting the last value again gives MSE \(fmt(baseline)) on all \(full.count) sequences: the bar to beat")
            }
        }
        if full.count > rows.count { bench.say("… \(full.count - rows.count) more") }
    }
}

import Datasets
import Training

extension LossLadder.Writer {
    /// How a ladder's samples are written for `data`, or nil for data that are not symbols: a
    /// problem's answer (validation sample 0's problem, greedily, checked against its answer),
    /// or 40 characters of text drawn from a full stop (words) or a newline.
    init?(for data: DataState) {
        guard case let .symbols(vocabulary, length, prompt) = data.full.kind, data.validation.count > 0 else { return nil }
        let v = data.validation
        let ids = v.features.scalars[0..<length].map { Int($0) } + [Int(v.targets.scalars[length - 1])]
        if prompt > 0 {
            self.init(prompt: Array(ids[..<prompt]), count: length + 1 - prompt, temperature: 0, vocabulary: vocabulary,
                      separator: " ", expected: Array(ids[prompt...]))
        } else {
            let start = vocabulary.firstIndex(of: ".") ?? vocabulary.firstIndex(of: "\n") ?? 0
            self.init(prompt: [start], count: 40, temperature: 1, vocabulary: vocabulary.map(SamplePreview.shown), separator: "")
        }
    }
}

import TensorCore
import NeuralEngine
import Datasets

/// CSV files Descent writes: a run's history and the data after preprocessing. Cells are
/// quoted as RFC 4180 says (commas, quotes, line breaks), numbers in their shortest exact form.
enum TableExport {
    static func cell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                || text.hasPrefix(" ") || text.hasSuffix(" ") else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ x: Float) -> String { x.isFinite ? "\(x)" : (x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf")) }

    static func csv(_ rows: [[String]]) -> String {
        rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// `epoch,update,loss,val_loss,val_METRIC,lr`: one row per epoch of the run.
    static func metrics(_ record: RunRecord) -> String {
        var rows = [["epoch", "update", "loss", "val_loss", "val_\(record.metricName)", "lr"]]
        for e in record.epochHistory {
            rows.append(["\(e.epoch)", "\(e.update)", number(e.trainLoss), number(e.validationLoss),
                         number(e.validationMetric), e.learningRate.map(number) ?? ""])
        }
        return csv(rows)
    }

    /// The whole data set as the model sees it: `split` (train or validation), the features
    /// after preprocessing (standardised on the training split; pixels and token ids as they
    /// are), `target` as the model is trained on it (class index, or a standardised value),
    /// and a classifier's `class` name. `outputs`, when given, adds the model's outputs for
    /// every row (`descent_0` …), which exported scripts compare with their own.
    static func data(_ data: DataState, outputs: Tensor? = nil) -> String {
        let full = data.full
        var features = full.features
        if data.isStandardized { data.standardizer.apply(to: &features) }
        let d = features.count / max(full.count, 1)
        let names = full.featureNames.count == d ? full.featureNames : (0..<d).map { "x\($0 + 1)" }
        let isTrain = Set(data.trainRows)
        var header = ["split"] + names + ["target"]
        if full.task.classCount != nil { header.append("class") }
        let k = outputs.map { $0.count / max($0.rows, 1) } ?? 0
        header += (0..<k).map { "descent_\($0)" }
        var rows = [header]
        rows.reserveCapacity(full.count + 1)
        for i in 0..<full.count {
            var row = [isTrain.contains(i) ? "train" : "validation"]
            row += features.scalars[i * d..<(i + 1) * d].map(number)
            let t = full.targets.scalars[i]
            if let scaling = data.targetScaling {
                row.append(number((t - scaling.mean) / scaling.deviation))
            } else {
                row.append(number(t))
            }
            if full.task.classCount != nil { row.append(full.classNames[Int(t)]) }
            if let outputs { row += outputs.scalars[i * k..<(i + 1) * k].map(number) }
            rows.append(row)
        }
        return csv(rows)
    }

    /// The validation split in the data's own units (a text's or a sequence model's token ids as
    /// they are), with Descent's outputs per row after the model's head (`value` in the target's
    /// units): what `export onnx` writes beside the model, so any runtime can be checked.
    static func validation(_ data: DataState, outputs outputValues: Tensor) -> String {
        let full = data.full
        let d = full.features.count / max(full.count, 1)
        let k = outputValues.count / max(outputValues.rows, 1)
        // Columns by the data's names, outputs by class where there is one per class.
        let inputs = full.featureNames.count == d ? full.featureNames : (0..<d).map { "x\($0 + 1)" }
        let outputs = full.classNames.count == k && k > 1 ? full.classNames.map { "descent_" + $0 } : (0..<k).map { "descent_\($0)" }
        var rows = [inputs + outputs]
        let isTrain = Set(data.trainRows)
        for i in 0..<full.count where !isTrain.contains(i) {
            var value = outputValues.scalars[i * k..<(i + 1) * k].map { $0 }
            if full.task.classCount == nil, let scaling = data.targetScaling { value = value.map { $0 * scaling.deviation + scaling.mean } }
            rows.append(full.features.scalars[i * d..<(i + 1) * d].map(number) + value.map(number))
        }
        return csv(rows)
    }
}

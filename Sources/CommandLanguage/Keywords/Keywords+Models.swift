/// What `export` writes.
public enum ExportKind: String, CommandKeyword {
    case plot, metrics, data, keras, pytorch, tensorboard, onnx

    public var summary: String {
        switch self {
        case .plot: "a standalone SVG chart"
        case .metrics: "the run's history as CSV: epoch, update, losses, metric, lr"
        case .data: "the data after preprocessing, with its split, as CSV"
        case .keras: "a Keras 3 script that rebuilds the model, checks it and trains on"
        case .pytorch: "a PyTorch script (DistributedDataParallel, torchrun) likewise"
        case .tensorboard: "the run's log in TensorBoard's format, into a folder"
        case .onnx: "the model as ONNX (opset 17), preprocessing inside, for onnxruntime, Netron, any runtime"
        }
    }

    public var arguments: [ArgumentSpec] {
        let file = ArgumentSpec("FILE", .path, noun: "file")
        if self == .tensorboard { return [ArgumentSpec("FOLDER", .path, noun: "folder")] }
        return self == .plot ? [ArgumentSpec("CHART", .keyword(PlotChart.keywords), noun: "chart"), file] : [file]
    }
}

/// The charts `export plot` draws.
public enum PlotChart: String, CommandKeyword {
    case loss, contour, boundary, confusion

    public var summary: String {
        switch self {
        case .loss: "the loss curves"
        case .contour: "the loss over (w, b) with the path"
        case .boundary: "the decision boundary over 2-D data"
        case .confusion: "the confusion matrix"
        }
    }
}

/// `serve stop | serve refresh`.
public enum ServeAction: String, CommandKeyword {
    case stop, refresh

    public var summary: String {
        switch self {
        case .stop: "stop serving (requests in flight finish)"
        case .refresh: "answer with the current model from now on"
        }
    }
}

/// Where `log` writes the runs' logs as they train.
public enum LogTarget: String, CommandKeyword {
    case tensorboard, off

    public var summary: String {
        switch self {
        case .tensorboard: "TensorBoard's event files, a folder per run"
        case .off: "stop logging (the files stay)"
        }
    }

    public var arguments: [ArgumentSpec] {
        self == .tensorboard ? [ArgumentSpec("FOLDER", .path, noun: "folder")] : []
    }
}

/// `record stop`.
public enum RecordWord: String, CommandKeyword {
    case stop
    public var summary: String { "stop recording and close the file" }
}

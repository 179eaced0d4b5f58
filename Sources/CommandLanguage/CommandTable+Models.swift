/// Commands that keep a trained model and use it: save, load, predict.
extension CommandTable {
    static let models: [CommandSpec] = [
        CommandSpec(.save, group: .models, traits: .closesCell,
                    summary: "write the current model to NAME.safetensors and NAME.json",
                    arguments: [ArgumentSpec("NAME", .path, noun: "file name")],
                    notes: "The weights go in safetensors (numpy, PyTorch and JAX read it); the architecture, "
                        + "preprocessing, optimizer state and seed go in its metadata and in NAME.json beside it. "
                        + "Saving the same model twice writes the same bytes; a file is replaced whole or not at all.",
                    examples: ["save iris-mlp", "save \"models/my model\""]),
        CommandSpec(.load, group: .models, traits: .closesCell,
                    summary: "load a saved model, its data and set-up; `train` goes on",
                    arguments: [ArgumentSpec("NAME", .path, noun: "file name")],
                    notes: "It becomes the current run: predictions equal the saved model's bit for bit, and "
                        + "`train epochs=10` trains 10 more epochs exactly as the saving session would have. "
                        + "A damaged or mismatched file is refused with the reason; the session stays as it was.",
                    examples: ["load iris-mlp", "load iris-mlp.safetensors"]),
        CommandSpec(.reopen, group: .models,
                    summary: "bring a kept run back: its set-up and final weights",
                    arguments: [ArgumentSpec("RUN", runReference, noun: "run", summary: "@N, @WORD (a tag), or this session's run")],
                    notes: "Like `load` of the file `save` would have written at the run's end: the run's data is made "
                        + "again and checked, its model gets its weights back, and `train`, `predict`, `serve` and "
                        + "`export` work on it. `runs` lists what can be reopened.",
                    examples: ["reopen @12", "reopen @baseline"]),
        CommandSpec(.predict, group: .models, traits: .closesCell,
                    summary: "run one row, in the data's own units, through the model",
                    arguments: [ArgumentSpec("VALUE", .oneOf([.number(.any), .path]), noun: "value", repeats: true,
                                             summary: "one value per column, categories by name; a text model takes words, "
                                                 + "a sequence model its problem's symbols")],
                    notes: "Numbers are given as in the data file (not standardised); a categorical column takes "
                        + "its value's name. Spaces or commas between values (`predict 5.1, 3.5, 1.4, 0.2`). Classifiers print each class with its probability, regression its value, "
                        + "a sequence model (`model gpt`) the answer it writes with each symbol's probability.",
                    examples: ["predict 5.1 3.5 1.4 0.2", "predict 150 7 red", "predict \"a great film\"",
                               "predict 2 0 1 1 0 2   # sort: the model writes 0 0 1 1 2 2"]),
        CommandSpec(.generate, group: .models, traits: .closesCell,
                    summary: "write text with a character-level model (data words)",
                    arguments: [ArgumentSpec("N", .integer(.closed(1, 10_000)), noun: "number of characters", optional: true,
                                             default: .number(200))],
                    options: [
                        OptionSpec("temperature", .number(.closed(0, 10)), default: .number(1),
                                   summary: "below 1 safer and duller, above 1 wilder; 0 always the likeliest"),
                        OptionSpec("top_k", .integer(.atLeast(1)), defaultNote: "every character",
                                   summary: "draw only among the K likeliest characters"),
                        OptionSpec("prompt", .name("text"), defaultNote: "\".\" for words, a newline for text",
                                   summary: "the text to continue (not a file): one word as is, anything with a space in double quotes"),
                    ],
                    notes: "Each character is drawn from the model's probabilities for the next one, given the text so "
                        + "far (the last LENGTH characters). The same seed writes the same text. Quoting: "
                        + "prompt=th, or prompt=\"the cat \" with the spaces kept; a \" inside is written \\\".",
                    examples: ["generate", "generate 300 temperature=0.5", "generate 100 top_k=3 prompt=\"th\""]),
        CommandSpec(.serve, group: .models, traits: .closesCell,
                    summary: "answer predictions over HTTP (/v1/predict; /v2: Open Inference)",
                    arguments: [ArgumentSpec("ACTION|MODEL", .oneOf([.keyword(ServeAction.keywords), .path]), noun: "action or saved model",
                                             optional: true, repeats: true,
                                             summary: "`stop`, `refresh`, or saved models to serve, each under its name")],
                    options: [
                        OptionSpec("port", .integer(.closed(0, 65535)), default: .number(8080),
                                   summary: "the TCP port; 0 picks a free one"),
                        OptionSpec("host", .path, defaultNote: "127.0.0.1",
                                   summary: "the address to listen on; anything but loopback reaches other machines"),
                    ],
                    usage: "serve [port=N] [host=ADDRESS] | serve NAME … [port=N] | serve stop | serve refresh",
                    notes: "`serve` alone serves a copy of the current model: training goes on beside it, and the copy is "
                        + "replaced when a run ends or on `serve refresh`. `serve iris sortgpt` serves saved models, each "
                        + "under its name (the first answers /v1/predict); `save NAME` of a served name replaces it. "
                        + "Endpoints: POST /v1/predict {\"inputs\": [[...], ...]}, GET /v1/model, GET /healthz, "
                        + "GET /openapi.json, the Open Inference Protocol's /v2/models/NAME, and for a character-level "
                        + "GPT OpenAI's /v1/models, /v1/completions and /v1/chat/completions (streamed with stream: true); "
                        + "GET /metrics in Prometheus' format. "
                        + "`show serve` lists the latest requests.",
                    examples: ["serve", "serve port=0", "serve iris sortgpt port=0", "serve stop"]),
        CommandSpec(.export, group: .models, traits: .closesCell,
                    summary: "write a chart, history, data, script, ONNX or TensorBoard log",
                    arguments: [ArgumentSpec("WHAT", .keyword(ExportKind.keywords), noun: "export")],
                    usage: "export plot loss|contour|boundary|confusion FILE.svg | export metrics|data FILE.csv | export keras|pytorch FILE.py "
                        + "| export tensorboard FOLDER | export onnx FILE.onnx",
                    notes: "A script comes with NAME.safetensors (the weights) and NAME.csv (the data after "
                        + "preprocessing, with Descent's outputs per row) beside it: it checks that its predictions "
                        + "match Descent's before it trains.",
                    examples: ["export plot loss loss.svg", "export metrics history.csv", "export keras iris.py",
                               "export pytorch iris.py", "export tensorboard logs", "export onnx iris.onnx"]),
        CommandSpec(.log, group: .models,
                    summary: "log the runs as they train, in TensorBoard's format",
                    arguments: [ArgumentSpec("TARGET", .keyword(LogTarget.keywords), noun: "log target", optional: true)],
                    usage: "log tensorboard FOLDER | log off | log",
                    notes: "Each run from now on (and the one training) writes FOLDER/run-N[-NAME]/events.out.tfevents.…: "
                        + "loss, val_loss, val_acc (or val_r2) and lr at each epoch, the step being the update; each layer's "
                        + "weight and gradient histograms as the run reports them; the set-up as text; and the "
                        + "hyper-parameters dashboard's set-up against final metrics across runs. Open it with "
                        + "`tensorboard --logdir FOLDER`. `log` alone says where it writes.",
                    examples: ["log tensorboard logs", "log off"]),
    ]
}

import Testing
@testable import CommandLanguage

/// One golden parse per command form: the line, and the command it must become.
@Suite struct ParserGoldenTests {
    static let goldens: [(String, Command)] = [
        ("seed 42", command("seed", .number(42))),
        ("reset", command("reset")),
        ("data csv \"my data.csv\" label=\"the label\" sep=semicolon decimal=comma missing=mean",
         command("data", .word("csv"), .string("my data.csv"), options: [
            ("label", .string("the label")), ("sep", .word("semicolon")), ("decimal", .word("comma")), ("missing", .word("mean"))])),
        ("data spiral n=400 noise=0.2 split=0.8",
         command("data", .word("spiral"), options: [
            ("n", .number(400)), ("noise", .number(0.2)), ("split", .number(0.8))])),
        ("data blobs k=4", command("data", .word("blobs"), options: [("k", .number(4))])),
        ("data sine", command("data", .word("sine"))),
        ("model mlp 8,8 act=tanh",
         command("model", .word("mlp"), .list([8, 8]), options: [("act", .word("tanh"))])),
        ("model mlp 16", command("model", .word("mlp"), .list([16]))),
        ("model logistic", command("model", .word("logistic"))),
        ("model dense 8 tanh | dense 1 sigmoid",
         model([.word("dense"), .number(8), .word("tanh")],
               [.word("dense"), .number(1), .word("sigmoid")])),
        ("model dense 8 | dropout 0.2 | dense 1",
         model([.word("dense"), .number(8)], [.word("dropout"), .number(0.2)],
               [.word("dense"), .number(1)])),
        ("loss bce", command("loss", .word("bce"))),
        ("optimizer adam lr=0.01", command("optimizer", .word("adam"), options: [("lr", .number(0.01))])),
        ("optimizer momentum lr=3e-4 momentum=0.9",
         command("optimizer", .word("momentum"), options: [
            ("lr", .number(3e-4)), ("momentum", .number(0.9))])),
        ("regularize l2 0.001", command("regularize", .word("l2"), .number(0.001))),
        ("regularize l1", command("regularize", .word("l1"))),
        ("regularize none", command("regularize", .word("none"))),
        ("dropout 0.2", command("dropout", .number(0.2))),
        ("batch 32", command("batch", .number(32))),
        ("batch full", command("batch", .word("full"))),
        ("schedule step every=10 gamma=0.5",
         command("schedule", .word("step"), options: [("every", .number(10)), ("gamma", .number(0.5))])),
        ("schedule onecycle", command("schedule", .word("onecycle"))),
        ("train epochs=50", command("train", options: [("epochs", .number(50))])),
        ("train", command("train")),
        ("pause", command("pause")),
        ("resume", command("resume")),
        ("stop", command("stop")),
        ("step", command("step")),
        ("step 10", command("step", .number(10))),
        ("watch dense1.w[3,0]", command("watch", .word("dense1.w[3,0]"))),
        ("watch dense2.b[0]", command("watch", .word("dense2.b[0]"))),
        ("set lr 0.003", command("set", .word("lr"), .number(0.003))),
        ("set momentum 0.9", command("set", .word("momentum"), .number(0.9))),
        ("set batch full", command("set", .word("batch"), .word("full"))),
        ("set pace max", command("set", .word("pace"), .word("max"))),
        ("set pace 30", command("set", .word("pace"), .number(30))),
        ("undo", command("undo")),
        ("show confusion", command("show", .word("confusion"))),
        ("runs", command("runs")),
        ("runs today data=iris best=val.acc", command("runs", .word("today"), options: [("data", .word("iris")), ("best", .word("val.acc"))])),
        ("runs tag @12 baseline", command("runs", .word("tag"), .word("@12"), .word("baseline"))),
        ("note \"adam beat momentum\"", command("note", .string("adam beat momentum"))),
        ("reopen @baseline", command("reopen", .word("@baseline"))),
        ("submit", command("submit")),
        ("expect val.acc > 0.85 points=3", command("expect", .word("val.acc"), .op(">"), .number(0.85), options: [("points", .number(3))])),
        ("expect val.acc > 0.9", command("expect", .word("val.acc"), .op(">"), .number(0.9))),
        ("expect loss <= 0.05", command("expect", .word("loss"), .op("<="), .number(0.05))),
        ("expect train.loss decreasing", command("expect", .word("train.loss"), .word("decreasing"))),
        ("save iris-mlp", command("save", .word("iris-mlp"))),
        ("load \"my models/iris\"", command("load", .string("my models/iris"))),
        ("predict 150 7 red", command("predict", .number(150), .number(7), .word("red"))),
        ("generate 300 temperature=0.5 top_k=3 prompt=\"th\"",
         command("generate", .number(300), options: [("temperature", .number(0.5)), ("top_k", .number(3)), ("prompt", .string("th"))])),
        ("serve port=0", command("serve", options: [("port", .number(0))])),
        ("serve stop", command("serve", .word("stop"))),
        ("export plot loss loss.svg", command("export", .word("plot"), .word("loss"), .word("loss.svg"))),
        ("export keras iris.py", command("export", .word("keras"), .word("iris.py"))),
        ("export tensorboard logs", command("export", .word("tensorboard"), .word("logs"))),
        ("log tensorboard runs/today", command("log", .word("tensorboard"), .word("runs/today"))),
        ("log off", command("log", .word("off"))),
        ("record notes.md", command("record", .word("notes.md"))),
        ("record \"my notes.md\"", command("record", .string("my notes.md"))),
        ("record stop", command("record", .word("stop"))),
        ("replay Notebooks/welcome.md", command("replay", .word("Notebooks/welcome.md"))),
        ("next", command("next")),
        ("lesson Notebooks/welcome.md", command("lesson", .word("Notebooks/welcome.md"))),
        ("lesson 2", command("lesson", .number(2))),
        ("lessons", command("lessons")),
        ("show unit 1 3", command("show", .word("unit"), .number(1), .number(3))),
        ("model mlp 8 act=tanh init=10", command("model", .word("mlp"), .list([8]), options: [("act", .word("tanh")), ("init", .number(10))])),
        ("help", command("help")),
        ("help optimizer", command("help", .word("optimizer"))),
        ("help keys", command("help", .word("keys"))),
        ("theme solarized-dark", command("theme", .word("solarized-dark"))),
        ("show boundary", command("show", .word("boundary"))),
        ("quit", command("quit")),
        ("clear", command("clear")),
        // The curriculum's data, models and evaluation.
        ("data iris", command("data", .word("iris"))),
        ("data digits split=0.75", command("data", .word("digits"), options: [("split", .number(0.75))])),
        ("data reviews n=500 length=16",
         command("data", .word("reviews"), options: [("n", .number(500)), ("length", .number(16))])),
        ("data sequence noise=0.1", command("data", .word("sequence"), options: [("noise", .number(0.1))])),
        ("data csv flowers.csv label=species standardize=off",
         command("data", .word("csv"), .word("flowers.csv"), options: [
            ("label", .word("species")), ("standardize", .word("off"))])),
        ("data csv \"my data.csv\" label=price task=regression split=0.9",
         command("data", .word("csv"), .string("my data.csv"), options: [
            ("label", .word("price")), ("task", .word("regression")), ("split", .number(0.9))])),
        ("data idx images.idx labels.idx",
         command("data", .word("idx"), .word("images.idx"), .word("labels.idx"))),
        ("model cnn", command("model", .word("cnn"))),
        ("model textcls", command("model", .word("textcls"))),
        ("model rnn", command("model", .word("rnn"))),
        ("cv", command("cv")),
        ("cv k=10 epochs=50", command("cv", options: [("k", .number(10)), ("epochs", .number(50))])),
        ("show misclassified 3 8", command("show", .word("misclassified"), .number(3), .number(8))),
        ("show misclassified versicolor virginica",
         command("show", .word("misclassified"), .word("versicolor"), .word("virginica"))),
        ("show misclassified worst", command("show", .word("misclassified"), .word("worst"))),
        ("compare sgd adam lr.adam=0.01", command("compare", .word("sgd"), .word("adam"), options: [("lr.adam", .number(0.01))])),
        ("compare 2 5", command("compare", .number(2), .number(5))),
        ("compare slow last 2", command("compare", .word("slow"), .word("last"), .number(2))),
        ("train epochs=20 name=slow", command("train", options: [("epochs", .number(20)), ("name", .word("slow"))])),
        ("runs last 3", command("runs", .word("last"), .number(3))),
        ("gradcheck", command("gradcheck")),
        ("ablate L2H1", command("ablate", .word("L2H1"))),
        ("patch induction", command("patch", .word("induction"))),
        ("lr find from=1e-5", command("lr", .word("find"), options: [("from", .number(1e-5))])),
        ("rewind 40", command("rewind", .number(40))),
        ("rewind off", command("rewind", .word("off"))),
        ("gradcheck dense1.w[3,0]", command("gradcheck", .word("dense1.w[3,0]"))),
        ("expect val.acc > 0.9 run=adam",
         command("expect", .word("val.acc"), .op(">"), .number(0.9), options: [("run", .word("adam"))])),
    ]

    @Test(arguments: goldens)
    func parsesToGolden(line: String, expected: Command) throws {
        #expect(try parsed(line) == expected)
    }

    @Test func everyCommandHasAGolden() {
        let covered = Set(Self.goldens.map(\.1.name))
        #expect(covered == Set(CommandTable.names))
    }

    @Test func locationsPointAtTokens() throws {
        let c = try #require(try parseLine("  optimizer adam  lr=0.1", line: 7, file: "a.md"))
        #expect(c.location == SourceLocation(line: 7, column: 3, file: "a.md"))
        #expect(c.arguments[0].location.column == 13)
        #expect(c.location(ofOption: "lr")?.column == 19)
    }

    @Test func blankAndCommentLinesAreNil() throws {
        #expect(try parseLine("") == nil)
        #expect(try parseLine("   \t ") == nil)
        #expect(try parseLine("# a comment") == nil)
        #expect(try parsed("seed 1  # trailing comment") == command("seed", .number(1)))
    }

    @Test func typedAccessors() throws {
        let c = try parsed("optimizer adam lr=3e-4 beta1=0.8")
        #expect(c.keyword == "adam")
        #expect(c.number("lr") == 3e-4)
        #expect(c.number("beta2") == nil)
        #expect(c.optionOrDefault("beta2") == .number(0.999))
        #expect(try parsed("data blobs k=4").integer("k") == 4)
        #expect(try parsed("model mlp 8,4").positional(1)?.numbers == [8, 4])
        #expect(try parsed("model dense 8 | dense 1 sigmoid").positional(2, segment: 1)?.text == "sigmoid")
        #expect(try parsed("record \"a b.md\"").positional(0)?.text == "a b.md")
    }

    @Test func scriptsKeepLineNumbers() {
        let results = parseScript("seed 1\n\n# note\noptimzer adam\r\ntrain\n", file: "s.txt")
        #expect(results.count == 3)
        guard case .failure(let error) = results[1] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.location == SourceLocation(line: 4, column: 1, file: "s.txt"))
        #expect(error.description == "s.txt:4:1: unknown command 'optimzer' — did you mean 'optimizer'?")
        guard case .success(let train) = results[2] else { return }
        #expect(train.location.line == 5)
    }
}

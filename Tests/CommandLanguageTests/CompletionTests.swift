import Testing
@testable import CommandLanguage

@Suite struct CompletionTests {
    @Test func emptyLineOffersEveryCommand() {
        #expect(completions(forLine: "") == CommandTable.names)
    }

    @Test(arguments: [
        ("opt", ["optimizer"]),
        ("s", ["seed", "schedule", "stop", "step", "set", "show", "save", "serve", "submit"]),
        ("optimizer a", ["adagrad", "adam", "adamw"]),
        ("optimizer adam l", ["lr="]),
        ("optimizer adam ", ["lr=", "beta1=", "beta2=", "eps=", "decay="]),
        ("optimizer momentum lr=0.1 ", ["momentum="]),
        ("data sp", ["spiral"]),
        ("data spiral ", ["n=", "noise=", "split=", "standardize="]),
        ("data blobs k", ["k="]),
        ("model ", ["linear", "logistic", "softmax", "svm", "mlp", "cnn", "textcls", "rnn", "gpt", "dense", "dropout"]),
        ("model mlp 8 act=t", ["act=tanh"]),
        ("model dense 8 t", ["tanh"]),
        ("model dense 8 tanh | d", ["dense", "dropout"]),
        ("show c", ["confusion", "contour"]),
        ("set ", ["lr", "momentum", "batch", "pace"]),
        ("set pace ", ["max"]),
        ("batch f", ["full"]),
        ("expect val.a", ["val.acc"]),
        ("expect val.acc ", [">", "<", ">=", "<=", "==", "decreasing", "increasing"]),
        ("help opt", ["optimizer"]),
        ("help k", ["keys"]),
        ("seed ", []),
        ("pause ", []),
        ("seed 4 # c", []),
        ("bogus a", []),
        ("train ", ["epochs=", "patience=", "name="]),
    ] as [(String, [String])])
    func completesFromTheTable(line: String, expected: [String]) {
        #expect(completions(forLine: line) == expected)
    }

    @Test func cursorInTheMiddle() {
        // Completing "op" with text after the cursor.
        #expect(completions(forLine: "op adam", cursor: 2) == ["optimizer"])
        let context = completionContext(forLine: "optimizer ad lr=1", cursor: 12)
        #expect(context.word == "ad" && context.wordStart == 10 && context.command == "optimizer")
    }

    @Test func dynamicCandidatesForPaths() {
        let files = ["notes.md", "my lesson.md", "other.txt"]
        var seen: [CompletionContext] = []
        let result = completions(forLine: "replay n") { context in
            seen.append(context)
            guard case .argument(let spec) = context.slot, spec.kind == .path else { return [] }
            return files
        }
        #expect(result == ["notes.md"])
        #expect(seen.first?.command == "replay")
        #expect(completions(forLine: "replay \"my") { _ in files } == ["\"my lesson.md\""])
        #expect(completions(forLine: "record s") { _ in ["session.md"] } == ["stop", "session.md"])
    }

    @Test func contextForOptionValues() {
        let context = completionContext(forLine: "model mlp 8 act=g")
        guard case .optionValue(let option) = context.slot else {
            Issue.record("expected an option value slot")
            return
        }
        #expect(option.key == "act" && context.valuePrefix == "g")
    }
}

import Testing
@testable import CommandLanguage

/// The commands of the curriculum's data, models and evaluation: what parses, what is refused
/// with which message, and what Tab offers.
@Suite struct CurriculumCommandTests {
    @Test(arguments: [
        ("data ", ["circle", "xor", "gauss", "spiral", "moons", "blobs", "linear", "plane", "sine",
                   "iris", "digits", "reviews", "sequence", "sort", "reverse", "add", "repeat", "words", "text", "csv", "idx"]),
        ("data d", ["digits"]),
        ("data csv a.csv ", ["split=", "label=", "task=", "sep=", "decimal=", "missing=", "standardize="]),
        ("data csv a.csv missing=", ["missing=error", "missing=drop", "missing=mean", "missing=mode"]),
        ("data csv a.csv l", ["label="]),
        ("data csv a.csv task=", ["task=auto", "task=classes", "task=regression"]),
        ("data csv a.csv standardize=", ["standardize=on", "standardize=off"]),
        ("data reviews ", ["n=", "split=", "length="]),
        ("data sequence ", ["n=", "noise=", "split=", "length="]),
        ("data iris ", ["split=", "standardize="]),
        ("data digits ", ["split="]),
        ("model t", ["textcls"]),
        ("model c", ["cnn"]),
        ("cv ", ["k=", "epochs="]),
        ("show m", ["metrics", "misclassified"]),
    ])
    func completes(line: String, expected: [String]) {
        #expect(completions(forLine: line) == expected)
    }

    @Test func pathArgumentsAskTheCaller() {
        let csv = completionContext(forLine: "data csv ")
        guard case .argument(let argument) = csv.slot else { Issue.record("no argument slot"); return }
        #expect(argument.kind == .path && argument.name == "PATH")
        guard case .argument(let labels) = completionContext(forLine: "data idx a.idx ").slot else {
            Issue.record("no second file slot"); return
        }
        #expect(labels.name == "LABELS")
        #expect(completions(forLine: "data csv fl") { _ in ["flowers.csv", "other.csv"] } == ["flowers.csv"])
    }

    @Test(arguments: [
        ("data iris n=100", "option 'n' applies only to"),
        ("data digits standardize=off", "option 'standardize' applies only to"),
        ("data spiral label=x", "option 'label' applies only to data csv"),
        ("data csv", "csv needs PATH, a file name"),
        ("data idx images.idx", "idx needs LABELS"),
        ("data csv a.csv label=y standardize=maybe", "unknown standardize 'maybe'"),
        ("cv k=1", "k must be a whole number in [2, 20], not 1"),
        ("cv folds=3", "unknown option 'folds=' for cv (options: k= epochs=)"),
        ("model cnn 3", "unexpected '3'"),
    ])
    func refusesWithAClearMessage(line: String, fragment: String) {
        let error = parseError(line)
        #expect(error?.message.contains(fragment) == true, "\(line): \(error?.message ?? "parsed")")
    }

    @Test func helpDocumentsTheNewForms() throws {
        let data = try #require(Help.text(for: "data"))
        for word in ["iris", "digits", "reviews", "sequence", "csv PATH", "idx IMAGES LABELS", "label=COLUMN",
                     "standardize=on|off", "data csv flowers.csv label=species standardize=off"] {
            #expect(data.contains(word), "help data: \(word)")
        }
        let cv = try #require(Help.text(for: "cv"))
        #expect(cv.contains("k=N") && cv.contains("epochs=N") && cv.contains("default 5"))
        let show = try #require(Help.text(for: "show"))
        #expect(show.contains("misclassified TRUE [PRED]") && show.contains("show misclassified 3 8")
                && show.contains("show misclassified worst"))
        #expect(try #require(Help.text(for: "model")).contains("textcls"))
    }

    @Test func canonicalTextRoundTrips() throws {
        for line in ["data csv \"my data.csv\" label=kind task=classes", "show misclassified 0 virginica",
                     "cv k=3 epochs=7", "data idx a b split=0.5"] {
            let c = try parsed(line)
            #expect(try parsed(c.description) == c)
        }
    }
}

import Testing
@testable import CommandLanguage

@Suite struct HelpTests {
    @Test(arguments: CommandTable.all.map(\.name))
    func everyCommandHasHelp(name: String) throws {
        let spec = try #require(CommandTable.spec(named: name))
        let text = try #require(Help.text(for: name))
        #expect(text.hasPrefix("\(name) — \(spec.summary)"))
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("usage: \(spec.usage)"))
        for option in spec.options {
            #expect(text.contains("\(option.key)="), "help \(name) mentions \(option.key)=")
        }
        for example in spec.examples {
            #expect(text.contains(example))
            #expect(throws: Never.self) { try parseLine(example) }
        }
        for line in text.split(separator: "\n") {
            #expect(line.count <= 78, "\(name): \(line)")
        }
    }

    /// In a narrow REPL (an 80×24 screen gives it 44 columns) each entry's text goes under its
    /// head rather than a word or two a line beside it.
    @Test func narrowHelpPutsTextUnderItsHead() throws {
        let wide = try #require(Help.text(for: "show", width: 78))
        let narrow = try #require(Help.text(for: "show", width: 44))
        let lines = narrow.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 44 }, "\(narrow)")
        #expect(lines.count < 2 * wide.split(separator: "\n").count, "\(lines.count) lines narrow")
        #expect(narrow.split(whereSeparator: \.isWhitespace) == wide.split(whereSeparator: \.isWhitespace))
        #expect(Help.entry("positions", "a GPT's loss at each position of the probe", indent: 2, column: 35, width: 44)
                == ["  positions", "      a GPT's loss at each position of the", "      probe"])
    }

    @Test func overviewListsEveryCommandOnce() {
        let text = Help.overview()
        for spec in CommandTable.all {
            #expect(text.contains("  \(spec.name) ") && text.contains(spec.summary))
        }
        for group in CommandGroup.allCases { #expect(text.contains(group.rawValue)) }
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 78 })
    }

    @Test func optimizerHelpShowsDefaultsAndChoices() throws {
        let text = try #require(Help.text(for: "optimizer"))
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("lr=X"))
        #expect(text.contains("learning rate, a number > 0; default 0.01"))
        #expect(text.contains("adamw"))
        #expect(text.contains("optimizer adam lr=0.01"))
    }

    @Test func modelHelpListsPresetsAndLayers() throws {
        let text = try #require(Help.text(for: "model"))
        for word in ["linear", "logistic", "softmax", "svm", "mlp WIDTHS", "dense UNITS [ACT]", "where",
                     "dropout RATE", "act=NAME"] {
            #expect(text.contains(word), "\(word)")
        }
    }

    /// A placeholder with different meanings after different words (`show weights LAYER`, `show
    /// unit LAYER`) says which word each meaning is for; one meaning is said once.
    @Test func placeholdersThatDifferSayWhichWordTheyFollow() throws {
        let lines = try #require(Help.text(for: "show")).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let layers = lines.filter { $0.hasPrefix("LAYER ") }
        #expect(layers.count == 3, "\(layers)")
        #expect(layers.contains { $0.contains("after weights: a layer name") })
        #expect(layers.contains { $0.contains("after unit: a whole number ≥ 1") })
        #expect(lines.filter { $0.hasPrefix("UNIT ") }.count == 1)
        #expect(!lines.contains { $0.hasPrefix("UNIT ") && $0.contains("after") })
    }

    @Test func unknownNamesSuggestTheNearest() {
        #expect(Help.text(for: "optimzer") == nil)
        #expect(Help.notFound("optimzer") == "no command 'optimzer' — did you mean 'optimizer'? (help optimizer)")
        #expect(Help.notFound("qqqqqq") == "no command 'qqqqqq'; help lists the commands")
    }

    /// `generate`'s prompt is text, not a file, and its help says how to quote it.
    @Test func generateTakesAPromptText() throws {
        let help = try #require(Help.text(for: "generate"))
        #expect(help.contains("[prompt=TEXT]") && !help.contains("prompt=FILE"), "\(help)")
        #expect(help.contains("prompt=\"the cat \""), "quoting shown")
    }
}

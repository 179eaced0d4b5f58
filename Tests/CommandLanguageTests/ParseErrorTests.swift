import Testing
@testable import CommandLanguage

/// Errors name the offending token's line and column and suggest the nearest valid word.
@Suite struct ParseErrorTests {
    @Test(arguments: [
        // line, column, message fragment, suggestion
        ("optimzer adam", 1, "unknown command 'optimzer'", "optimizer"),
        ("  trian", 3, "unknown command 'trian'", "train"),
        ("opt", 1, "unknown command 'opt'", "optimizer"),
        ("optimizer adma", 11, "unknown optimizer 'adma'", "adam"),
        ("optimizer Adam", 11, "unknown optimizer 'Adam'", "adam"),
        ("data spirl", 6, "unknown dataset 'spirl'", "spiral"),
        ("data scores.csv", 6, "unknown dataset 'scores.csv'", "csv scores.csv"),
        ("optimizer adam lrr=0.1", 16, "unknown option 'lrr=' for optimizer", "lr="),
        // A word the command takes first, written as an option.
        ("set lr=0.1", 5, "set takes lr as a word, then its value: no '='", "set lr 0.1"),
        // A lone number where options go: the first option that takes it.
        ("train 50", 7, "unexpected '50' — train takes no arguments", "train epochs=50"),
        // What other tools call an option points to Descent's name for it.
        ("data csv houses.csv target=price", 21, "unknown option 'target=' for data csv", "label="),
        ("optimizer adam learning_rate=0.1", 16, "unknown option 'learning_rate=' for optimizer", "lr="),
        ("data csv a.csv label=y delimiter=semicolon", 24, "unknown option 'delimiter=' for data csv", "sep="),
        ("model mlp 8 act=tahn", 17, "unknown act 'tahn'", "tanh"),
        ("model dense 8 sigmod", 15, "unknown activation 'sigmod'", "sigmoid"),
        ("show confuson", 6, "unknown view 'confuson'", "confusion"),
        ("set rl 0.1", 5, "unknown setting 'rl'", "lr"),
        ("batch fulll", 7, "batch size must be", "full"),
        ("expect val.acx > 0.9", 8, "unknown metric 'val.acx'", "val.acc"),
        ("expect val.acc increasng", 16, "unknown test 'increasng'", "increasing"),
        ("help optimzer", 6, "unknown help topic 'optimzer'", "optimizer"),
        ("schedule cosin", 10, "unknown schedule 'cosin'", "cosine"),
        // A word a command takes first: that command in front of the whole line.
        ("csv scores.csv", 1, "unknown command 'csv'; 'csv' follows 'data'", "data csv scores.csv"),
        ("mlp 8,8", 1, "unknown command 'mlp'; 'mlp' follows 'model'", "model mlp 8,8"),
        ("adam lr=0.1", 1, "unknown command 'adam'; 'adam' follows 'optimizer'", "optimizer adam lr=0.1"),
        // A view by the name a newcomer gives it, or a near spelling of that name.
        ("show loss", 6, "unknown view 'loss'", "history"),
        ("show lossses", 6, "unknown view 'lossses'", "history"),
        ("show mistakes", 6, "unknown view 'mistakes'", "misclassified"),
        // Several layers' units written apart.
        ("model mlp 8 8", 13, "the units of several layers are written as one word, with commas: 8,8", "model mlp 8,8"),
        ("model mlp 16 8 4", 14, "with commas: 16,8,4", "model mlp 16,8,4"),
        // A setting written as an option at the start of a line: its set-up command, or `set`.
        ("batch=16", 1, "'batch 16' sets up the next run, 'set batch 16' changes the current one", "batch 16"),
        ("lr=0.1", 1, "to change lr write 'set lr VALUE'", "set lr 0.1"),
        // Words from shells and other tools get Descent's.
        ("exit", 1, "unknown command 'exit'", "quit"),
        ("?", 1, "unknown command '?'", "help"),
        ("  fit epochs=3", 3, "Keras' fit is `train` here", "train epochs=3"),
        ("summary", 1, "Keras' summary() is `show layers` here", "show layers"),
        // Values written as options where a command takes them alone.
        ("predict x=0.5", 9, "predict takes no key=value options: write the values alone", "predict 0.5"),
    ] as [(String, Int, String, String)])
    func suggestsNearestWord(line: String, column: Int, fragment: String, suggestion: String) throws {
        let error = try #require(parseError(line, line: 4))
        #expect(error.location == SourceLocation(line: 4, column: column))
        #expect(error.message.contains(fragment), "\(error)")
        #expect(error.suggestion == suggestion)
    }

    @Test(arguments: [
        ("seed", 5, "seed needs N"),
        ("predict", 8, "predict needs VALUE: one value per column, categories by name"),
        ("seed -1", 6, "seed must be a whole number ≥ 0, not -1"),
        ("seed 1.5", 6, "seed must be a whole number"),
        ("seed 1 2", 8, "unexpected '2' — usage: seed N"),
        ("pause now", 7, "pause takes no arguments"),
        ("pause lr=1", 7, "pause takes no options"),
        ("show data lr=1", 11, "show data takes no options"),
        ("replay a.md x=1", 13, "replay takes no options"),
        ("data spiral split=1", 19, "split must be a number in (0, 1), not 1"),
        ("data spiral n=1", 15, "n must be a whole number in [2, 1000000]"),
        ("data spiral k=3", 13, "option 'k' applies only to data blobs"),
        ("data spiral noise=1 noise=2", 21, "option 'noise' is given twice"),
        ("dropout 1", 9, "dropout rate must be a number in [0, 1), not 1"),
        ("optimizer sgd beta1=0.9", 15, "applies only to optimizer adam, optimizer adamw"),
        ("optimizer adam lr=0", 19, "lr must be a number > 0, not 0"),
        ("model mlp 8 | dense 1", 7, "'mlp' stands alone; with '|' each part must be dense or dropout"),
        ("model dense 8 | dens 1", 17, "unknown layer 'dens'"),
        ("model dense", 12, "dense needs UNITS"),
        ("model dense | dense 1", 13, "dense needs UNITS"),
        ("model dense 8 |", 16, "expected a layer after '|'"),
        ("model | dense 1", 7, "expected a layer before '|'"),
        ("model dense 0", 13, "units must be a whole number in [1, 1000000], not 0"),
        ("model mlp 8,0", 11, "hidden widths must be whole numbers from 1 to 1,000,000 like 8 or 16,8, not 8,0"),
        ("model mlp 99999999", 11, "hidden widths must be whole numbers from 1 to 1,000,000 like 8 or 16,8, not 99999999"),
        ("seed 1 | seed 2", 8, "'|' only separates layers after 'model'"),
        ("expect val.acc >", 17, "> needs X"),
        ("expect val.acc > big", 18, "threshold must be a number, not 'big'"),
        ("watch dense1.w[3,", 7, "parameter must be written like dense1.w[4,1] or dense2.b[1], not 'dense1.w[3,'"),
        ("set pace fast", 10, "pace must be a number > 0 or 'max', not 'fast'"),
        ("42", 1, "expected a command name, found '42'"),
        ("lr=0.1", 1, "to change lr write 'set lr VALUE'"),
        ("ls", 1, "Descent is not a shell: `lessons` lists the lessons"),
        ("replay 3", 8, "file must be a file name"),
        ("xyzzy", 1, "unknown command 'xyzzy' (help lists the commands)"),
        ("loss xyz", 6, "unknown loss 'xyz'; expected one of mse, bce, ce, hinge"),
    ] as [(String, Int, String)])
    func pointsAtTheOffendingToken(line: String, column: Int, fragment: String) throws {
        let error = try #require(parseError(line, line: 2))
        #expect(error.location == SourceLocation(line: 2, column: column), "\(error)")
        #expect(error.message.contains(fragment), "\(error)")
    }

    @Test func unknownOptionNamesTheValidOnes() throws {
        let error = try #require(parseError("optimizer adam lrr=0.01"))
        #expect(error.message == "unknown option 'lrr=' for optimizer adam "
                + "(options: lr= beta1= beta2= eps= decay=)")
        #expect(error.description.hasSuffix("— did you mean 'lr='?"))
    }

    @Test func descriptionReadsLikeACompiler() throws {
        let error = try #require(parseError("optimzer adam"))
        #expect(error.description == "1:1: unknown command 'optimzer' — did you mean 'optimizer'?")
        let located = ParseError("bad", at: SourceLocation(line: 14, column: 3, file: "lesson.md"))
        #expect(located.description == "lesson.md:14:3: bad")
    }

    @Test func distances() {
        #expect(Suggestions.distance("adma", "adam") == 1)
        #expect(Suggestions.distance("optimzer", "optimizer") == 1)
        #expect(Suggestions.distance("kitten", "sitting") == 3)
        #expect(Suggestions.distance("", "abc") == 3)
        #expect(Suggestions.nearest(to: "zzzz", in: ["adam", "sgd"]) == nil)
        #expect(Suggestions.nearest(to: "a", in: ["adam", "adamw"]) == nil)
    }
}

/// A huge word pasted by mistake is quoted by its start and its length, never echoed whole.
@Suite struct LongWordTests {
    @Test(arguments: ["optimizer ", "", "data ", "optimizer adam lr=", "watch dense1.w "])
    func aLongWordIsCut(_ prefix: String) {
        let word = String(repeating: "w", count: 200_000)
        do {
            _ = try parseLine(prefix + word)
            Issue.record("parsed")
        } catch {
            #expect(error.message.count < 300, "\(prefix): \(error.message.count) characters")
            #expect(error.message.contains("200,000 characters"), "\(error.message.prefix(200))")
        }
    }
}

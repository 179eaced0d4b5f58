import Testing
@testable import CommandLanguage

@Suite struct NotebookTests {
    static let lesson = """
        # Gradient descent on a line

        Prose for the learner.

        ```descent
        seed 42
        data linear n=100   
        ```

        A Python block is prose, even when it mentions descent:

        ```python
        print("hi")
        ```

        ~~~~ descent extra words
        model linear
        optimzer gd
        ~~~~
        """

    static let samples: [String] = [
        lesson,
        lesson + "\n",
        "no cells at all\n",
        "",
        "```descent\nseed 1\n```",                              // no final newline
        "```descent\r\nseed 1\r\n```\r\ntext\r\n",              // CRLF
        "````markdown\n```descent\nseed 1\n```\n````\n",        // a cell shown inside another block
        "```descent\nseed 1\n",                                  // unclosed: runs to the end
        "   ```descent\n  seed 2\n   ```   \n",                  // indented fences, trailing spaces
        "    ```descent\nnot a fence: indented code\n",
        "``` descent\n```` \n\n```descent\n```\n",               // empty cell; long closing fence
        "```desc\nx\n```\n```descentx\ny\n```\n",               // other info strings
        "~~~descent\n```\nseed 3\n~~~\n",                        // backticks inside a tilde fence
        "é 🙂 \u{301}\n```descent\nseed 4 # ünïcödé\n```\n",
    ]

    @Test(arguments: samples)
    func renderingGivesBackTheSameBytes(text: String) {
        let notebook = Notebook(parsing: text, fileName: "n.md")
        #expect(Array(notebook.rendered().utf8) == Array(text.utf8))
    }

    @Test func cellsKeepTheirLineNumbers() throws {
        let notebook = Notebook(parsing: Self.lesson, fileName: "lesson.md")
        #expect(notebook.title == "Gradient descent on a line")
        #expect(notebook.cells.count == 2)
        let first = notebook.cells[0].commands()
        #expect(first.count == 2)
        let seed = try first[0].get()
        #expect(seed.location == SourceLocation(line: 6, column: 1, file: "lesson.md"))
        #expect(try first[1].get() == command("data", .word("linear"), options: [("n", .number(100))]))
        let second = notebook.cells[1].commands()
        guard case .failure(let error) = second[1] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.description == "lesson.md:18:1: unknown command 'optimzer' — did you mean 'optimizer'?")
    }

    @Test func fencesFollowCommonMark() {
        #expect(Notebook(parsing: Self.samples[6], fileName: "x").cells.isEmpty)
        let unclosed = Notebook(parsing: Self.samples[7], fileName: "x")
        #expect(unclosed.cells.first?.closingFence == nil)
        #expect(unclosed.cells.first?.lines.map(\.text) == ["seed 1"])
        #expect(Notebook(parsing: Self.samples[9], fileName: "x").cells.isEmpty)
        let odd = Notebook(parsing: Self.samples[10], fileName: "x")
        #expect(odd.cells.count == 2 && odd.cells.allSatisfy(\.lines.isEmpty))
        #expect(Notebook(parsing: Self.samples[11], fileName: "x").cells.isEmpty)
        #expect(Notebook(parsing: Self.samples[12], fileName: "x").cells.first?.lines.map(\.text)
                == ["```", "seed 3"])
        let crlf = Notebook(parsing: Self.samples[5], fileName: "x")
        #expect(crlf.cells.first?.lines.first?.text == "seed 1")
        #expect(crlf.cells.first?.lines.first?.ending == "\r\n")
    }

    @Test func recordingIsCleanAndRepeatable() throws {
        let cells = [["seed 42", "data spiral n=400  "], [], ["model mlp 8,8 act=tanh", "train epochs=5"]]
        let text = Notebook.recordedText(title: "My session", cells: cells)
        #expect(text == """
            # My session

            Recorded with Descent. `replay` runs it all; `next` runs it one cell at a time.

            ```descent
            seed 42
            data spiral n=400
            ```

            ```descent
            model mlp 8,8 act=tanh
            train epochs=5
            ```

            """)
        #expect(Notebook.recordedText(title: "My session", cells: cells) == text)
        let notebook = Notebook(parsing: text, fileName: "s.md")
        #expect(notebook.cells.map { $0.lines.map(\.text) }
                == [["seed 42", "data spiral n=400"], ["model mlp 8,8 act=tanh", "train epochs=5"]])
        #expect(notebook.rendered() == text)
        #expect(notebook.title == "My session")
        #expect(notebook.cells.flatMap { $0.commands() }.allSatisfy { (try? $0.get()) != nil })
    }

    @Test func recordingCommandsUsesCanonicalText() throws {
        let commands = try [[parsed("optimizer  adam lr=3e-4")]]
        let notebook = Notebook.recorded(title: nil, commands: commands)
        #expect(notebook.title == "Recorded session")
        #expect(notebook.cells.first?.lines.map(\.text) == ["optimizer adam lr=0.0003"])
        #expect(try notebook.cells[0].commands()[0].get() == commands[0][0])
    }

    @Test func recordingEscapesFenceLikeLines() {
        let text = Notebook.recordedText(title: "t", cells: [["seed 1 # ``` in a comment", "```"]])
        let notebook = Notebook(parsing: text, fileName: "t.md")
        #expect(notebook.cells.count == 1)
        #expect(notebook.cells[0].lines.map(\.text) == ["seed 1 # ``` in a comment", "```"])
    }
}

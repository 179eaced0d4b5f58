import Testing
import PropertyBased
@testable import CommandLanguage

/// Notebooks: any text parses and renders back byte for byte; a recorded session written as a
/// notebook reads back as the same cells of the same lines, whatever backticks, tildes or
/// Unicode the lines hold.
@Suite struct NotebookPropertyTests {
    static let piece = Gen<String?>.element(of: [
        "```", "```descent", "~~~", "~~~~descent", "    ```", "# Title", "text", "train epochs=3",
        " ", "\t", "`", "é", "🙂", "\n", "\r\n", "\r", "descent", "data iris", "````",
    ]).compactMap { $0 }

    @Test func anyTextRendersBackExactly() async {
        await propertyCheck(count: 500, input: Self.piece.array(of: 0...40)) { pieces in
            let text = pieces.joined()
            #expect(Notebook(parsing: text, fileName: "p.md").rendered() == text)
        }
    }

    static let lineCharacter = Gen<Character?>.element(of: Array("ab =.,#\"'`~éß中🙂\t-0123"))
        .compactMap { $0 }

    @Test func aRecordedSessionReadsBackAsItsCells() async {
        await propertyCheck(count: 500, input: Self.lineCharacter.string(of: 0...30).array(of: 0...5).array(of: 0...5)) { cells in
            let notebook = Notebook.recorded(title: "Property", cells: cells)
            // The writer drops trailing spaces and cells with nothing in them.
            let expected = cells
                .map { $0.map { String($0.reversed().drop { $0 == " " || $0 == "\t" }.reversed()) } }
                .filter { $0.contains { !$0.isEmpty } }
            #expect(notebook.cells.map { $0.lines.map(\.text) } == expected)
            #expect(notebook.title == "Property")
        }
    }
}

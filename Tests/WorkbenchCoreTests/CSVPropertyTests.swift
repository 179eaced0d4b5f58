import Foundation
import Testing
import PropertyBased
import Datasets
@testable import WorkbenchCore

/// A table Descent writes as CSV (`TableExport`) reads back through the CSV loader with every
/// cell as it was: commas, quotes, spaces inside, accents and other scripts in text cells,
/// numbers to the last bit.
@Suite struct CSVPropertyTests {
    static let textCharacter = Gen<Character?>.element(of: Array("ab ,\"'é中🙂;|-_xyz")).compactMap { $0 }
    /// Text that is a category: not blank, not a number, not one of the missing-value markers.
    static let category = textCharacter.string(of: 1...10)
        .filter { text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && trimmed == text && Double(text) == nil
                && !["NA", "N/A", "nan", "null", "?", "-"].contains(trimmed)
        }

    @Test func exportThenReadGivesBackEveryCell() async throws {
        let input = zip(Self.category.array(of: 1...3),
                            Gen.float(in: -1e6...1e6).array(of: 2...12),
                            Gen.int(in: 0...1000).array(of: 2...12))
        await propertyCheck(count: 200, input: input) { categories, numbers, picks in
            let rows = min(numbers.count, picks.count)
            var table = [["size", "colour, name", "label"]]
            for r in 0..<rows {
                table.append([TableExport.number(numbers[r]), categories[picks[r] % categories.count],
                              r % 2 == 0 ? "yes" : "no"])
            }
            let text = TableExport.csv(table)
            do {
                let read = try Dataset.csv(bytes: Array(text.utf8), path: "p.csv", label: "label")
                let oneHot = try #require(read.oneHot.first)
                #expect(oneHot.column == "colour, name")
                #expect(oneHot.categories == Array(Set(categories.prefix(rows).isEmpty ? [] : (0..<rows).map { categories[picks[$0] % categories.count] })).sorted())
                let features = read.dataset.features
                let width = features.shape[1]
                for r in 0..<rows {
                    #expect(features.scalars[r * width].bitPattern == numbers[r].bitPattern)
                    let category = categories[picks[r] % categories.count]
                    let column = try #require(oneHot.categories.firstIndex(of: category))
                    #expect(features.scalars[r * width + 1 + column] == 1)
                }
            } catch {
                Issue.record("\(error) reading\n\(text)")
            }
        }
    }
}

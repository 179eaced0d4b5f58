import Foundation
import TensorCore

/// The data files that ship with Descent (see `Resources/README.md` for sources and licences).
///
/// Found, in order: in `directory` when a caller set it; in a SwiftPM resource bundle
/// (`<package>_Datasets.resources`) next to the running executable or test bundle; in the source
/// tree's `Resources` folder (development builds and tests).
public enum BundledData {
    /// An explicit folder holding the files, e.g. for an installed copy.
    nonisolated(unsafe) public static var directory: URL?

    /// The URL of the bundled file `name` (e.g. `iris.csv`), or an error naming it.
    public static func url(_ name: String) throws(DatasetError) -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let directory { candidates.append(directory) }
        for base in [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                     URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()] {
            let bundles = (try? fm.contentsOfDirectory(atPath: base.path)) ?? []
            for b in bundles.sorted() where b.hasSuffix("_Datasets.resources") {
                let root = base.appendingPathComponent(b)
                candidates += [root.appendingPathComponent("Resources"), root]
            }
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources"))
        for folder in candidates {
            let file = folder.appendingPathComponent(name)
            if fm.isReadableFile(atPath: file.path) { return file }
        }
        throw .badFile(path: name, location: "", expected: "a data file bundled with Descent",
                       got: "no such file in \(candidates.map(\.path).joined(separator: ", "))")
    }

    /// The rows of a bundled comma-separated file of numbers, skipping `headerLines`.
    static func numericRows(_ name: String, headerLines: Int) throws(DatasetError) -> [[Float]] {
        let file = try url(name)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw .badFile(path: file.path, location: "", expected: "readable UTF-8 text", got: "an unreadable file")
        }
        var rows: [[Float]] = []
        for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() where i >= headerLines {
            let values = line.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
            rows.append(values)
        }
        return rows
    }
}

extension Dataset {
    /// Fisher's iris: 150 flowers, 4 measurements in cm, 3 species (50 each). A table; standardise.
    public static func iris() throws(DatasetError) -> Dataset {
        let rows = try BundledData.numericRows("iris.csv", headerLines: 1)
        guard rows.count == 150, rows.allSatisfy({ $0.count == 5 }) else {
            throw .badFile(path: "iris.csv", location: "", expected: "150 rows of 5 numbers", got: "\(rows.count) rows")
        }
        return try Dataset(name: "iris", features: try! Tensor(rows: rows.map { Array($0.prefix(4)) }),
                           targets: try! Tensor(shape: [150, 1], scalars: rows.map { $0[4] }),
                           task: .classification(classes: 3),
                           featureNames: ["sepal length", "sepal width", "petal length", "petal width"],
                           classNames: ["setosa", "versicolor", "virginica"])
    }

    /// The UCI optical digits (test set, as shipped by scikit-learn): 1,797 images of 8×8 pixels,
    /// counts 0…16 scaled to [0, 1], features `[1797, 8, 8, 1]`, 10 classes.
    public static func digits() throws(DatasetError) -> Dataset {
        let rows = try BundledData.numericRows("digits.csv", headerLines: 0)
        guard rows.count == 1797, rows.allSatisfy({ $0.count == 65 }) else {
            throw .badFile(path: "digits.csv", location: "", expected: "1797 rows of 65 numbers", got: "\(rows.count) rows")
        }
        let pixels = rows.flatMap { $0.prefix(64).map { $0 / 16 } }
        return try Dataset(name: "digits", features: try! Tensor(shape: [1797, 8, 8, 1], scalars: pixels),
                           targets: try! Tensor(shape: [1797, 1], scalars: rows.map { $0[64] }),
                           task: .classification(classes: 10),
                           featureNames: (0..<64).map { "px\($0 / 8),\($0 % 8)" },
                           classNames: (0..<10).map(String.init), kind: .image(height: 8, width: 8, channels: 1))
    }
}

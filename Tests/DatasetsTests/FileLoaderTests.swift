import Foundation
@testable import Datasets
import TensorCore
import Testing

/// Writes `contents` to a fresh file in a temporary folder and returns its path.
/// A file named `name` holding `contents`, in a folder of its own: tests run in parallel and
/// several write files of the same name.
func temporaryFile(_ name: String, _ contents: Data) -> String {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("descent-loader-tests-\(ProcessInfo.processInfo.processIdentifier)")
        .appendingPathComponent(UUID().uuidString)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try! contents.write(to: url)
    return url.path
}

func temporaryFile(_ name: String, _ text: String) -> String { temporaryFile(name, Data(text.utf8)) }

@Suite("CSV loader")
struct CSVLoaderTests {
    func csvError(_ text: String, label: String = "y", name: String = "bad.csv") -> String? {
        let path = temporaryFile(name, text)
        return datasetError { () throws(DatasetError) in _ = try Dataset.csv(path: path, label: label) }?
            .description.replacingOccurrences(of: path, with: name)
    }

    @Test func numericCategoricalAndTextLabel() throws {
        let path = temporaryFile("pets.csv", "age,colour,\"weight, kg\",y\n3,red,4.5,cat\n5,blue,20,dog\r\n\n1,red,3,cat\n")
        let result = try Dataset.csv(path: path, label: "y")
        #expect(result.dataset.name == "pets")
        #expect(result.dataset.featureNames == ["age", "colour=blue", "colour=red", "weight, kg"])
        #expect(result.dataset.features.scalars == [3, 0, 1, 4.5, 5, 1, 0, 20, 1, 0, 1, 3])
        #expect(result.dataset.labels == [0, 1, 0] && result.classMapping == ["cat", "dog"])
        #expect(result.dataset.task == .classification(classes: 2))
        #expect(result.oneHot == [.init(column: "colour", categories: ["blue", "red"])])
        #expect(result.report.last == "label y: 2 classes: cat, dog (a model's one output is the probability of dog)")
    }

    @Test func numericLabels() throws {
        let few = try Dataset.csv(path: temporaryFile("few.csv", "x,y\n1,2\n2,0\n3,2\n"), label: "y")
        #expect(few.dataset.task == .classification(classes: 2) && few.classMapping == ["0", "2"])
        let real = try Dataset.csv(path: temporaryFile("real.csv", "x,y\n1,2.5\n2,0.1\n"), label: "y")
        #expect(real.dataset.task == .regression && real.dataset.targets.scalars == [2.5, 0.1])
        let forced = try Dataset.csv(path: temporaryFile("forced.csv", "x,y\n1,2\n2,0\n"), label: "y", labelTreatment: .regression)
        #expect(forced.dataset.task == .regression)
    }

    @Test func errorsNameFileLineAndColumn() {
        #expect(csvError("") == "bad.csv: expected a header row and data rows, got an empty file")
        #expect(csvError("x,y\n") == "bad.csv: expected at least one data row after the header, got only the header")
        #expect(csvError("x,y\n1,2\n3\n") == "bad.csv: line 3: expected 2 fields like the header (line 1), got 1")
        #expect(csvError("x,y\n1,2\n3\n4,5,6\n7\n")
            == "bad.csv: line 3: expected 2 fields like the header (line 1), got 1; 2 more lines differ too (field counts found: 1, 3)")
        // Not a CSV at all (/etc/passwd): one header field, another delimiter.
        #expect(csvError("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
            == "bad.csv: line 1: expected a CSV file: a header row of column names separated by commas, got no comma in the header"
               + " (it looks separated by ':', 6 on that line; Descent reads commas, semicolons or tabs)")
        #expect(csvError("x,y\n1,0\nabc,1\n2,0\n") == "bad.csv: line 3, column \"x\": expected a number (the column is numeric), got \"abc\"")
        #expect(csvError("x,y\n1,0\n", label: "label")
            == "bad.csv: line 1: expected a label column, one of \"x\", \"y\", got \"label\"")
        #expect(csvError("x,z,y\n1,,0\n2,3,NA\n")
            == "bad.csv: line 2, column \"z\": expected a value in every cell (missing=drop leaves out rows with a missing cell; missing=mean or missing=mode fills them), got 2 missing: line 2 column \"z\"; line 3 column \"y\"")
        #expect(csvError("x,\"y\n1,2\n") == "bad.csv: line 1: expected a closing quote \", got end of line")
        #expect(csvError("x,x,y\n1,2,3\n") == "bad.csv: line 1: expected distinct column names, got \"x\" 2 times")
        #expect(csvError("y\n1\n") == "bad.csv: line 1: expected at least one feature column besides the label, got only \"y\"")
        #expect(csvError("x,y\n1,a\n2,b\n", name: "r.csv").map { _ in true } == nil)   // a text label is fine
        let regression = datasetError { () throws(DatasetError) in
            _ = try Dataset.csv(path: temporaryFile("t.csv", "x,y\n1,a\n"), label: "y", labelTreatment: .regression)
        }
        #expect(regression?.description.hasSuffix("t.csv: line 2, column \"y\": expected a number (regression label), got \"a\"") == true)
    }

    /// Files as a learner's spreadsheet saves them (issue 24): 150 rows, 2 features, 3 classes.
    static let rows: [(Double, Double, String)] = (0..<150).map { i in
        (Double(i % 50) / 10 + 4, Double(i / 50) + Double(i % 7) / 4, ["setosa", "versicolor", "virginica"][i / 50])
    }

    static func spreadsheet(separator: String, decimal: String, header: [String] = ["length", "width", "species"],
                            lineEnd: String = "\n") -> String {
        let number = { (x: Double) in String(x).replacingOccurrences(of: ".", with: decimal) }
        return ([header.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: separator)]
            + rows.map { [number($0.0), number($0.1), $0.2].joined(separator: separator) }).joined(separator: lineEnd) + lineEnd
    }

    static func features(_ imported: CSVImport) -> [Float] { imported.dataset.features.scalars }

    @Test func spreadsheetsAsTheySaveThem() throws {
        let plain = try Dataset.csv(path: temporaryFile("plain.csv", Self.spreadsheet(separator: ",", decimal: ".")), label: "species")
        #expect(plain.dataset.count == 150 && plain.classMapping == ["setosa", "versicolor", "virginica"])
        // Excel's UTF-8: a byte-order mark and CRLF line ends.
        let excel = try Dataset.csv(path: temporaryFile("excel.csv", Data([0xEF, 0xBB, 0xBF]) + Data(Self.spreadsheet(separator: ",", decimal: ".", lineEnd: "\r\n").utf8)),
                                    label: "species")
        #expect(Self.features(excel) == Self.features(plain) && excel.dataset.featureNames == ["length", "width"])
        // Semicolons with decimal commas (Excel in much of Europe), and tabs: detected, and said.
        let europe = try Dataset.csv(path: temporaryFile("europe.csv", Self.spreadsheet(separator: ";", decimal: ",")), label: "species")
        #expect(Self.features(europe) == Self.features(plain))
        #expect(europe.report.first == "read as semicolon-separated, numbers with decimal commas", "\(europe.report)")
        let tabs = try Dataset.csv(path: temporaryFile("tabs.tsv", Self.spreadsheet(separator: "\t", decimal: ".")), label: "species")
        #expect(Self.features(tabs) == Self.features(plain) && tabs.report.first == "read as tab-separated")
        // Said explicitly, the same.
        let told = try Dataset.csv(path: temporaryFile("europe.csv", Self.spreadsheet(separator: ";", decimal: ",")), label: "species",
                                   options: CSVOptions(separator: .semicolon, decimal: .comma))
        #expect(Self.features(told) == Self.features(plain))
        // A label column named with a space.
        let spaced = try Dataset.csv(path: temporaryFile("spaced.csv", Self.spreadsheet(separator: ",", decimal: ".", header: ["length", "width", "the label"])),
                                     label: "the label")
        #expect(spaced.classMapping == plain.classMapping)
    }

    @Test func missingCellsDroppedOrFilledAndCounted() throws {
        let text = "x,colour,y\n1,red,a\n,red,b\n3,,a\n5,blue,\n7,red,b\n"
        let path = temporaryFile("holes.csv", text)
        let dropped = try Dataset.csv(path: path, label: "y", options: CSVOptions(missing: .drop))
        #expect(dropped.dataset.count == 2)
        #expect(dropped.report.first == "missing=drop: 3 of 5 rows left out for a missing cell (lines 3, 4, 5)", "\(dropped.report)")
        let mean = try Dataset.csv(path: path, label: "y", options: CSVOptions(missing: .mean))
        #expect(mean.dataset.count == 4)
        #expect(mean.report.first == "missing=mean: filled 1 in x with its mean 3.667, 1 in colour with its most frequent value red"
                + " (values of the whole file); 1 row without a label left out (line 5)", "\(mean.report)")
        #expect(mean.dataset.features.scalars[mean.dataset.featureNames.firstIndex(of: "x")! + mean.dataset.featureNames.count] == Float(11.0 / 3))
        let mode = try Dataset.csv(path: path, label: "y", options: CSVOptions(missing: .mode))
        #expect(mode.report.first?.hasPrefix("missing=mode: filled 1 in x with its most frequent value 1, 1 in colour with its most frequent value red") == true,
                "\(mode.report)")
        let none = datasetError { () throws(DatasetError) in
            _ = try Dataset.csv(path: temporaryFile("empty-column.csv", "x,z,y\n1,,a\n2,,b\n"), label: "y", options: CSVOptions(missing: .mean))
        }
        #expect(none?.description.hasSuffix("column \"z\": expected a value to fill from (missing=mean), got no value in any row") == true,
                "\(none?.description ?? "")")
    }

    /// Numbers a Double reads but a Float cannot hold, one class, and a file too large to read.
    @Test func valuesAndFilesTheModelCannotUse() throws {
        #expect(csvError("x,y\n1e300,0\n2,1\n")
            == "bad.csv: line 2, column \"x\": expected a finite number within ±3.4e38 (the column is numeric), got \"1e300\"")
        #expect(csvError("x,y\n1,-inf\n2,1\n", label: "y").map { _ in true } == nil)   // a text class "-inf" is a class
        let regression = datasetError { () throws(DatasetError) in
            _ = try Dataset.csv(path: temporaryFile("t.csv", "x,y\n1,1e39\n2,1\n"), label: "y", labelTreatment: .regression)
        }
        #expect(regression?.description.hasSuffix("line 2, column \"y\": expected a finite number within ±3.4e38 (regression label), got \"1e39\"") == true)
        #expect(csvError("x,y\n1,a\n2,a\n3,a\n")
            == "bad.csv: column \"y\": expected at least two classes to tell apart (or numbers to regress: task=regression), got one class, \"a\", in every row")
        let constant = try Dataset.csv(path: temporaryFile("c.csv", "x,z,y\n1,5,a\n2,5,b\n3,5,a\n"), label: "y")
        #expect(constant.report.contains("column z is 5.0 in every row: it cannot help tell rows apart"))
        #expect(constant.dataset.features.scalars.allSatisfy { $0.isFinite })
        // Refused from its size alone, before a byte is read (a sparse file: no disk used).
        let path = temporaryFile("huge.csv", "x,y\n")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(CSVTable.maximumBytes + 1))
        try handle.close()
        let huge = datasetError { () throws(DatasetError) in _ = try Dataset.csv(path: path, label: "y") }
        #expect(huge?.description == "\(path): expected a CSV file of at most 100 MB (104,857,600 bytes), got 104,857,601 bytes")
    }

    @Test func unreadableAndNonUTF8Files() {
        let missing = datasetError { () throws(DatasetError) in _ = try Dataset.csv(path: "/nonexistent/x.csv", label: "y") }
        #expect(missing?.description == "/nonexistent/x.csv: expected a readable file, got no such file or no permission")
        let binary = temporaryFile("bin.csv", Data([0xff, 0xfe, 0x00, 0x80]))
        let error = datasetError { () throws(DatasetError) in _ = try Dataset.csv(path: binary, label: "y") }
        #expect(error?.description == "\(binary): expected UTF-8 text, got binary or another encoding")
    }
}

@Suite("IDX (MNIST format) loader")
struct IDXLoaderTests {
    static func header(_ magic: UInt32, _ dims: [UInt32]) -> [UInt8] {
        ([magic] + dims).flatMap { v in (0..<4).reversed().map { UInt8((v >> (8 * UInt32($0))) & 0xff) } }
    }
    static let images = header(0x803, [3, 2, 2]) + [0, 255, 51, 0,  1, 2, 3, 4,  255, 255, 0, 0]
    static let labels = header(0x801, [3]) + [7, 0, 2]

    func load(_ images: [UInt8], _ labels: [UInt8]) -> (Dataset?, String?) {
        let i = temporaryFile("images-idx3-ubyte", Data(images)), l = temporaryFile("labels-idx1-ubyte", Data(labels))
        do { return (try Dataset.idx(images: i, labels: l), nil) } catch {
            return (nil, error.description.replacingOccurrences(of: i, with: "IMAGES").replacingOccurrences(of: l, with: "LABELS"))
        }
    }

    @Test func readsImagesAndLabels() throws {
        let (data, error) = load(Self.images, Self.labels)
        #expect(error == nil)
        #expect(data?.features.shape == [3, 2, 2, 1] && data?.kind == .image(height: 2, width: 2, channels: 1))
        #expect(data?.features.scalars[0..<4] == [0, 1, 0.2, 0])
        #expect(data?.labels == [7, 0, 2] && data?.task == .classification(classes: 8))
    }

    @Test func readsGzippedFilesLikeMNISTShipsThem() {
        let plain = load(Self.images, Self.labels).0
        let (zipped, error) = load(Gzip.compress(Self.images), Gzip.compress(Self.labels))
        #expect(error == nil)
        #expect(zipped?.features == plain?.features && zipped?.labels == [7, 0, 2])
        // Errors in a compressed file point into its decompressed bytes.
        #expect(load(Gzip.compress(Self.images + [0]), Self.labels).1 == "IMAGES: byte 28: expected end of file, got 1 trailing bytes")
    }

    @Test func errorsNameFileAndByteOffset() {
        #expect(load(Self.labels, Self.labels).1 == "IMAGES: byte 0 (magic number): expected 0x00000803 (IDX images), got 0x00000801")
        #expect(load(Self.images, Self.images).1 == "LABELS: byte 0 (magic number): expected 0x00000801 (IDX labels), got 0x00000803")
        #expect(load(Array(Self.images.prefix(10)), Self.labels).1 == "IMAGES: byte 8 (rows): expected 4 bytes, got end of file after 10 bytes")
        #expect(load(Array(Self.images.dropLast(3)), Self.labels).1
            == "IMAGES: byte 25 (data): expected 12 data bytes from byte 16 (3×2×2), got end of file after 9")
        #expect(load(Self.images + [0], Self.labels).1 == "IMAGES: byte 28: expected end of file, got 1 trailing bytes")
        #expect(load(Self.images, Self.header(0x801, [2]) + [1, 2]).1
            == "LABELS: byte 4 (label count): expected 3 labels, one per image in IMAGES, got 2")
        #expect(load([0x1f, 0x8b, 8, 0], Self.labels).1
            == "IMAGES: gzip stream: expected a complete gzip file of at most 1024 MB, got corrupt, truncated or larger compressed data")
        #expect(load(Array(Gzip.compress(Self.images).dropLast(12)), Self.labels).1
            == "IMAGES: gzip stream: expected a complete gzip file of at most 1024 MB, got corrupt, truncated or larger compressed data")
        #expect(load([], Self.labels).1 == "IMAGES: byte 0 (magic number): expected 4 bytes, got end of file after 0 bytes")
    }
}

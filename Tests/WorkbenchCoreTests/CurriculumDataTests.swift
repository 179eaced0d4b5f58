import Testing
import Foundation
@testable import WorkbenchCore
import Datasets

/// A scratch folder for loader tests, removed by the caller.
func scratchFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-\(name)-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// `data iris|digits|reviews|sequence|csv|idx`: what each loads, what it does to the features,
/// and that a bad file changes nothing.
@Suite struct CurriculumDataTests {
    @Test func oversizedGeneratedSetsAreRefusedWithTheirSize() throws {
        let (session, _, t) = scriptedSession("data reviews n=1000000 length=1000")
        #expect(session.display.data == nil)
        #expect(t.text.contains("n × length must be at most 20,000,000 values (80 MB), got 1,000,000 × 1,000 = 1,000,000,000"),
                "\(t.text)")
        let (ok, _, _) = scriptedSession("data sequence n=10000 length=50")
        #expect(ok.display.data?.full.features.rows == 10_000)
    }

    @Test func anOversizedModelIsRefusedNotACrash() throws {
        let (_, _, t) = scriptedSession("data iris\nmodel dense 1000000 relu | dense 1000000 relu | dense 3 softmax")
        #expect(t.text.contains("at most 33,554,432 values per layer"), "\(t.text)")
    }

    /// Weights that fit but a batch whose activations do not: refused with the figures and the
    /// largest batch that fits, before anything is allocated; a layer size far past the limit
    /// is refused when the layer is made, not when its bias is allocated.
    @Test func aBatchTooLargeForMemoryIsRefusedWithItsSize() throws {
        let (session, _, t) = scriptedSession("data digits\nbatch full\nmodel mlp 60000\ntrain epochs=1")
        #expect(t.text.contains("at most 67,108,864 activation values per batch (256 MB): a batch of at most 1,115 for this model"), "\(t.text)")
        #expect(t.text.contains("got 1,438 samples × 60,138 values per sample"))
        #expect(session.display.records.allSatisfy { $0.updates == 0 })
        let (_, _, live) = scriptedSession("data digits\nbatch 32\nmodel mlp 60000\nstep 1\nset batch full")
        #expect(live.text.contains("set batch: ") && live.text.contains("activation values per batch"), "\(live.text)")
    }

    @Test func tablesAreStandardisedUnlessSaidOtherwise() throws {
        let (session, _, t) = scriptedSession("data iris")
        let data = try #require(session.display.data)
        #expect(data.isStandardized && data.train.count == 120 && data.validation.count == 30)
        #expect(t.text.contains("features standardised on the training split"))
        let mean = data.train.features.scalars.enumerated().filter { $0.offset % 4 == 0 }.map(\.element).reduce(0, +) / 120
        #expect(abs(mean) < 1e-4)

        let (raw, _, t2) = scriptedSession("data iris standardize=off")
        #expect(raw.display.data?.isStandardized == false)
        #expect(raw.display.data?.train.features.scalars.max() == 7.9)
        #expect(t2.text.contains("features kept raw (standardize=off)"))
    }

    @Test func imagesTextsAndSequencesAreLeftAsTheyAre() throws {
        let (digits, _, t) = scriptedSession("data digits")
        let d = try #require(digits.display.data)
        #expect(d.train.features.shape == [d.train.count, 8, 8, 1] && !d.isStandardized)
        #expect(d.train.features.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(t.text.contains("1797 images 8×8 · 10 classes") && t.text.contains("not standardised"))
        #expect(digits.display.data?.probeGrid == nil)

        let (reviews, _, t2) = scriptedSession("data reviews n=300 length=12")
        #expect(reviews.display.data?.full.features.shape == [300, 12])
        #expect(t2.text.contains("word ids (0 = padding, 1 = unknown word)"))

        let (sequence, _, t3) = scriptedSession("seed 1\ndata sequence n=200 length=10")
        #expect(sequence.display.data?.full.features.shape == [200, 10, 1])
        #expect(t3.text.contains("the baseline a model must beat"))
    }

    @Test func csvImportReportsWhatItDid() throws {
        let folder = try scratchFolder("csv")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("fruit.csv").path
        try "size,colour,kind\n1,red,apple\n2,green,pear\n1.2,red,apple\n2.1,green,pear\n1.1,red,apple\n2.3,red,pear\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let (session, _, t) = scriptedSession("data csv \(file) label=kind split=0.5")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.text.contains("colour → 2 columns: green, red"))
        #expect(t.text.contains("label kind: 2 classes: apple, pear (a model's one output is the probability of pear)"))
        #expect(session.display.data?.full.featureNames == ["size", "colour=green", "colour=red"])

        let (_, _, missing) = scriptedSession("data csv \(file)")
        #expect(missing.errors.first?.contains("label=COLUMN: its columns are size, colour, kind") == true)
    }

    /// Each bad file names the file, the place and what was expected, and the data before stays.
    @Test func badFilesLeaveTheDataUntouched() throws {
        let folder = try scratchFolder("bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let cases: [(String, String)] = [
            ("data csv \(try write("cell.csv", "a,b,y\n1,2,x\n3,oops,y\n4,5,x\n")) label=y",
             "cell.csv: line 3, column \"b\": expected a number (the column is numeric), got \"oops\""),
            ("data csv \(try write("ragged.csv", "a,b,y\n1,2,x\n3,y\n")) label=y", "ragged.csv: line 3: expected 3 fields"),
            ("data csv \(try write("empty.csv", "")) label=y", "empty.csv: expected a header row and data rows, got an empty file"),
            ("data csv \(try write("label.csv", "a,b\n1,2\n")) label=c", "label.csv: line 1: expected a label column"),
            ("data csv \(try write("gap.csv", "a,y\n1,x\n,y\n")) label=y", "gap.csv: line 3, column \"a\""),
            ("data csv \(folder.path)/none.csv label=y", "none.csv: expected a readable file"),
            ("data idx \(try write("images.idx", "not an idx file")) \(try write("labels.idx", "x"))",
             "images.idx: byte 0 (magic number): expected 0x00000803 (IDX images)"),
        ]
        for (line, message) in cases {
            let (session, runner, t) = scriptedSession("seed 5\ndata moons n=100\n" + line)
            #expect(t.errors.count == 1 && t.errors[0].contains(message), "\(line)\n\(t.errors)")
            #expect(runner.failures.count == 1)
            #expect(session.display.data?.full.name == "moons" && session.display.data?.full.count == 100)
        }
    }

    @Test func idxFilesLoadAsImages() throws {
        let folder = try scratchFolder("idx")
        defer { try? FileManager.default.removeItem(at: folder) }
        func header(_ magic: UInt8, _ dims: [UInt32]) -> [UInt8] {
            [0, 0, 8, magic] + dims.flatMap { d in (0..<4).map { UInt8((d >> (8 * (3 - $0))) & 0xff) } }
        }
        let images = header(3, [4, 5, 5]) + (0..<100).map { UInt8($0 * 2) }
        let labels = header(1, [4]) + [0, 1, 2, 1]
        let imagePath = folder.appendingPathComponent("img").path, labelPath = folder.appendingPathComponent("lab").path
        _ = FileManager.default.createFile(atPath: imagePath, contents: Data(images))
        _ = FileManager.default.createFile(atPath: labelPath, contents: Data(labels))
        let (session, _, t) = scriptedSession("data idx \(imagePath) \(labelPath) split=0.5")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(session.display.data?.full.kind == .image(height: 5, width: 5, channels: 1))
        #expect(t.text.contains("4 images 5×5 · 3 classes"))
    }
}

import Foundation
import TensorCore

extension Dataset {
    /// Loads MNIST-format (IDX) image and label files, gzip-compressed (`.gz`) or not.
    ///
    ///     images  u32 magic 0x00000803 · u32 n · u32 rows · u32 columns · n·rows·columns u8 pixels
    ///     labels  u32 magic 0x00000801 · u32 n · n u8 labels
    ///
    /// Integers are big-endian. Pixels are scaled to [0, 1]; features `[n, rows, columns, 1]`,
    /// kind `.image`; classes = largest label + 1 (at least 2). Errors name the file and the byte
    /// offset of the field at fault: a wrong magic number, a truncated file, trailing bytes, counts
    /// that disagree between the two files (offsets count in the decompressed bytes); a corrupt or
    /// truncated gzip stream is reported as such.
    public static func idx(images imagesPath: String, labels labelsPath: String) throws(DatasetError) -> Dataset {
        try idx(images: try IDXFile.contents(of: imagesPath), imagesPath: imagesPath,
                labels: try IDXFile.contents(of: labelsPath), labelsPath: labelsPath)
    }

    /// The two files' bytes, as read from `imagesPath` and `labelsPath` (which errors name).
    public static func idx(images imageBytes: [UInt8], imagesPath: String,
                           labels labelBytes: [UInt8], labelsPath: String) throws(DatasetError) -> Dataset {
        let images = try IDXFile(bytes: imageBytes, path: imagesPath, magic: 0x0000_0803, dimensions: 3)
        let labels = try IDXFile(bytes: labelBytes, path: labelsPath, magic: 0x0000_0801, dimensions: 1)
        let (n, rows, columns) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
        guard labels.dimensions[0] == n else {
            throw .badFile(path: labelsPath, location: "byte 4 (label count)",
                           expected: "\(n) labels, one per image in \(imagesPath)", got: "\(labels.dimensions[0])")
        }
        guard n > 0, rows > 0, columns > 0 else {
            throw .badFile(path: imagesPath, location: "byte 4 (dimensions)", expected: "at least one image of at least 1×1",
                           got: "\(n) images of \(rows)×\(columns)")
        }
        let pixels = images.payload.map { Float($0) / 255 }
        let targets = labels.payload.map { Float($0) }
        let classes = max(Int(labels.payload.max() ?? 0) + 1, 2)
        return try Dataset(name: URL(fileURLWithPath: imagesPath).lastPathComponent.components(separatedBy: "-").first ?? "idx",
                           features: try! Tensor(shape: [n, rows, columns, 1], scalars: pixels),
                           targets: try! Tensor(shape: [n, 1], scalars: targets),
                           task: .classification(classes: classes),
                           featureNames: (0..<(rows * columns)).map { "px\($0 / columns),\($0 % columns)" },
                           kind: .image(height: rows, width: columns, channels: 1))
    }
}

/// One IDX file of unsigned bytes, header checked field by field.
struct IDXFile {
    let dimensions: [Int]
    let payload: [UInt8]

    /// The largest IDX file, compressed or not, and its largest decompressed payload (MNIST's
    /// training images are 47 MB decompressed).
    static let maximumBytes = 1 << 30

    static func contents(of path: String) throws(DatasetError) -> [UInt8] {
        try FileBytes.read(path, limit: maximumBytes, what: "IDX file")
    }

    init(bytes original: [UInt8], path: String, magic: UInt32, dimensions count: Int) throws(DatasetError) {
        var bytes = original
        if Gzip.isCompressed(bytes) {
            guard let inflated = Gzip.decompress(bytes, limit: Self.maximumBytes) else {
                throw .badFile(path: path, location: "gzip stream", expected: "a complete gzip file of at most \(Self.maximumBytes >> 20) MB",
                               got: "corrupt, truncated or larger compressed data")
            }
            bytes = inflated
        }
        func word(at offset: Int, _ field: String) throws(DatasetError) -> UInt32 {
            guard offset + 4 <= bytes.count else {
                throw .badFile(path: path, location: "byte \(offset) (\(field))", expected: "4 bytes",
                               got: "end of file after \(bytes.count) bytes")
            }
            return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let found = try word(at: 0, "magic number")
        guard found == magic else {
            throw .badFile(path: path, location: "byte 0 (magic number)",
                           expected: String(format: "0x%08X (%@)", magic, count == 3 ? "IDX images" : "IDX labels"),
                           got: String(format: "0x%08X", found))
        }
        let names = count == 3 ? ["image count", "rows", "columns"] : ["label count"]
        var dims: [Int] = []
        for (i, name) in names.enumerated() {
            let value = try word(at: 4 + 4 * i, name)
            guard value <= 100_000_000 else {
                throw .badFile(path: path, location: "byte \(4 + 4 * i) (\(name))", expected: "a plausible size",
                               got: "\(value)")
            }
            dims.append(Int(value))
        }
        let start = 4 + 4 * count
        // Each dimension is at most 10⁸, so their product (≤ 10²⁴) is checked, not trusted.
        var size = 1
        for d in dims {
            let (product, overflow) = size.multipliedReportingOverflow(by: d)
            guard !overflow, product <= Self.maximumBytes else {
                throw .badFile(path: path, location: "byte 4 (dimensions)",
                               expected: "at most \(Self.maximumBytes) data bytes",
                               got: dims.map(String.init).joined(separator: "×"))
            }
            size = product
        }
        guard bytes.count - start >= size else {
            throw .badFile(path: path, location: "byte \(bytes.count) (data)",
                           expected: "\(size) data bytes from byte \(start) (\(dims.map(String.init).joined(separator: "×")))",
                           got: "end of file after \(bytes.count - start)")
        }
        guard bytes.count - start == size else {
            throw .badFile(path: path, location: "byte \(start + size)", expected: "end of file",
                           got: "\(bytes.count - start - size) trailing bytes")
        }
        dimensions = dims
        payload = Array(bytes[start...])
    }
}

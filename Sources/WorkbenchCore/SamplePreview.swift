import Datasets
import Models

/// One sample of a data set in a form people read: an image's grey levels, a text's words, a
/// sequence's values, a class's name; and images as text art for the REPL and `descent run`.
public enum SamplePreview {
    /// How a sample is named where a learner reads it: `#1` is the first (`Help.countingRule`).
    public static func number(_ row: Int) -> String { "#" + position(row) }
    /// Where sample `row` (0-based inside) stands, counted from 1 as a learner counts.
    public static func position(_ row: Int) -> String { "\(row + 1)" }

    /// The grey image of sample `row` (values in 0…1, row-major, channels averaged), or nil
    /// when the data are not images.
    public static func image(of data: Dataset, row: Int) -> (height: Int, width: Int, pixels: [Float])? {
        guard case let .image(h, w, c) = data.kind, row >= 0, row < data.count else { return nil }
        let size = h * w * c, base = row * size
        let pixels = (0..<(h * w)).map { p -> Float in
            var sum: Float = 0
            for k in 0..<c { sum += data.features.scalars[base + p * c + k] }
            return sum / Float(c)
        }
        return (h, w, pixels)
    }

    /// The words of text sample `row` (padding dropped), or nil when the data are not text.
    public static func text(of data: Dataset, row: Int) -> String? {
        guard case let .tokens(vocabulary, length) = data.kind, row >= 0, row < data.count else { return nil }
        let ids = data.features.scalars[(row * length)..<((row + 1) * length)].map { Int($0) }
        return ids.filter { $0 != 0 }
            .map { $0 > 0 && $0 < vocabulary.count ? vocabulary[$0] : "<unk>" }
            .joined(separator: " ")
    }

    /// The first feature of sequence sample `row` over time, then its target (the next value).
    public static func sequence(of data: Dataset, row: Int) -> (values: [Float], next: Float)? {
        guard case let .sequence(steps, width) = data.kind, row >= 0, row < data.count else { return nil }
        let values = (0..<steps).map { data.features.scalars[(row * steps + $0) * width] }
        return (values, data.targets.scalars[row])
    }

    /// Sample `row` of a symbol task as the problem and the answer the model must write, in the
    /// vocabulary's symbols (`2 0 1 1 0 2`, `0 0 1 1 2 2`), or nil when the data are not symbols.
    /// The sample's input is the sequence but its last symbol, which its last target holds.
    /// For text (no problem) the problem is empty and the answer the window's characters, run
    /// together, with newlines and tabs made visible.
    public static func symbols(of data: Dataset, row: Int) -> (problem: String, answer: String)? {
        guard case let .symbols(vocabulary, length, prompt) = data.kind, row >= 0, row < data.count else { return nil }
        let ids = data.features.scalars[(row * length)..<((row + 1) * length)].map { Int($0) }
            + [Int(data.targets.scalars[(row + 1) * length - 1])]
        let separator = prompt == 0 ? "" : " "
        func text(_ part: ArraySlice<Int>) -> String {
            part.map { $0 >= 0 && $0 < vocabulary.count ? shown(vocabulary[$0]) : "?" }.joined(separator: separator)
        }
        return (text(ids[..<prompt]), text(ids[prompt...]))
    }

    /// A symbol as a screen shows it: a newline as `⏎`, a tab as `⇥`, others as they are.
    public static func shown(_ symbol: String) -> String {
        switch symbol {
        case "\n", "\r\n": "⏎"
        case "\t": "⇥"
        default: symbol
        }
    }

    /// The class name (or the target value, for regression) of sample `row`.
    public static func label(of data: Dataset, row: Int) -> String {
        let t = data.targets.scalars[row]
        guard data.task.classCount != nil else { return fmt(t) }
        let c = Int(t)
        return c >= 0 && c < data.classNames.count ? data.classNames[c] : "\(c)"
    }

    // MARK: - Text art

    /// Shades from no ink to full ink.
    public static let shades = [" ", "░", "▒", "▓", "█"]

    /// A grey image as lines of text. Images up to 16 pixels tall get two characters per pixel,
    /// shaded by grey level (an 8×8 digit is 8 lines of 16 characters); taller ones (28×28 MNIST)
    /// get one character per pixel and two pixel rows per line, drawn with ▀ ▄ █ where the ink
    /// is above 0.4.
    public static func art(height h: Int, width w: Int, pixels: [Float]) -> [String] {
        func level(_ v: Float) -> Int { min(shades.count - 1, max(0, Int((v * Float(shades.count - 1)).rounded()))) }
        if h <= 16 {
            return (0..<h).map { y in
                (0..<w).map { x in String(repeating: shades[level(pixels[y * w + x])], count: 2) }.joined()
            }
        }
        return stride(from: 0, to: h, by: 2).map { y in
            (0..<w).map { x -> String in
                let top = pixels[y * w + x] > 0.4
                let bottom = y + 1 < h && pixels[(y + 1) * w + x] > 0.4
                switch (top, bottom) {
                case (true, true): return "█"
                case (true, false): return "▀"
                case (false, true): return "▄"
                case (false, false): return " "
                }
            }.joined()
        }
    }

    /// Blocks of lines side by side, each under its caption, `gap` spaces apart.
    public static func sideBySide(_ blocks: [[String]], captions: [String], gap: Int = 2) -> [String] {
        let widths = zip(blocks, captions).map { block, caption in
            max(caption.count, block.map(\.count).max() ?? 0)
        }
        let height = blocks.map(\.count).max() ?? 0
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        let spacer = String(repeating: " ", count: gap)
        var lines = [zip(captions, widths).map { pad($0, $1) }.joined(separator: spacer)]
        for y in 0..<height {
            lines.append(zip(blocks, widths).map { pad(y < $0.count ? $0[y] : "", $1) }.joined(separator: spacer))
        }
        return lines.map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }
    }
}

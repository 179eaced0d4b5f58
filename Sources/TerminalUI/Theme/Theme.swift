import Foundation

/// Colours by meaning: a map from semantic keys (`pane.border`, `loss.train`, `class.3`, …) to
/// styles, plus a colour ramp for heat maps.
///
/// Themes are plain-text files of `key = value` lines (see ``parse(_:name:file:)``); the
/// product ships `default`, `light`, `solarized-dark` and `mono` in `Themes/`. Glyphs are not
/// part of a theme: they depend on the locale, not on taste (see ``Glyphs``).
public struct Theme: Equatable, Sendable {
    /// The theme's name, e.g. `default` (by convention the file name without `.theme`).
    public let name: String
    /// The style of every key the theme knows, including those taken from the built-in default.
    public private(set) var styles: [String: Style]
    /// The heat-map ramp as palette indices, low to high; empty when the theme has no colour.
    public private(set) var rampColors: [UInt8]

    /// Creates a theme from resolved styles and a ramp.
    public init(name: String, styles: [String: Style], rampColors: [UInt8]) {
        self.name = name
        self.styles = styles
        self.rampColors = rampColors
    }

    /// The style for a semantic key; unknown keys fall back to the built-in default, then to
    /// ``Style/plain``.
    public func style(_ key: String) -> Style {
        styles[key] ?? Theme.fallbackStyles[key] ?? .plain
    }

    /// The style of class `index` (`class.0` … `class.9`; other indices wrap modulo 10).
    public func classStyle(_ index: Int) -> Style {
        style("class.\(((index % 10) + 10) % 10)")
    }

    /// The ramp colour for `t` in 0…1 (clamped; NaN counts as 0): the nearest of
    /// ``rampColors``, or ``Color/terminalDefault`` when the ramp is empty.
    public func ramp(_ t: Double) -> Color {
        guard !rampColors.isEmpty else { return .terminalDefault }
        let clamped = t.isNaN ? 0 : min(1, max(0, t))
        let index = Int((clamped * Double(rampColors.count - 1)).rounded())
        return .indexed(rampColors[index])
    }

    /// A region of class `index` on a map, shaded by `confidence` (0…1): the class colour
    /// mixed into the ramp's middle colour (the neutral between a binary map's two ends), from
    /// a faint tint at 0 to 70 % at 1, so points in the full class colour stay visible on it.
    /// ``Color/terminalDefault`` when the theme has no ramp or the class no colour.
    public func classShade(_ index: Int, confidence: Double) -> Color {
        let colour = classStyle(index).foreground
        guard colour != .terminalDefault, !rampColors.isEmpty else {
            return .terminalDefault
        }
        return ramp(0.5).mixed(with: colour, 0.15 + 0.55 * min(1, max(0, confidence)))
    }

    /// Whether the theme uses colour at all; `mono` does not. Widgets that tell things apart by
    /// colour (scatter classes, heat maps) switch to marks and shade characters when it is false.
    public var usesColor: Bool {
        !rampColors.isEmpty || styles.values.contains { $0.hasColor }
    }

    // MARK: - Keys

    /// Every key a style line may set, in the order the default theme documents them.
    public static let styleKeys: [String] = [
        "pane.border", "pane.border.focused", "pane.title", "pane.title.focused",
        "text", "text.dim", "error", "warning", "ok", "accent",
        "loss.train", "loss.val", "chart.axis", "chart.label", "chart.marker",
    ] + (0...9).map { "class.\($0)" } + [
        "heat.low", "heat.high",
        "status.bar", "status.idle", "status.training", "status.paused", "status.diverged",
        "repl.prompt", "repl.input", "table.header", "selection",
    ]

    /// The key of the heat-map ramp line: `heat.ramp = 17,18,19` or `heat.ramp = none`.
    public static let rampKey = "heat.ramp"

    /// All keys a theme file may set.
    public static let keys: [String] = styleKeys + [rampKey]

    // MARK: - Files

    /// Reads and parses a theme file; its name is the file name without the `.theme` extension.
    /// A file that cannot be read is reported as a ``ThemeError`` at line 0.
    public static func load(contentsOf url: URL) throws(ThemeError) -> Theme {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ThemeError(file: url.path, line: 0, column: 0,
                             message: "cannot read the theme file (\(error.localizedDescription))")
        }
        return try parse(text, name: url.deletingPathExtension().lastPathComponent, file: url.path)
    }

    /// Loads `NAME.theme` from `directory`.
    public static func load(named name: String, in directory: URL) throws(ThemeError) -> Theme {
        try load(contentsOf: directory.appendingPathComponent(name + ".theme"))
    }

    /// The names of the `.theme` files in `directory`, sorted (for completion and `theme`).
    public static func names(in directory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }.sorted()
    }
}

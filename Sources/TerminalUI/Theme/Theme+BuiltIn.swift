// MARK: - Built-in themes

extension Theme {
    /// The `default` theme compiled in: what keys missing from a theme file fall back to, and
    /// what the program uses when `Themes/default.theme` cannot be read. A test keeps it equal
    /// to that file.
    public static let builtInDefault = builtIn(defaultSource, name: "default")

    /// The `mono` theme compiled in: no colour, only bold, dim, reverse and underline. What
    /// `NO_COLOR` and terminals with fewer than 256 colours get. A test keeps it equal to
    /// `Themes/mono.theme`.
    public static let builtInMono = builtIn(monoSource, name: "mono")

    /// The theme missing keys fall back to.
    static var fallbackTheme: Theme { builtInDefault }
    static let fallbackStyles = builtInDefault.styles

    private static func builtIn(_ source: String, name: String) -> Theme {
        do {
            return try parse(source, name: name, file: "<built-in \(name)>", base: nil)
        } catch {
            // The sources below are constants covered by tests; a typo is a programming error.
            fatalError("built-in theme does not parse: \(error)")
        }
    }

    private static let defaultSource = """
        pane.border = fg=240
        pane.border.focused = fg=75
        pane.title = fg=252 bold
        pane.title.focused = fg=75 bold
        text = plain
        text.dim = fg=245
        error = fg=203 bold
        warning = fg=214
        ok = fg=114
        accent = fg=75
        loss.train = fg=39
        loss.val = fg=208
        chart.axis = fg=242
        chart.label = fg=245
        chart.marker = fg=177
        class.0 = fg=39
        class.1 = fg=208
        class.2 = fg=77
        class.3 = fg=203
        class.4 = fg=141
        class.5 = fg=180
        class.6 = fg=212
        class.7 = fg=250
        class.8 = fg=185
        class.9 = fg=80
        heat.low = fg=25
        heat.high = fg=166
        heat.ramp = 25,24,60,237,95,130,166
        status.bar = fg=252 bg=236
        status.idle = fg=245 bg=236
        status.training = fg=114 bg=236 bold
        status.paused = fg=214 bg=236 bold
        status.diverged = fg=203 bg=236 bold
        repl.prompt = fg=75 bold
        repl.input = plain
        table.header = fg=252 bold
        selection = bg=238 bold
        """

    private static let monoSource = """
        pane.border = plain
        pane.border.focused = bold
        pane.title = bold
        pane.title.focused = bold reverse
        text = plain
        text.dim = dim
        error = bold underline
        warning = bold
        ok = plain
        accent = bold
        loss.train = bold
        loss.val = plain
        chart.axis = dim
        chart.label = dim
        chart.marker = bold
        class.0 = plain
        class.1 = plain
        class.2 = plain
        class.3 = plain
        class.4 = plain
        class.5 = plain
        class.6 = plain
        class.7 = plain
        class.8 = plain
        class.9 = plain
        heat.low = dim
        heat.high = bold
        heat.ramp = none
        status.bar = reverse
        status.idle = reverse
        status.training = reverse bold
        status.paused = reverse bold
        status.diverged = reverse bold underline
        repl.prompt = bold
        repl.input = plain
        table.header = bold underline
        selection = reverse
        """
}

/// Finds the valid word a typo most likely meant.
public enum Suggestions {
    /// The candidate nearest to `word`, when it is close enough to be a typo; else nil.
    ///
    /// Distance is Damerau–Levenshtein (optimal string alignment), case-insensitive, so a swap
    /// of two neighbours costs one (`adma` → `adam`). Up to ⌈length / 3⌉ edits are allowed, at
    /// most 3 and at least 1. When nothing is that close, a unique candidate that starts with
    /// `word` (two characters or more) is suggested instead (`opt` → `optimizer`).
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        let target = Array(word.lowercased())
        guard !target.isEmpty, target.count <= 64 else { return nil }
        let allowed = max(1, min(3, (target.count + 2) / 3))
        var best: (word: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let other = Array(candidate.lowercased())
            guard abs(other.count - target.count) <= allowed else { continue }   // the distance is at least that
            let d = distance(target, other)
            if d <= allowed, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        if let best { return best.word }
        guard target.count >= 2 else { return nil }
        let lowered = word.lowercased()
        let starting = candidates.filter { $0.lowercased().hasPrefix(lowered) }
        return starting.count == 1 ? starting[0] : nil
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and
    /// transpositions of adjacent characters, each costing one.
    public static func distance(_ a: String, _ b: String) -> Int {
        distance(Array(a), Array(b))
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rolling rows: two back (for transpositions), previous, current.
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d = min(d, twoBack[j - 2] + 1)
                }
                current[j] = d
            }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        return previous[b.count]
    }
}

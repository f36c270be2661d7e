/// Caps on the user text a diagnostic repeats. Phases quote names, values and patterns from the
/// pack in backticks; a hostile pack can make any of them megabytes long, and a headline must
/// stay a line. `Diagnostic.init` applies these to every message, label and help line, so no
/// phase has to remember to.
enum QuotedText {
    /// Characters of one backtick-quoted run kept before `…`.
    static let maxQuoted = 80
    /// Characters of a whole message, label or help line kept before `…` (several quotes and
    /// the words between them fit; it stops text whose quotes are many and each short).
    static let maxLine = 400

    /// `text` with every backtick-quoted run over `maxQuoted` characters cut to its first
    /// `maxQuoted` and `…`, then the whole cut to `maxLine`. Cuts fall between grapheme
    /// clusters (a cluster is never split), except inside a single cluster of more than four
    /// scalars a character, which is no real character.
    static func capped(_ text: String) -> String {
        // Fast path: a line that could not hold a long run (bytes ≥ characters) is unchanged.
        guard text.utf8.count > maxQuoted else { return text }
        var out = ""
        var quoted = false
        for (i, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            if i > 0 { out += "`" }
            out += quoted ? prefix(part, maxQuoted) : part
            quoted.toggle()
        }
        return String(prefix(Substring(out), maxLine))
    }

    /// The first `n` characters of `s` and `…`, or `s` when it is no longer.
    static func prefix(_ s: Substring, _ n: Int) -> Substring {
        guard s.utf8.count > n else { return s }
        var kept = s[..<(s.index(s.startIndex, offsetBy: n, limitedBy: s.endIndex) ?? s.endIndex)]
        // A cluster of thousands of combining marks counts as one character: cut by scalars.
        if kept.unicodeScalars.count > 4 * n {
            kept = Substring(kept.unicodeScalars.prefix(4 * n))
        }
        return kept.endIndex == s.endIndex ? s : kept + "…"
    }
}

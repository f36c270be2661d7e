/// Cutting text to a product's limit without breaking it: whole characters (grapheme
/// clusters) only, so no UTF-8 sequence, surrogate pair or combining sequence is split.
public enum TextLimit {
    /// The ellipsis that marks a cut.
    public static let ellipsis: Character = "…"

    /// `text` when it is within `limit`, else its longest prefix of whole characters that fits
    /// with an ellipsis. A text fits when both its count of characters and of UTF-16 code units
    /// are within the limit: products count one or the other (Slack and Teams in UTF-16, as
    /// JavaScript does; PagerDuty in characters), so the cut is safe under either.
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard limit > 0 else { return "" }
        if fits(text, limit) { return text }
        var out = ""
        var characters = 0, units = 0
        for c in text {
            let u = c.utf16.count
            // Room for the ellipsis (one character, one UTF-16 unit) after this one.
            guard characters + 2 <= limit, units + u + 1 <= limit else { break }
            out.append(c)
            characters += 1
            units += u
        }
        out.append(ellipsis)
        return out
    }

    /// Whether `text` is within `limit` characters and UTF-16 units.
    public static func fits(_ text: String, _ limit: Int) -> Bool {
        text.utf16.count <= limit && text.count <= limit
    }
}

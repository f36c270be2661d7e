/// Draws diagnostics. Every output format comes from here; phases only build `Diagnostic`s.
public struct DiagnosticRenderer: Sendable {
    /// ANSI colour (only when writing to a terminal).
    public var colour: Bool

    public init(colour: Bool = false) { self.colour = colour }

    private func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// rustc-style text: headline, location, excerpt with carets, notes and help.
    public func text(_ d: Diagnostic) -> String {
        let sev = d.severity == .error ? paint("error", "1;31") : paint("warning", "1;33")
        var out = "\(sev)\(paint("[\(d.code.id)]", d.severity == .error ? "1;31" : "1;33")): \(paint(d.message, "1"))\n"
        guard let span = d.span else {
            if let p = d.path { out += "  \(paint("-->", "1;34")) \(p)\n" }
            for h in d.help { out += "  \(paint("= help", "1")): \(h)\n" }
            return out
        }
        let primaryLine = span.file.location(of: span.start).line
        let lines = [primaryLine] + d.notes.filter { $0.span.file === span.file }.map { $0.span.file.location(of: $0.span.start).line }
        let width = String(lines.max() ?? 1).count
        let gutter = String(repeating: " ", count: width)
        out += "\(gutter)\(paint("-->", "1;34")) \(span)\n"
        out += excerpt(span, label: d.label, mark: "^", style: d.severity == .error ? "1;31" : "1;33", width: width)
        for note in d.notes {
            if note.span.file !== span.file {
                out += "\(gutter)\(paint("::", "1;34")) \(note.span)\n"
            }
            out += excerpt(note.span, label: note.label, mark: "-", style: "1;34", width: width)
        }
        if !d.help.isEmpty {
            out += "\(gutter) \(paint("|", "1;34"))\n"
            for h in d.help { out += "\(gutter) \(paint("= help", "1")): \(h)\n" }
        }
        return out
    }

    private func excerpt(_ span: SourceSpan, label: String?, mark: Character, style: String, width: Int) -> String {
        let file = span.file
        let (lineNo, startCol) = file.location(of: span.start)
        let lineIdx = lineNo - 1
        let range = file.lineRange(lineIdx)
        let endOffset = min(span.end, range.upperBound)
        let endCol = file.location(of: max(endOffset, span.start)).column
        let count = max(1, endCol - startCol)
        // Long lines: show a window around the span, marked with `…`. The window is chosen in
        // scalars and only its bytes are decoded, so a line of megabytes costs no more.
        let first = file.scalarIndex(of: range.lowerBound)
        var length = file.scalarIndex(of: range.upperBound) - first
        var col = startCol
        let maxWidth = 100
        var skip = 0, head = "", tail = ""
        if length > maxWidth, col > maxWidth / 2 {
            skip = col - maxWidth / 2
            head = "…"
            length -= skip
            col -= skip - 1
        }
        if head.count + length > maxWidth + 20 {
            length = min(length, max(maxWidth, col + min(count, maxWidth) + 10) - head.count)
            tail = "…"
        }
        let window = file.offset(ofScalar: first + skip)..<file.offset(ofScalar: first + skip + length)
        let lineText = head + String(decoding: file.bytes[window], as: UTF8.self).replacingTabs() + tail
        let gutter = String(repeating: " ", count: width)
        let num = String(lineNo)
        var out = "\(gutter) \(paint("|", "1;34"))\n"
        out += "\(paint(String(repeating: " ", count: width - num.count) + num, "1;34")) \(paint("|", "1;34")) \(lineText)\n"
        // Carets stop where the shown text does (one more for a span at the end of the line).
        let shown = max(1, min(count, head.count + length + tail.count + 1 - col))
        let carets = String(repeating: " ", count: col - 1) + paint(String(repeating: mark, count: shown) + (label.map { " " + $0 } ?? ""), style)
        out += "\(gutter) \(paint("|", "1;34")) \(carets)\n"
        return out
    }

    /// All diagnostics, capped, followed by "N more" when over the cap.
    public func text(_ diagnostics: [Diagnostic], cap: Int = 50) -> String {
        var out = ""
        for d in diagnostics.prefix(cap) { out += text(d) + "\n" }
        if diagnostics.count > cap {
            out += "… and \(diagnostics.count - cap) more diagnostics not shown\n\n"
        }
        return out
    }
}

private extension String {
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}

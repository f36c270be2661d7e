/// Splits a template string into text and `{{ expression }}` holes, each hole parsed as an
/// expression with exact positions. `{{` inside a hole's string literal does not close it. A
/// syntax error in one hole is reported and the template kept, with the other holes.
enum TemplateParser {
    static func parse(_ source: ExpressionSource, span: SourceSpan) -> (Template?, [Diagnostic]) {
        let b = source.bytes
        var parts: [Template.Part] = []
        var text: [UInt8] = []
        var diagnostics: [Diagnostic] = []
        var i = 0
        while i < b.count {
            guard b[i] == 123, i + 1 < b.count, b[i + 1] == 123 else {
                text.append(b[i]); i += 1; continue
            }
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))); text = [] }
            let open = i
            var j = i + 2
            var quote: UInt8?
            var close: Int?
            while j < b.count {
                let c = b[j]
                if let q = quote {
                    if c == 92 { j += 2; continue }
                    if c == q { quote = nil }
                } else if c == 34 || c == 39 {
                    quote = c
                } else if c == 125, j + 1 < b.count, b[j + 1] == 125 {
                    close = j
                    break
                }
                j += 1
            }
            guard let end = close else {
                diagnostics.append(Diagnostic(SyntaxCodes.unterminatedTemplate, "unterminated template hole",
                                              at: source.span(open..<(open + 2)), label: "opened here",
                                              help: ["close it with `}}`"]))
                return (nil, diagnostics)
            }
            let (expr, ds) = Parser.parse(source, range: (open + 2)..<end)
            diagnostics += ds
            // A hole that did not parse stays a hole (an error node), so the other holes are
            // still checked and the template is never taken for constant text.
            parts.append(.expr(expr ?? Expr(.invalid, source.span(open..<(end + 2)))))
            i = end + 2
        }
        if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        return (Template(parts: parts, span: span), diagnostics)
    }
}

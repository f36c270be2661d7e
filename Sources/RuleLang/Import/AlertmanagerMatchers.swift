/// One Alertmanager label matcher: `name op value`.
struct AlertmanagerMatcher: Equatable {
    enum Operator: String {
        case equal = "=", notEqual = "!=", regex = "=~", notRegex = "!~"

        /// The RuleLang operator with the same meaning (both anchor regexes on both ends).
        var ruleLang: String {
            switch self {
            case .equal: "=="
            case .notEqual: "!="
            case .regex: "=~"
            case .notRegex: "!~"
            }
        }
    }

    let name: String
    let op: Operator
    let value: String

    /// Alertmanager's `ParseMatchers` (pkg/labels/parse.go): an optional leading `{` and
    /// trailing `}` (one each), then matchers separated by commas outside double quotes (a `\"`
    /// does not open or close a quote); a trailing comma is allowed, an empty item between two
    /// commas is not. An empty or blank text is no matcher at all.
    static func parseList(_ text: String) -> Result<[AlertmanagerMatcher], ImportProblem> {
        var s = Substring(text)
        if s.hasPrefix("{") { s = s.dropFirst() }
        if s.hasSuffix("}") { s = s.dropLast() }
        var tokens: [String] = []
        var token = ""
        var insideQuotes = false, escaped = false
        for c in s.unicodeScalars {
            switch c {
            case ",":
                if !insideQuotes {
                    tokens.append(token)
                    token = ""
                    continue
                }
            case "\"":
                if !escaped { insideQuotes.toggle() } else { escaped = false }
            case "\\":
                escaped.toggle()
            default:
                escaped = false
            }
            token.unicodeScalars.append(c)
        }
        // Go's strings.TrimSpace: Unicode white space, not only RE2's `\s`.
        var last = token.unicodeScalars[...]
        while let f = last.first, f.properties.isWhitespace { last = last.dropFirst() }
        while let l = last.last, l.properties.isWhitespace { last = last.dropLast() }
        if !last.isEmpty { tokens.append(String(last)) }
        var out: [AlertmanagerMatcher] = []
        for t in tokens {
            switch parse(t) {
            case .success(let m): out.append(m)
            case .failure(let e): return .failure(e)
            }
        }
        return .success(out)
    }

    /// Alertmanager's `ParseMatcher`: `\s*name\s*op\s*value\s*` with a name of
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, op tried as `=~`, `=`, `!=`, `!~` in that order, and a value
    /// optionally in double quotes, in which `\"`, `\\` and `\n` are escapes, any other `\` is
    /// literal, and an unescaped `"` may only close the quotes at the very end.
    static func parse(_ text: String) -> Result<AlertmanagerMatcher, ImportProblem> {
        let bad = Result<AlertmanagerMatcher, ImportProblem>.failure("bad matcher format: \(text)")
        let u = Array(text.unicodeScalars)
        var i = 0
        while i < u.count, isSpace(u[i]) { i += 1 }
        let nameStart = i
        guard i < u.count, isNameStart(u[i]) else { return bad }
        while i < u.count, isNameStart(u[i]) || ("0"..."9").contains(u[i]) { i += 1 }
        let name = String(String.UnicodeScalarView(u[nameStart..<i]))
        while i < u.count, isSpace(u[i]) { i += 1 }
        func at(_ s: String) -> Bool { u[i...].starts(with: s.unicodeScalars) }
        let op: Operator
        if at("=~") { op = .regex } else if at("=") { op = .equal } else if at("!=") { op = .notEqual } else if at("!~") { op = .notRegex } else { return bad }
        i += op.rawValue.unicodeScalars.count
        let raw = trimmed(Substring(String(String.UnicodeScalarView(u[i...]))))
        var rawValue = Array(raw.utf8)
        var expectTrailingQuote = false
        if rawValue.first == UInt8(ascii: "\"") {
            rawValue.removeFirst()
            expectTrailingQuote = true
        }
        let unescapedQuote = Result<AlertmanagerMatcher, ImportProblem>.failure("matcher value contains unescaped double quote: \(raw)")
        var value: [UInt8] = []
        var escaped = false
        for (k, b) in rawValue.enumerated() {
            if escaped {
                escaped = false
                switch b {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): value.append(b)
                default: value += [UInt8(ascii: "\\"), b]
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\\"):
                if k < rawValue.count - 1 { escaped = true } else { value.append(b) }
            case UInt8(ascii: "\""):
                if !expectTrailingQuote || k < rawValue.count - 1 { return unescapedQuote }
                expectTrailingQuote = false
            default:
                value.append(b)
            }
        }
        if expectTrailingQuote { return unescapedQuote }
        return .success(AlertmanagerMatcher(name: name, op: op, value: String(decoding: value, as: UTF8.self)))
    }

    /// Prometheus' label names (`model.LabelNameRE`), which `match`, `match_re`, `group_by` and
    /// `equal` require; `matchers` also allow `:`.
    static func isLabelName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, isNameStart(first), first != ":" else { return false }
        return s.unicodeScalars.allSatisfy { $0 != ":" && (isNameStart($0) || ("0"..."9").contains($0)) }
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == ":"
    }

    /// RE2's `\s`: ASCII space, tab, line feed, form feed and carriage return.
    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\u{0C}" || c == "\r"
    }

    private static func trimmed(_ s: Substring) -> Substring {
        var s = s.unicodeScalars[...]
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return Substring(s)
    }
}

import RuleText

/// Splits an expression into tokens. A single `=`, `&` or `|` is reported and read as the
/// operator it almost is (`==`, `&&`, `||`), so the parser still sees the rest; any other
/// stray character, or a bad number, duration, string or escape, stops the expression.
struct Lexer {
    let source: ExpressionSource
    let range: Range<Int>
    private var i: Int
    private(set) var diagnostics: [Diagnostic] = []
    /// The first problem (`rulec check --dump tokens`).
    var diagnostic: Diagnostic? { diagnostics.first }

    init(_ source: ExpressionSource, range: Range<Int>? = nil) {
        self.source = source
        self.range = range ?? 0..<source.bytes.count
        self.i = self.range.lowerBound
    }

    private var bytes: [UInt8] { source.bytes }

    /// All tokens up to and including `.eof` (with `diagnostics` for the operators misspelt), or
    /// nil after an error that stops the expression.
    mutating func tokenize() -> [Token]? {
        var tokens: [Token] = []
        while true {
            guard let t = next() else { return nil }
            tokens.append(t)
            if t.kind == .eof { return tokens }
        }
    }

    private func peek(_ k: Int = 0) -> UInt8 { i + k < range.upperBound ? bytes[i + k] : 0 }

    private func token(_ kind: TokenKind, _ start: Int, string: String = "", int: Int64 = 0, float: Double = 0,
                       offsets: [Int] = []) -> Token {
        Token(kind: kind, text: String(decoding: bytes[start..<i], as: UTF8.self), span: source.span(start..<i),
              stringValue: string, intValue: int, floatValue: float, stringOffsets: offsets)
    }

    private mutating func fail(_ code: DiagnosticCode, _ message: String, _ r: Range<Int>, label: String? = nil,
                               help: [String] = []) -> Token? {
        diagnostics.append(Diagnostic(code, message, at: source.span(r), label: label, help: help))
        return nil
    }

    private static func isIdentStart(_ b: UInt8) -> Bool { b == 95 || (b | 0x20 >= 97 && b | 0x20 <= 122) }
    private static func isIdent(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    mutating func next() -> Token? {
        while i < range.upperBound, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        let start = i
        guard i < range.upperBound else { return token(.eof, start) }
        let b = bytes[i]
        if Self.isIdentStart(b) {
            while i < range.upperBound, Self.isIdent(bytes[i]) { i += 1 }
            return token(.identifier, start)
        }
        if Self.isDigit(b) { return number(start) }
        if b == 34 || b == 39 { return string(start, quote: b) }
        i += 1
        let two: (UInt8, TokenKind)? = switch b {
        case 63: (63, .coalesce)   // ??
        case 124: (124, .orOr)     // ||
        case 38: (38, .andAnd)     // &&
        case 61 where peek() == 126: (126, .match)   // =~
        case 61: (61, .eq)         // ==
        case 33 where peek() == 126: (126, .notMatch) // !~
        case 33: (61, .ne)         // !=
        case 60: (61, .le)         // <=
        case 62: (61, .ge)         // >=
        default: nil
        }
        if let (second, kind) = two, peek() == second {
            i += 1
            return token(kind, start)
        }
        let single: TokenKind? = switch b {
        case 40: .lparen
        case 41: .rparen
        case 91: .lbracket
        case 93: .rbracket
        case 44: .comma
        case 46: .dot
        case 63: .question
        case 58: .colon
        case 33: .bang
        case 60: .lt
        case 62: .gt
        case 43: .plus
        case 45: .minus
        case 42: .star
        case 47: .slash
        case 37: .percent
        default: nil
        }
        if let kind = single { return token(kind, start) }
        // Back up over a whole UTF-8 scalar for the message.
        while i < range.upperBound, bytes[i] & 0xC0 == 0x80 { i += 1 }
        let ch = String(decoding: bytes[start..<i], as: UTF8.self)
        var help: [String] = []
        switch ch {
        case "=": help = ["use `==` to compare"]
        case "&": help = ["use `&&` or `and`"]
        case "|": help = ["use `||` or `or`"]
        case "{", "}": help = ["templates `{{ … }}` are allowed only in `set`, `emit` and channel templates"]
        default: break
        }
        _ = fail(SyntaxCodes.badCharacter, "unexpected character `\(ch)`", start..<i, label: "not part of any token", help: help)
        // The operator it stands for, so the operands around it are still parsed.
        switch ch {
        case "=": return token(.eq, start)
        case "&": return token(.andAnd, start)
        case "|": return token(.orOr, start)
        default: return nil
        }
    }

    /// `42`, `0.5`, `1e3`, durations `250ms`, `1h30m`, `7d`.
    private mutating func number(_ start: Int) -> Token? {
        while Self.isDigit(peek()) { i += 1 }
        var isFloat = false
        if peek() == 46, Self.isDigit(peek(1)) {
            isFloat = true
            i += 1
            while Self.isDigit(peek()) { i += 1 }
        }
        if peek() | 0x20 == 101, Self.isDigit(peek(1)) || ((peek(1) == 43 || peek(1) == 45) && Self.isDigit(peek(2))) {
            isFloat = true
            i += 2
            while Self.isDigit(peek()) { i += 1 }
        }
        if !isFloat, Self.isIdentStart(peek()) { return duration(start) }
        if Self.isIdentStart(peek()) {
            while Self.isIdent(peek()) { i += 1 }
            return fail(SyntaxCodes.badNumber, "invalid number literal `\(String(decoding: bytes[start..<i], as: UTF8.self))`", start..<i)
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if isFloat {
            guard let d = Double(text), d.isFinite else {
                return fail(SyntaxCodes.badNumber, "number `\(text)` is out of range", start..<i, help: ["floats are 64-bit IEEE 754"])
            }
            return token(.float, start, float: d)
        }
        guard let v = Int64(text) else {
            return fail(SyntaxCodes.badNumber, "integer `\(text)` is out of range", start..<i,
                        help: ["integers are 64-bit: at most 9223372036854775807"])
        }
        return token(.int, start, int: v)
    }

    /// A duration: one or more `<digits><unit>` with units ms, s, m, h, d.
    private mutating func duration(_ start: Int) -> Token? {
        i = start
        var total: Int64 = 0
        while Self.isDigit(peek()) {
            let numStart = i
            while Self.isDigit(peek()) { i += 1 }
            let unitStart = i
            while Self.isIdentStart(peek()) { i += 1 }
            let n = Int64(String(decoding: bytes[numStart..<unitStart], as: UTF8.self))
            let unit = String(decoding: bytes[unitStart..<i], as: UTF8.self)
            let scale: Int64? = switch unit {
            case "ms": 1
            case "s": 1000
            case "m": 60_000
            case "h": 3_600_000
            case "d": 86_400_000
            default: nil
            }
            guard let scale else {
                while Self.isIdent(peek()) { i += 1 }
                return fail(YamlCodes.badDuration, "bad duration `\(String(decoding: bytes[start..<i], as: UTF8.self))`",
                            unitStart..<max(unitStart + 1, min(i, unitStart + unit.utf8.count)),
                            label: unit.isEmpty ? "missing unit" : "unknown unit `\(unit)`",
                            help: ["a duration is a number and a unit (ms, s, m, h, d), e.g. `250ms`, `5m` or `1h30m`"])
            }
            let (m, o1) = (n ?? Int64.max).multipliedReportingOverflow(by: scale)
            let (t, o2) = total.addingReportingOverflow(m)
            if n == nil || o1 || o2 {
                return fail(YamlCodes.badDuration, "duration `\(String(decoding: bytes[start..<i], as: UTF8.self))` is out of range", start..<i)
            }
            total = t
        }
        if Self.isIdent(peek()) {
            while Self.isIdent(peek()) { i += 1 }
            return fail(YamlCodes.badDuration, "bad duration `\(String(decoding: bytes[start..<i], as: UTF8.self))`", start..<i,
                        help: ["a duration is a number and a unit (ms, s, m, h, d), e.g. `250ms`, `5m` or `1h30m`"])
        }
        // The same maximum as every duration a pack gives (so time arithmetic stays in range).
        guard total <= maxDurationMs else {
            return fail(YamlCodes.badDuration, "duration `\(String(decoding: bytes[start..<i], as: UTF8.self))` is longer than the maximum of \(maxDurationText)",
                        start..<i, label: "over \(maxDurationText)", help: ["durations are at most \(maxDurationText) (about ten years)"])
        }
        return token(.duration, start, int: total)
    }

    /// `"…"` or `'…'` with `\n \t \\ \" \' \u{XXXX}`.
    private mutating func string(_ start: Int, quote: UInt8) -> Token? {
        i += 1
        var value: [UInt8] = []
        var offsets: [Int] = []
        while true {
            guard i < range.upperBound else {
                return fail(SyntaxCodes.unterminatedString, "unterminated string", start..<i, label: "string starts here",
                            help: ["close it with `\(Character(Unicode.Scalar(quote)))`"])
            }
            let b = bytes[i]
            if b == quote { i += 1; break }
            if b == 92 {
                let escStart = i
                let e = peek(1)
                i += 2
                let decoded: [UInt8]
                switch e {
                case 110: decoded = [10]
                case 116: decoded = [9]
                case 114: decoded = [13]
                case 92, 34, 39: decoded = [e]
                case 117 where peek() == 123:
                    i += 1
                    let hexStart = i
                    while i < range.upperBound, bytes[i] != 125, i - hexStart < 8 { i += 1 }
                    let hex = String(decoding: bytes[hexStart..<i], as: UTF8.self)
                    guard peek() == 125, !hex.isEmpty, hex.count <= 6, hex.allSatisfy(\.isHexDigit), let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                        return fail(SyntaxCodes.badEscape, "invalid unicode escape", escStart..<min(i + 1, range.upperBound),
                                    help: ["write `\\u{XXXX}` with 1 to 6 hex digits naming a Unicode scalar"])
                    }
                    i += 1
                    decoded = Array(String(Character(s)).utf8)
                default:
                    let end = min(escStart + 2, range.upperBound)
                    return fail(SyntaxCodes.badEscape, "invalid escape `\(String(decoding: bytes[escStart..<end], as: UTF8.self))`",
                                escStart..<end, help: ["escapes are \\n \\t \\r \\\\ \\\" \\' and \\u{XXXX}"])
                }
                for d in decoded { value.append(d); offsets.append(source.offsets[escStart]) }
                continue
            }
            value.append(b)
            offsets.append(source.offsets[i])
            i += 1
        }
        offsets.append(source.offsets[i - 1])
        return token(.string, start, string: String(decoding: value, as: UTF8.self), offsets: offsets)
    }
}

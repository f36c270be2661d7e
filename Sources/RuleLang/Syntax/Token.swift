/// What a token is; keywords are identifiers the parser recognises by text.
public enum TokenKind: String, Sendable {
    case identifier, int, float, duration, string
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", comma = ",", dot = "."
    case question = "?", colon = ":", coalesce = "??", orOr = "||", andAnd = "&&", bang = "!"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", match = "=~", notMatch = "!~"
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case eof
}

/// One token of an expression, with its value and its span in the YAML file.
public struct Token: Sendable {
    public let kind: TokenKind
    /// The token's raw text as written in the expression.
    public let text: String
    public let span: SourceSpan
    /// Decoded value of a string literal; parsed value of a number or duration (milliseconds).
    let stringValue: String
    let intValue: Int64
    let floatValue: Double
    /// For string literals: the file offset of each decoded byte (for positions inside a regex).
    let stringOffsets: [Int]
}

/// The text of one expression or template: bytes of a YAML scalar's value plus, for each byte,
/// its offset in the file.
public struct ExpressionSource: Sendable {
    public let file: SourceFile
    public let bytes: [UInt8]
    /// File offset of each byte of `bytes`, plus one for the end.
    public let offsets: [Int]

    public init(scalar: YamlScalar) {
        self.file = scalar.span.file
        self.bytes = Array(scalar.value.utf8)
        self.offsets = scalar.valueOffsets()
    }

    /// An expression typed directly (tests, the CLI): offsets are the bytes themselves.
    public init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
        self.offsets = Array(0...file.bytes.count)
    }

    /// The file span of bytes `range` of the expression.
    func span(_ range: Range<Int>) -> SourceSpan {
        let lo = max(0, min(range.lowerBound, bytes.count))
        let hi = max(lo, min(range.upperBound, bytes.count))
        if hi == lo { return SourceSpan(file: file, start: offsets[lo], end: offsets[lo]) }
        return SourceSpan(file: file, start: offsets[lo], end: offsets[hi - 1] + 1)
    }
}

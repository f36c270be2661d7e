/// A scalar the import writes. Text that came from the input is only ever `.text`, which the
/// emitter double-quotes; the other cases are values the import formats itself, so no input
/// can end a scalar early and start a key of its own.
enum EmittedScalar {
    /// Any string: written double-quoted with every break and non-printable escaped.
    case text(String)
    /// A word of the pack format chosen by the import (`true`, `webhook`, `...`).
    case word(StaticString)
    /// A whole number.
    case integer(Int)
    /// A duration, written in RuleLang's units.
    case duration(AlertmanagerDuration)
}

/// The import's only way to produce YAML: keys are the import's own words (or quoted text for
/// user-named mapping keys), values are `EmittedScalar`s. Stops growing at `limit` bytes, since
/// a pack file larger than the loader accepts is of no use.
struct YamlEmitter {
    private(set) var text = ""
    /// Bytes written so far (`text.utf8.count`, kept to avoid recounting).
    private(set) var bytes = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// True once the output has passed `limit`; further writes are dropped.
    var overflowed: Bool { bytes > limit }

    private mutating func line(_ s: String) {
        guard !overflowed else { return }
        text += s
        text += "\n"
        bytes += s.utf8.count + 1
    }

    private static func pad(_ indent: Int, item: Bool) -> String {
        String(repeating: " ", count: indent) + (item ? "- " : "")
    }

    /// `# text`, with the text quoted so a line break in it cannot end the comment.
    mutating func comment(_ prefix: StaticString, _ value: String, _ suffix: StaticString) {
        line("# \(prefix)\(Self.quoted(value))\(suffix)")
    }

    /// `key:` opening a nested block.
    mutating func open(_ key: StaticString, indent: Int, item: Bool = false) {
        line("\(Self.pad(indent, item: item))\(key):")
    }

    /// `key: value`.
    mutating func entry(_ key: StaticString, _ value: EmittedScalar, indent: Int, item: Bool = false) {
        line("\(Self.pad(indent, item: item))\(key): \(Self.render(value))")
    }

    /// `key: [a, b]`.
    mutating func list(_ key: StaticString, _ values: [EmittedScalar], indent: Int) {
        line("\(Self.pad(indent, item: false))\(key): [\(values.map(Self.render).joined(separator: ", "))]")
    }

    /// `"name": {k: v, …}`: an entry of a mapping keyed by user names (channels, windows).
    mutating func flowEntry(named name: String, _ fields: [(StaticString, EmittedFlow)], indent: Int) {
        let body = fields.map { "\($0.0): \(Self.render($0.1))" }.joined(separator: ", ")
        line("\(Self.pad(indent, item: false))\(Self.quoted(name)): {\(body)}")
    }

    static func render(_ value: EmittedScalar) -> String {
        switch value {
        case .text(let s): quoted(s)
        case .word(let w): "\(w)"
        case .integer(let n): String(n)
        case .duration(let d): d.ruleLang
        }
    }

    static func render(_ value: EmittedFlow) -> String {
        switch value {
        case .scalar(let s): render(s)
        case .list(let items): "[\(items.map(render).joined(separator: ", "))]"
        }
    }

    /// The one YAML quoting routine: a double-quoted scalar. Escapes `"` and `\`, and every
    /// character libyaml would not take literally inside quotes: C0 and C1 controls, DEL, the
    /// byte-order mark and non-characters, and U+0085, U+2028 and U+2029, which YAML 1.1 reads
    /// as line breaks (and folds).
    static func quoted(_ s: String) -> String {
        escapedInQuotes(s) { $0 <= 0xFF ? "\\x" + hex($0, 2) : "\\u" + hex($0, 4) }
    }

    /// A RuleLang string literal (`"…"` with the lexer's escapes): the inner layer of an
    /// expression written inside a YAML scalar.
    static func ruleLangString(_ s: String) -> String {
        escapedInQuotes(s) { "\\u{" + String($0, radix: 16) + "}" }
    }

    /// `s` in double quotes with the escapes YAML and RuleLang share; any other character that
    /// is not plainly printable is written by `other` (the two differ only there).
    private static func escapedInQuotes(_ s: String, other: (UInt32) -> String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...:
                out.unicodeScalars.append(u)
            default:
                out += other(u.value)
            }
        }
        return out + "\""
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}

/// A value inside a flow mapping: a scalar or a flow list of scalars.
enum EmittedFlow {
    case scalar(EmittedScalar)
    case list([EmittedScalar])
}

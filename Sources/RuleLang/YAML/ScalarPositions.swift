/// Maps positions inside a scalar's decoded value back to bytes of the YAML file, for every
/// scalar style: the scalar's raw text is decoded again here, recording where each value byte
/// came from. If this decoding ever disagrees with libyaml's value, positions fall back to the
/// start of the scalar rather than pointing at the wrong character.
extension YamlScalar {
    /// File byte offset of every UTF-8 byte of `value`, plus one entry for the end.
    public func valueOffsets() -> [Int] {
        let raw = Array(span.file.bytes[span.start..<min(span.end, span.file.bytes.count)])
        var decoder = ScalarDecoder(raw: raw, base: span.start)
        switch style {
        case .plain: decoder.flow(from: 0, to: raw.count, escapes: false, quote: nil)
        case .singleQuoted: decoder.flow(from: 1, to: max(1, raw.count - 1), escapes: false, quote: UInt8(ascii: "'"))
        case .doubleQuoted: decoder.flow(from: 1, to: max(1, raw.count - 1), escapes: true, quote: nil)
        case .literal: decoder.block(folded: false, value: value)
        case .folded: decoder.block(folded: true, value: value)
        }
        let value = Array(self.value.utf8)
        var out = decoder.out, offsets = decoder.offsets
        // Block scalars: chomping may drop or keep trailing breaks; the prefix must agree.
        if style == .literal || style == .folded {
            while out.count > value.count, out.last == UInt8(ascii: "\n") { out.removeLast(); offsets.removeLast() }
            while out.count < value.count, value[out.count] == UInt8(ascii: "\n") {
                out.append(UInt8(ascii: "\n")); offsets.append(offsets.last ?? span.start)
            }
        }
        guard out == value else {
            return [Int](repeating: span.start, count: value.count + 1)
        }
        offsets.append(style == .plain ? span.end : (offsets.last.map { $0 + 1 } ?? span.start + 1))
        return offsets
    }
}

/// Re-decodes a scalar's raw bytes, keeping the source offset of every output byte.
private struct ScalarDecoder {
    let raw: [UInt8]
    let base: Int
    var out: [UInt8] = []
    var offsets: [Int] = []

    init(raw: [UInt8], base: Int) {
        self.raw = raw
        self.base = base
    }

    private mutating func emit(_ bytes: some Sequence<UInt8>, at i: Int) {
        for b in bytes { out.append(b); offsets.append(base + i) }
    }

    private mutating func emit(_ b: UInt8, at i: Int) {
        out.append(b); offsets.append(base + i)
    }

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// Length of the line break at `i`, or 0. libyaml reads YAML 1.1, where U+0085, U+2028 and
    /// U+2029 break lines as CR LF, LF and CR do.
    private func breakLength(_ i: Int) -> Int {
        guard i < raw.count else { return 0 }
        switch raw[i] {
        case 0x0A: return 1
        case 0x0D: return i + 1 < raw.count && raw[i + 1] == 0x0A ? 2 : 1
        case 0xC2: return i + 1 < raw.count && raw[i + 1] == 0x85 ? 2 : 0
        case 0xE2: return i + 2 < raw.count && raw[i + 1] == 0x80 && (raw[i + 2] == 0xA8 || raw[i + 2] == 0xA9) ? 3 : 0
        default: return 0
        }
    }

    /// Whether the break at `i` is kept as a line feed (CR, LF, CR LF and U+0085 are; libyaml
    /// keeps U+2028 and U+2029 as they are, and never folds them into a space).
    private func isLineFeed(_ i: Int) -> Bool { i >= raw.count || raw[i] != 0xE2 }

    /// Emits the break at `i` as libyaml keeps it.
    private mutating func emitBreak(at i: Int) {
        if isLineFeed(i) { emit(0x0A, at: i) } else { emit(raw[i..<(i + 3)], at: i) }
    }

    /// Plain and quoted (flow) scalars: line folding, `''` in single quotes, escapes in double.
    mutating func flow(from: Int, to: Int, escapes: Bool, quote: UInt8?) {
        var i = from
        var trailingRawBlanks = 0
        while i < to {
            let b = raw[i]
            let breakBytes = breakLength(i)
            if breakBytes > 0 {
                // Fold: drop trailing blanks, collect empty lines, skip the next line's indentation.
                out.removeLast(trailingRawBlanks); offsets.removeLast(trailingRawBlanks)
                trailingRawBlanks = 0
                let breakAt = i
                var emptyLines: [Int] = []
                i += breakBytes
                while true {
                    var j = i
                    while j < to, Self.isBlank(raw[j]) { j += 1 }
                    let n = j < to ? breakLength(j) : 0
                    if n > 0 { emptyLines.append(j); i = j + n } else { i = j; break }
                }
                if !isLineFeed(breakAt) { emitBreak(at: breakAt) }
                if isLineFeed(breakAt) && emptyLines.isEmpty { emit(0x20, at: breakAt) }
                for e in emptyLines { emitBreak(at: e) }
                continue
            }
            if let q = quote, b == q, i + 1 < to, raw[i + 1] == q {
                emit(q, at: i); trailingRawBlanks = 0; i += 2; continue
            }
            if escapes, b == UInt8(ascii: "\\"), i + 1 < to {
                let escapedBreak = breakLength(i + 1)
                if escapedBreak > 0 {
                    // Escaped line break: joins lines without a space.
                    i += 1 + escapedBreak
                    while i < to, Self.isBlank(raw[i]) { i += 1 }
                    trailingRawBlanks = 0
                    continue
                }
                let (bytes, length) = decodeEscape(at: i)
                emit(bytes, at: i); trailingRawBlanks = 0; i += length
                continue
            }
            emit(b, at: i)
            trailingRawBlanks = Self.isBlank(b) ? trailingRawBlanks + 1 : 0
            i += 1
        }
    }

    /// One-character escapes of double-quoted YAML and the byte each stands for.
    private static let simpleEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "0"): 0, UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, 9: 9,
        UInt8(ascii: "n"): 10, UInt8(ascii: "v"): 11, UInt8(ascii: "f"): 12, UInt8(ascii: "r"): 13,
        UInt8(ascii: "e"): 27, 0x20: 0x20, UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "/"): UInt8(ascii: "/"),
        UInt8(ascii: "\\"): UInt8(ascii: "\\"),
    ]

    /// A double-quoted escape at `i` (the backslash): the bytes it stands for and its length.
    private func decodeEscape(at i: Int) -> ([UInt8], Int) {
        let e = raw[i + 1]
        if let s = Self.simpleEscapes[e] { return ([s], 2) }
        let hexDigits: Int
        switch e {
        case UInt8(ascii: "N"): return (Array("\u{85}".utf8), 2)
        case UInt8(ascii: "_"): return (Array("\u{A0}".utf8), 2)
        case UInt8(ascii: "L"): return (Array("\u{2028}".utf8), 2)
        case UInt8(ascii: "P"): return (Array("\u{2029}".utf8), 2)
        case UInt8(ascii: "x"): hexDigits = 2
        case UInt8(ascii: "u"): hexDigits = 4
        case UInt8(ascii: "U"): hexDigits = 8
        default: return ([e], 2)
        }
        guard i + 2 + hexDigits <= raw.count,
              let v = UInt32(String(decoding: raw[(i + 2)..<(i + 2 + hexDigits)], as: UTF8.self), radix: 16),
              let scalar = Unicode.Scalar(v) else { return ([e], 2) }
        return (Array(String(Character(scalar)).utf8), 2 + hexDigits)
    }

    /// `|` and `>` block scalars: strip the indentation of each content line; `>` folds breaks.
    /// Total for any raw text: a line shorter than the indentation, a missing final break or an
    /// indentation the lines do not have only make the result disagree with `value`.
    mutating func block(folded: Bool, value: String) {
        // Skip the header line (indicator, chomping, indentation digit, comment).
        var i = 0
        while i < raw.count, breakLength(i) == 0 { i += 1 }
        i += breakLength(i)
        // Content lines within raw: start, end (before the break), and where the break is.
        var lines: [(start: Int, end: Int, breakAt: Int)] = []
        while i < raw.count {
            var j = i
            while j < raw.count, breakLength(j) == 0 { j += 1 }
            lines.append((i, j, j))
            i = j + breakLength(j)
        }
        let spaces = lines.map { l in
            var k = l.start
            while k < l.end, raw[k] == 0x20 { k += 1 }
            return k - l.start
        }
        let indent = Self.indentation(lines: lines.map { $0.end - $0.start }, spaces: spaces, value: value)
        var pendingBreaks: [Int] = []
        var first = true
        var previousMoreIndented = false
        for (n, l) in lines.enumerated() {
            // As libyaml reads it: a line of at most `indent` spaces is empty; any other line
            // in the scalar has its content after exactly `indent` spaces.
            let isEmpty = spaces[n] == l.end - l.start && spaces[n] <= indent
            let contentStart = l.start + min(indent, spaces[n])
            if !folded {
                if !isEmpty { for k in contentStart..<l.end { emit(raw[k], at: k) } }
                emitBreak(at: l.breakAt)
                continue
            }
            if isEmpty { pendingBreaks.append(l.breakAt); continue }
            let moreIndented = contentStart < l.end && Self.isBlank(raw[contentStart])
            if first {
                for b in pendingBreaks { emitBreak(at: b) }
            } else if !previousMoreIndented && !moreIndented && isLineFeed(pendingBreaks[0]) {
                if pendingBreaks.count == 1 { emit(0x20, at: pendingBreaks[0]) } else {
                    for b in pendingBreaks.dropFirst() { emitBreak(at: b) }
                }
            } else {
                for b in pendingBreaks { emitBreak(at: b) }
            }
            for k in contentStart..<l.end { emit(raw[k], at: k) }
            pendingBreaks = [l.breakAt]
            first = false
            previousMoreIndented = moreIndented
        }
        if folded { for b in pendingBreaks { emitBreak(at: b) } }
    }

    /// The indentation libyaml stripped, found from the value rather than from the header: an
    /// explicit indicator counts from the enclosing collection's indentation, which the scalar's
    /// text does not show. Both styles copy the first content line after the leading empty ones
    /// verbatim, so its spaces in the file minus its spaces in the value are the indentation.
    /// Without such a line every line is empty and any indentation covering them decodes alike.
    private static func indentation(lines: [Int], spaces: [Int], value: String) -> Int {
        var leadingBreaks = 0, valueSpaces = 0, content = false
        for b in value.utf8 {
            if !content, b == 0x0A { leadingBreaks += 1; continue }
            content = true
            if b == 0x20 { valueSpaces += 1 } else { break }
        }
        guard content, leadingBreaks < spaces.count else { return spaces.max() ?? 0 }
        return max(0, spaces[leadingBreaks] - valueSpaces)
    }
}

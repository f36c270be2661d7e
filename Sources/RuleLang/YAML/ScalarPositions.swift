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
        case .literal: decoder.block(folded: false)
        case .folded: decoder.block(folded: true)
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

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    private static func isBreak(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D }

    /// Plain and quoted (flow) scalars: line folding, `''` in single quotes, escapes in double.
    mutating func flow(from: Int, to: Int, escapes: Bool, quote: UInt8?) {
        var i = from
        var trailingRawBlanks = 0
        while i < to {
            let b = raw[i]
            if Self.isBreak(b) {
                // Fold: drop trailing blanks, count empty lines, skip the next line's indentation.
                out.removeLast(trailingRawBlanks); offsets.removeLast(trailingRawBlanks)
                trailingRawBlanks = 0
                let breakAt = i
                var emptyLines = 0
                i = skipBreak(i)
                while true {
                    var j = i
                    while j < to, Self.isBlank(raw[j]) { j += 1 }
                    if j < to, Self.isBreak(raw[j]) { emptyLines += 1; i = skipBreak(j) } else { i = j; break }
                }
                if emptyLines == 0 { emit([0x20], at: breakAt) } else { emit([UInt8](repeating: 0x0A, count: emptyLines), at: breakAt) }
                continue
            }
            if let q = quote, b == q, i + 1 < to, raw[i + 1] == q {
                emit([q], at: i); trailingRawBlanks = 0; i += 2; continue
            }
            if escapes, b == UInt8(ascii: "\\"), i + 1 < to {
                let e = raw[i + 1]
                if Self.isBreak(e) {
                    // Escaped line break: joins lines without a space.
                    i = skipBreak(i + 1)
                    while i < to, Self.isBlank(raw[i]) { i += 1 }
                    trailingRawBlanks = 0
                    continue
                }
                let (bytes, length) = decodeEscape(at: i)
                emit(bytes, at: i); trailingRawBlanks = 0; i += length
                continue
            }
            emit([b], at: i)
            trailingRawBlanks = Self.isBlank(b) ? trailingRawBlanks + 1 : 0
            i += 1
        }
    }

    private func skipBreak(_ i: Int) -> Int {
        if raw[i] == 0x0D, i + 1 < raw.count, raw[i + 1] == 0x0A { return i + 2 }
        return i + 1
    }

    /// A double-quoted escape at `i` (the backslash): the bytes it stands for and its length.
    private func decodeEscape(at i: Int) -> ([UInt8], Int) {
        let e = raw[i + 1]
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "0"): 0, UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, 9: 9,
            UInt8(ascii: "n"): 10, UInt8(ascii: "v"): 11, UInt8(ascii: "f"): 12, UInt8(ascii: "r"): 13,
            UInt8(ascii: "e"): 27, 0x20: 0x20, UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "/"): UInt8(ascii: "/"),
            UInt8(ascii: "\\"): UInt8(ascii: "\\"),
        ]
        if let s = simple[e] { return ([s], 2) }
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
    mutating func block(folded: Bool) {
        // Skip the header line (indicator, chomping, indentation digit, comment).
        var i = 0
        while i < raw.count, !Self.isBreak(raw[i]) { i += 1 }
        if i < raw.count { i = skipBreak(i) }
        // Lines: (start, end) of each content line within raw.
        var lines: [(Int, Int, Int)] = []   // start, end (before break), break offset
        while i < raw.count {
            var j = i
            while j < raw.count, !Self.isBreak(raw[j]) { j += 1 }
            lines.append((i, j, j))
            i = j < raw.count ? skipBreak(j) : j
        }
        func leadingSpaces(_ l: (Int, Int, Int)) -> Int {
            var k = l.0
            while k < l.1, raw[k] == 0x20 { k += 1 }
            return k - l.0
        }
        let firstContent = lines.first { leadingSpaces($0) < $0.1 - $0.0 }
        // Auto-detected indentation; an explicit indicator that differs is caught by the value check.
        let indent = firstContent.map(leadingSpaces) ?? 0
        var pendingBreaks: [Int] = []
        var first = true
        var previousMoreIndented = false
        for l in lines {
            let contentStart = min(l.0 + indent, l.1)
            let isEmpty = contentStart >= l.1 && leadingSpaces(l) >= l.1 - l.0
            if !folded {
                for k in contentStart..<l.1 { emit([raw[k]], at: k) }
                emit([0x0A], at: l.2)
                continue
            }
            if isEmpty { pendingBreaks.append(l.2); continue }
            let moreIndented = Self.isBlank(raw[contentStart])
            if first {
                for b in pendingBreaks { emit([0x0A], at: b) }
            } else if !previousMoreIndented && !moreIndented {
                if pendingBreaks.count == 1 { emit([0x20], at: pendingBreaks[0]) } else {
                    for b in pendingBreaks.dropFirst() { emit([0x0A], at: b) }
                }
            } else {
                for b in pendingBreaks { emit([0x0A], at: b) }
            }
            for k in contentStart..<l.1 { emit([raw[k]], at: k) }
            pendingBreaks = [l.2]
            first = false
            previousMoreIndented = moreIndented
        }
        if folded { for b in pendingBreaks { emit([0x0A], at: b) } }
    }
}

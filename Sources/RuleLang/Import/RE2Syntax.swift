/// The regex syntax Alertmanager accepts: Go's `regexp/syntax` with Perl flags (RE2). PCRE2,
/// which RuleLang matches with, accepts more — lookaround, backreferences, possessive
/// quantifiers, atomic groups, recursion, conditionals, `\C`, `\K`, `\R`, comments, `(?x)` —
/// so an import that only compiled a pattern with PCRE2 would accept an Alertmanager file that
/// Alertmanager refuses. This walks a pattern as Go's parser does and refuses, with Go's own
/// message, what it refuses; what both accept is then compiled by PCRE2 as before.
///
/// Checked against Debian's Alertmanager 0.25 (`amtool check-config`): named groups are
/// `(?P<name>…)` only (`(?<name>…)` came with later Go releases).
enum RE2Syntax {
    /// Largest count of a `{n,m}` repeat, alone or multiplied through nested repeats.
    static let maxRepeat = 1_000
    /// Deepest nesting of groups Go's parser takes.
    static let maxDepth = 1_000

    /// Go's message and the byte offset of the first construct RE2 refuses; nil when it accepts
    /// the pattern (PCRE2 may still refuse it).
    static func problem(_ pattern: String) -> (message: String, offset: Int)? {
        var scan = Scan(b: Array(pattern.utf8))
        do {
            try scan.run()
            return nil
        } catch {
            return (error.message, error.offset)
        }
    }

    /// A refusal: Go's error text and the offending bytes, quoted as Go quotes them.
    struct Refusal: Error {
        let message: String
        let offset: Int
    }

    private struct Scan {
        let b: [UInt8]
        var i = 0
        /// Per open group: the largest product of nested repeat counts inside it so far.
        var groups: [Int] = [1]
        /// The last item that a repeat would apply to: its repeat weight, or nil when there is
        /// none (start, after `|` or `(`).
        var operand: Int? = nil
        /// Where the last repeat operator began, when the item before is one (Go refuses `a**`).
        var lastRepeat: Int? = nil

        init(b: [UInt8]) { self.b = b }

        func text(_ r: Range<Int>) -> String { String(decoding: b[r.clamped(to: 0..<b.count)], as: UTF8.self) }
        func at(_ k: Int) -> UInt8? { k < b.count ? b[k] : nil }
        static func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        static func isWord(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F }

        func refuse(_ what: String, _ r: Range<Int>) -> Refusal {
            Refusal(message: "\(what): `\(text(r))`", offset: r.lowerBound)
        }

        /// An item that can be repeated ends here, with repeat weight `w`.
        mutating func item(_ w: Int = 1) {
            operand = w
            lastRepeat = nil
        }

        mutating func run() throws(Refusal) {
            while i < b.count {
                let c = b[i]
                switch c {
                case UInt8(ascii: "("): try open()
                case UInt8(ascii: ")"):
                    guard groups.count > 1 else { throw refuse("unexpected )", i..<(i + 1)) }
                    let inner = groups.removeLast()
                    groups[groups.count - 1] = max(groups[groups.count - 1], inner)
                    i += 1
                    item(inner)
                case UInt8(ascii: "|"):
                    i += 1
                    operand = nil
                    lastRepeat = nil
                case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                    try repeatOp(from: i, end: i + 1, counts: nil)
                case UInt8(ascii: "{"):
                    if let (end, lo, hi) = counted(at: i) {
                        try repeatOp(from: i, end: end, counts: (lo, hi))
                    } else {
                        i += 1
                        item()
                    }
                case UInt8(ascii: "["): try charClass()
                case UInt8(ascii: "\\"): try escape(inClass: false)
                default:
                    i += 1
                    item()
                }
            }
            if groups.count > 1 { throw Refusal(message: "missing closing ): `\(text(0..<b.count))`", offset: b.count) }
        }

        /// `(`, `(?:`, `(?flags)`, `(?flags:`, `(?P<name>`; anything else after `(?` is refused.
        mutating func open() throws(Refusal) {
            let start = i
            guard at(i + 1) == UInt8(ascii: "?") else {
                try push(start)
                i += 1
                return
            }
            if at(i + 2) == UInt8(ascii: "P"), at(i + 3) == UInt8(ascii: "<") {
                var j = i + 4
                while j < b.count, b[j] != UInt8(ascii: ">") { j += 1 }
                guard j < b.count else { throw refuse("invalid named capture", start..<b.count) }
                guard j > i + 4, b[(i + 4)..<j].allSatisfy(Self.isWord) else { throw refuse("invalid named capture", start..<(j + 1)) }
                try push(start)
                i = j + 1
                return
            }
            // Flags: `i`, `m`, `s`, `U`, one `-` followed by at least one flag, then `)` or `:`.
            var j = i + 2
            var negated = false, flagAfterMinus = false
            while j < b.count {
                let f = b[j]
                switch f {
                case UInt8(ascii: "i"), UInt8(ascii: "m"), UInt8(ascii: "s"), UInt8(ascii: "U"):
                    if negated { flagAfterMinus = true }
                    j += 1
                    continue
                case UInt8(ascii: "-") where !negated:
                    negated = true
                    j += 1
                    continue
                case UInt8(ascii: ":"), UInt8(ascii: ")"):
                    guard !negated || flagAfterMinus else { throw refuse("invalid or unsupported Perl syntax", start..<(j + 1)) }
                    if f == UInt8(ascii: ":") {
                        try push(start)
                    }
                    // `(?i)` changes flags and is no operand for a repeat.
                    i = j + 1
                    if f == UInt8(ascii: ")") { operand = nil; lastRepeat = nil }
                    return
                default:
                    throw refuse("invalid or unsupported Perl syntax", start..<(j + 1))
                }
            }
            throw refuse("missing closing )", start..<b.count)
        }

        mutating func push(_ start: Int) throws(Refusal) {
            guard groups.count <= RE2Syntax.maxDepth else { throw Refusal(message: "expression nests too deeply", offset: start) }
            groups.append(1)
            operand = nil
            lastRepeat = nil
        }

        /// `{n}`, `{n,}` or `{n,m}` at `k`: its end and counts; nil when it is a literal `{`.
        func counted(at k: Int) -> (Int, Int, Int?)? {
            var j = k + 1
            func number() -> Int? {
                let s = j
                while Self.isDigit(at(j)) { j += 1 }
                guard j > s else { return nil }
                // Counts past the limit are refused anyway; cap the digits so parsing cannot overflow.
                return Int(text(s..<min(j, s + 8))) ?? Int.max
            }
            guard let lo = number() else { return nil }
            var hi: Int? = lo
            if at(j) == UInt8(ascii: ",") {
                j += 1
                hi = Self.isDigit(at(j)) ? number() : nil
            }
            guard at(j) == UInt8(ascii: "}") else { return nil }
            return (j + 1, lo, hi)
        }

        /// `*`, `+`, `?` or a counted repeat at `from..<end`, with its optional `?` (lazy).
        mutating func repeatOp(from: Int, end: Int, counts: (Int, Int?)?) throws(Refusal) {
            var stop = end
            if at(stop) == UInt8(ascii: "?") { stop += 1 }
            if let last = lastRepeat { throw refuse("invalid nested repetition operator", last..<stop) }
            guard let w = operand else { throw refuse("missing argument to repetition operator", from..<stop) }
            var weight = w
            if let (lo, hi) = counts {
                if lo > RE2Syntax.maxRepeat || (hi ?? lo) > RE2Syntax.maxRepeat || (hi.map { $0 < lo } ?? false) {
                    throw refuse("invalid repeat count", from..<end)
                }
                let m = hi ?? lo
                if lo >= 2 || m >= 2 {
                    // Go refuses nested repeats whose counts multiply past the limit.
                    guard m == 0 || w <= RE2Syntax.maxRepeat / m else { throw refuse("invalid repeat count", from..<end) }
                    weight = max(1, w * m)
                }
            }
            groups[groups.count - 1] = max(groups[groups.count - 1], weight)
            i = stop
            operand = weight
            lastRepeat = from
        }

        /// A bracketed class; `]` first is literal, `[:name:]` a POSIX class, escapes as Go
        /// reads them inside a class.
        mutating func charClass() throws(Refusal) {
            let start = i
            i += 1
            if at(i) == UInt8(ascii: "^") { i += 1 }
            if at(i) == UInt8(ascii: "]") { i += 1 }
            while i < b.count, b[i] != UInt8(ascii: "]") {
                if b[i] == UInt8(ascii: "["), at(i + 1) == UInt8(ascii: ":") {
                    var j = i + 2
                    while j + 1 < b.count, !(b[j] == UInt8(ascii: ":") && b[j + 1] == UInt8(ascii: "]")) { j += 1 }
                    if j + 1 < b.count { i = j + 2; continue }
                }
                if b[i] == UInt8(ascii: "\\") { try escape(inClass: true) } else { i += 1 }
            }
            guard i < b.count else { throw refuse("missing closing ]", start..<b.count) }
            i += 1
            item()
        }

        /// A backslash escape at `i`. Outside a class also `\A \z \b \B` and `\Q…\E`.
        mutating func escape(inClass: Bool) throws(Refusal) {
            let start = i
            guard let e = at(i + 1) else { throw Refusal(message: "trailing backslash at end of expression", offset: start) }
            i += 2
            switch e {
            case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "s"), UInt8(ascii: "S"), UInt8(ascii: "w"), UInt8(ascii: "W"),
                 UInt8(ascii: "a"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"), UInt8(ascii: "v"):
                break
            case _ where !inClass && [UInt8(ascii: "A"), UInt8(ascii: "z"), UInt8(ascii: "b"), UInt8(ascii: "B")].contains(e):
                break
            case UInt8(ascii: "Q") where !inClass:
                // Literal text up to `\E` or the end.
                while i < b.count, !(b[i] == UInt8(ascii: "\\") && at(i + 1) == UInt8(ascii: "E")) { i += 1 }
                if i < b.count { i += 2 }
            case UInt8(ascii: "p"), UInt8(ascii: "P"):
                if at(i) == UInt8(ascii: "{") {
                    while i < b.count, b[i] != UInt8(ascii: "}") { i += 1 }
                    guard i < b.count else { throw refuse("invalid character class range", start..<b.count) }
                    i += 1
                } else {
                    guard i < b.count else { throw refuse("invalid character class range", start..<i) }
                    i += 1
                }
            case UInt8(ascii: "1")...UInt8(ascii: "7"):
                // A single non-zero digit is a backreference, which RE2 does not have.
                guard let d = at(i), d >= 0x30, d <= 0x37 else { throw refuse("invalid escape sequence", start..<i) }
                i += 1
                if let d = at(i), d >= 0x30, d <= 0x37 { i += 1 }
            case UInt8(ascii: "0"):
                for _ in 0..<2 { if let d = at(i), d >= 0x30, d <= 0x37 { i += 1 } }
            case UInt8(ascii: "x"):
                if at(i) == UInt8(ascii: "{") {
                    var j = i + 1
                    while j < b.count, b[j] != UInt8(ascii: "}") { j += 1 }
                    let digits = text((i + 1)..<j)
                    guard j < b.count, !digits.isEmpty, digits.count <= 8, let v = UInt32(digits, radix: 16), v <= 0x10FFFF else {
                        throw refuse("invalid escape sequence", start..<min(j + 1, b.count))
                    }
                    i = j + 1
                } else {
                    guard let h1 = at(i), let h2 = at(i + 1), UInt8(text(i..<(i + 2)), radix: 16) != nil, h1 != UInt8(ascii: "+"), h2 != UInt8(ascii: "+") else {
                        throw refuse("invalid escape sequence", start..<min(i + 2, b.count))
                    }
                    i += 2
                }
            default:
                // Any ASCII punctuation stands for itself; letters, digits and non-ASCII do not.
                guard e < 0x80, !Self.isWord(e) || e == UInt8(ascii: "_") else {
                    var end = i
                    while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
                    throw refuse("invalid escape sequence", start..<end)
                }
            }
            if !inClass { item() }
        }
    }
}

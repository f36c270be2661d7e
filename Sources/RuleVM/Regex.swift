import CPCRE2

/// A PCRE2 pattern compiled once (and JIT-compiled) when a program is built or loaded.
/// The compiled code is read-only after compilation and PCRE2 documents it as shareable
/// between threads; match data is per VM.
public final class Regex: @unchecked Sendable, Equatable {
    public let pattern: String
    /// Anchored at both ends (`=~`, `!~`) or searching (`search`, `extract`).
    public let anchored: Bool
    /// The compiled code (the reference evaluator matches with it too: one compile step).
    package let code: OpaquePointer
    /// Capture groups in the pattern.
    package let captureCount: Int
    /// For an anchored pattern, the bytes every match starts with (`literalPrefix`), so a
    /// subject without them fails before PCRE2 is called; empty when there is none.
    public let prefix: [UInt8]

    public static func == (a: Regex, b: Regex) -> Bool { a.pattern == b.pattern && a.anchored == b.anchored }

    /// Most backtracking steps one match may take before it is an error.
    public static let matchLimit: UInt32 = 100_000

    /// Compiles `pattern`; the error message and byte offset when it is invalid.
    public static func compile(_ pattern: String, anchored: Bool) -> Result<Regex, RegexError> {
        let bytes = Array(pattern.utf8)
        var errorCode: Int32 = 0
        var errorOffset = 0
        var options = UInt32(PCRE2_UTF)
        if anchored { options |= UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED) }
        let code = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress ?? UnsafePointer(bitPattern: 1), buf.count, options, &errorCode, &errorOffset, nil)
        }
        guard let code else {
            var message = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &message, message.count)
            return .failure(RegexError(message: n > 0 ? String(decoding: message[0..<Int(n)], as: UTF8.self) : "invalid pattern",
                                       offset: errorOffset))
        }
        pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE))
        var captures: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        return .success(Regex(pattern: pattern, anchored: anchored, code: code, captureCount: Int(captures)))
    }

    private init(pattern: String, anchored: Bool, code: OpaquePointer, captureCount: Int) {
        self.pattern = pattern
        self.anchored = anchored
        self.code = code
        self.captureCount = captureCount
        self.prefix = anchored ? Regex.literalPrefix(pattern) : []
    }

    /// The literal bytes every match of `pattern` (matched at the start of the subject) begins
    /// with: its leading run of plain characters, less the last one when a quantifier follows.
    /// Empty whenever that is not certain: a top-level `|`, and patterns with constructs that
    /// change how the rest reads (`(?` options or groups, `(*` verbs, `\Q` quoting, `\c` control
    /// characters, which take two bytes after the backslash, `[:` classes).
    static func literalPrefix(_ pattern: String) -> [UInt8] {
        let p = Array(pattern.utf8)
        for marker in ["(?", "(*", "\\Q", "\\c", "[:"] where p.firstRange(of: Array(marker.utf8)) != nil { return [] }
        var depth = 0, i = 0, inClass = false
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\\") { i += 2; continue }
            if inClass {
                if c == UInt8(ascii: "]") { inClass = false }
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "["):
                inClass = true
                i += 1
                // A `]` first in a class (after an optional `^`) is a literal.
                if i < p.count, p[i] == UInt8(ascii: "^") { i += 1 }
                if i < p.count, p[i] == UInt8(ascii: "]") { i += 1 }
                continue
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: "|") where depth <= 0: return []
            default: break
            }
            i += 1
        }
        let meta = Set("\\^$.|?*+()[]{}".utf8)
        var end = 0
        while end < p.count, !meta.contains(p[end]) { end += 1 }
        if end < p.count, [UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{")].contains(p[end]) {
            // The quantifier applies to the last character: drop all of its UTF-8 bytes.
            while end > 0 {
                end -= 1
                if p[end] & 0xC0 != 0x80 { break }
            }
        }
        return Array(p[0..<end])
    }

    deinit { pcre2_code_free_8(code) }
}

/// Why a pattern did not compile.
public struct RegexError: Error, Sendable, Equatable {
    public let message: String
    /// Byte offset in the pattern.
    public let offset: Int
}

/// Per-VM matching state: match data and a match context with the match limit.
final class Matcher {
    let matchData: OpaquePointer
    let context: OpaquePointer

    init() {
        matchData = pcre2_match_data_create_8(32, nil)
        context = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(context, Regex.matchLimit)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
    }

    enum Outcome { case match, noMatch, limit }

    /// Matches `count` bytes at `p` against compiled `code` (JIT code when PCRE2 has it).
    @inline(__always)
    func match(_ code: OpaquePointer, _ p: UnsafePointer<UInt8>, _ count: Int) -> Outcome {
        var rc = pcre2_jit_match_8(code, p, count, 0, 0, matchData, context)
        // No JIT code for this pattern (JIT unavailable): the interpreter, same limits.
        if rc == PCRE2_ERROR_JIT_BADOPTION { rc = pcre2_match_8(code, p, count, 0, 0, matchData, context) }
        if rc >= 0 { return .match }
        if rc == PCRE2_ERROR_NOMATCH { return .noMatch }
        return .limit
    }

    /// The byte range of capture `group` of the last match, when it participated.
    func group(_ group: Int) -> Range<Int>? {
        guard let ov = pcre2_get_ovector_pointer_8(matchData) else { return nil }
        let start = ov[2 * group], end = ov[2 * group + 1]
        if start == ~0 || end == ~0 || end < start { return nil }
        return Int(start)..<Int(end)
    }
}

import CPCRE2
import Foundation
import RuleLang
import RuleText
import RuleVM

/// Functions of the reference evaluator (docs/semantics.md, "Functions" and "Regexes").
extension ReferenceRun {
    func call(_ f: Builtin, _ args: [TypedExpr]) throws -> PlainValue {
        switch f {
        case .exists:
            return .bool(!Self.isMissing(try eval(args[0])))
        case .now:
            return .time(env.now)
        case .age:
            let (r, o) = env.now.subtractingReportingOverflow(env.alert.startsAt)
            if o { throw Self.fail(.outOfRange) }
            return .duration(r)
        case .inWindow:
            guard case .window(let name)? = args.first?.kind, let w = env.windows[name] else { return .missing }
            return .bool(TimeMath.inWindow(env.now, w))
        case .any, .all:
            return try quantifier(any: f == .any, args[0], args[1])
        case .search, .extract:
            let s = try eval(args[0])
            guard case .string(let text) = s, case .literal(.string(let p)) = args[1].kind else { return .missing }
            if f == .search { return .bool(try matches(text, pattern: p.value, anchored: false)) }
            return try extract(text, pattern: p.value)
        default:
            var values: [PlainValue] = []
            for a in args { values.append(try eval(a)) }
            if values.contains(where: Self.isMissing) { return .missing }
            return try apply(f, values)
        }
    }

    /// `any`/`all`: the predicate with `it` bound to each element in order, stopping early.
    func quantifier(any: Bool, _ listExpr: TypedExpr, _ predicate: TypedExpr) throws -> PlainValue {
        guard case .list(let items) = try eval(listExpr) else { return .missing }
        for item in items {
            its.append(item)
            let holds = Self.isTrue(try eval(predicate))
            its.removeLast()
            if holds == any { return .bool(any) }
        }
        return .bool(!any)
    }

    /// A function of present arguments.
    func apply(_ f: Builtin, _ v: [PlainValue]) throws -> PlainValue {
        switch (f, v[0]) {
        case (.len, .list(let items)): return .int(Int64(items.count))
        case (.len, .string(let s)): return .int(Int64(s.unicodeScalars.count))
        case (.lower, .string(let s)): return computed(s.lowercased())
        case (.upper, .string(let s)): return computed(s.uppercased())
        case (.trim, .string(let s)):
            var scalars = Array(s.unicodeScalars)[...]
            while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
            while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
            return computed(String(String.UnicodeScalarView(scalars)))
        case (.split, .string(let s)):
            guard case .string(let sep) = v[1] else { return .missing }
            let parts = Self.split(s, sep)
            usage.listValues += parts.count
            return .list(parts.map { PlainValue.string($0) })
        case (.join, .list(let items)):
            guard case .string(let sep) = v[1] else { return .missing }
            return computed(items.map { CanonicalText.text($0) }.joined(separator: sep))
        case (.replace, .string(let s)):
            guard case .string(let old) = v[1], case .string(let new) = v[2] else { return .missing }
            return computed(Self.replace(s, old, new))
        case (.substr, .string(let s)):
            guard case .int(let start) = v[1] else { return .missing }
            var length: Int64?
            if v.count > 2 {
                guard case .int(let n) = v[2] else { return .missing }
                length = n
            }
            return computed(Self.substr(s, start, length))
        case (.int, _): return Self.toInt(v[0])
        case (.float, _): return Self.toFloat(v[0])
        case (.string, .string): return v[0]
        case (.string, _): return computed(CanonicalText.text(v[0]))
        case (.duration, .duration): return v[0]
        case (.duration, .string(let s)): return parseBoundedDuration(s).map { PlainValue.duration($0) } ?? .missing
        case (.time, .time): return v[0]
        case (.time, .string(let s)): return parseRFC3339(s).map { PlainValue.time($0) } ?? .missing
        case (.hour, .time(let ms)): return TimeMath.local(ms, zone: env.timezone).map { .int(Int64($0.minute / 60)) } ?? .missing
        case (.weekday, .time(let ms)): return TimeMath.local(ms, zone: env.timezone).map { .int(Int64($0.weekday)) } ?? .missing
        default: return .missing
        }
    }

    /// The parts of `s` between occurrences of `sep` (byte-wise), at most 256 with the last
    /// holding the rest; an empty `sep` splits into Unicode scalars (same bound).
    static func split(_ s: String, _ sep: String) -> [String] {
        let limit = RuleLimits.computedListLength
        if sep.isEmpty {
            let scalars = Array(s.unicodeScalars)
            if scalars.count <= limit { return scalars.map { String(Character($0)) } }
            var parts = scalars[0..<(limit - 1)].map { String(Character($0)) }
            parts.append(String(String.UnicodeScalarView(scalars[(limit - 1)...])))
            return parts
        }
        let b = Array(s.utf8), p = Array(sep.utf8)
        var parts: [String] = []
        var from = 0
        while parts.count < limit - 1, let i = find(p, in: b, from: from) {
            parts.append(String(decoding: b[from..<i], as: UTF8.self))
            from = i + p.count
        }
        parts.append(String(decoding: b[from...], as: UTF8.self))
        return parts
    }

    /// Every non-overlapping occurrence of `old`, left to right, replaced; `s` when `old` is empty.
    static func replace(_ s: String, _ old: String, _ new: String) -> String {
        if old.isEmpty { return s }
        let b = Array(s.utf8), o = Array(old.utf8), n = Array(new.utf8)
        var out: [UInt8] = []
        var from = 0
        while let i = find(o, in: b, from: from) {
            out += b[from..<i]
            out += n
            from = i + o.count
        }
        out += b[from...]
        return String(decoding: out, as: UTF8.self)
    }

    /// Unicode scalars from `start` (clamped to `0…len`), `length` of them (clamped to what is
    /// left, negative meaning 0), or to the end.
    static func substr(_ s: String, _ start: Int64, _ length: Int64?) -> String {
        let scalars = Array(s.unicodeScalars)
        let from = Int(max(0, min(start, Int64(scalars.count))))
        let rest = scalars.count - from
        let count = length.map { Int(max(0, min($0, Int64(rest)))) } ?? rest
        return String(String.UnicodeScalarView(scalars[from..<(from + count)]))
    }

    static func toInt(_ v: PlainValue) -> PlainValue {
        switch v {
        case .int: return v
        case .float(let d):
            let t = d.rounded(.towardZero)
            guard t.isFinite, t >= -9_223_372_036_854_775_808.0, t < 9_223_372_036_854_775_808.0 else { return .missing }
            return .int(Int64(t))
        case .bool(let b): return .int(b ? 1 : 0)
        case .string(let s):
            var digits = Array(s.utf8)[...]
            if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { digits = digits.dropFirst() }
            guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let i = Int64(s) else { return .missing }
            return .int(i)
        default:
            // Not in the table of docs/semantics.md (e.g. a duration): missing.
            return .missing
        }
    }

    static func toFloat(_ v: PlainValue) -> PlainValue {
        switch v {
        case .int(let i): return .float(Double(i))
        case .float: return v
        case .bool(let b): return .float(b ? 1 : 0)
        case .string(let s):
            guard let d = Double(s), d.isFinite else { return .missing }
            return .float(d)
        default: return .missing
        }
    }

    // MARK: regexes

    /// Whether `pattern` matches `text`: the whole of it when `anchored`, else anywhere.
    func matches(_ text: String, pattern: String, anchored: Bool) throws -> Bool {
        guard let re = regexes.regex(pattern, anchored: anchored) else { return false }
        return try re.match(text, regexes.context) != nil
    }

    /// The first capture group of the first match (the whole match without groups), or missing.
    func extract(_ text: String, pattern: String) throws -> PlainValue {
        guard let re = regexes.regex(pattern, anchored: false), let groups = try re.match(text, regexes.context) else { return .missing }
        let group = re.captureCount > 0 ? 1 : 0
        guard group < groups.count, let range = groups[group] else { return .missing }
        let bytes = Array(text.utf8)
        return .string(String(decoding: bytes[range], as: UTF8.self))
    }
}

/// PCRE2 patterns compiled for one evaluation, and the match context with the match limit.
final class ReferenceRegexCache {
    /// By pattern bytes (no Unicode normalisation) and anchoring.
    private var compiled: [[UInt8]: ReferenceRegex] = [:]
    let context: OpaquePointer

    init() {
        context = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(context, RuleVM.Regex.matchLimit)
    }

    deinit { pcre2_match_context_free_8(context) }

    func regex(_ pattern: String, anchored: Bool) -> ReferenceRegex? {
        let key = Array(pattern.utf8) + [anchored ? 1 : 0]
        if let r = compiled[key] { return r }
        guard let r = ReferenceRegex(pattern, anchored: anchored) else { return nil }
        compiled[key] = r
        return r
    }
}

/// One PCRE2 pattern (UTF mode; anchored at both ends for `=~`) with its match data.
final class ReferenceRegex {
    let code: OpaquePointer
    let matchData: OpaquePointer
    let captureCount: Int

    init?(_ pattern: String, anchored: Bool) {
        let bytes = Array(pattern.utf8)
        var errorCode: Int32 = 0
        var errorOffset = 0
        var options = UInt32(PCRE2_UTF)
        if anchored { options |= UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED) }
        let code = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress ?? UnsafePointer(bitPattern: 1), buf.count, options, &errorCode, &errorOffset, nil)
        }
        guard let code else { return nil }
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else {
            pcre2_code_free_8(code)
            return nil
        }
        pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE))
        var captures: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        self.code = code
        self.matchData = data
        self.captureCount = Int(captures)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_code_free_8(code)
    }

    /// The byte ranges of the groups of the first match (nil for a group that did not
    /// participate), nil when nothing matches; hitting the match limit is an error.
    func match(_ text: String, _ context: OpaquePointer) throws -> [Range<Int>?]? {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes.append(0)  // never a null subject pointer, even for ""
        let rc = bytes.withUnsafeBufferPointer { buf in
            pcre2_match_8(code, buf.baseAddress, count, 0, 0, matchData, context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 { throw ReferenceRun.fail(.regexLimit) }
        guard let ov = pcre2_get_ovector_pointer_8(matchData) else { return nil }
        let pairs = Int(pcre2_get_ovector_count_8(matchData))
        var groups: [Range<Int>?] = []
        for g in 0..<min(pairs, captureCount + 1) {
            // A group that did not participate is PCRE2_UNSET (~0), which reads as -1 here.
            let start = Int(bitPattern: UInt(truncatingIfNeeded: ov[2 * g]))
            let end = Int(bitPattern: UInt(truncatingIfNeeded: ov[2 * g + 1]))
            if g >= Int(rc) || start < 0 || end < start || end > count {
                groups.append(nil)
            } else {
                groups.append(start..<end)
            }
        }
        return groups
    }
}

import Testing
@testable import RuleLang

/// A small deterministic generator (SplitMix64), so a failing input can be reproduced from its seed.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
}

/// Feeds the loader, lexer, parser and checker random, truncated and mutated inputs: none may
/// crash, hang or trip an assertion. 100,000 inputs per run, in about a second or two.
@Suite struct RobustnessTests {
    static let fragments = [
        "env", "severity", "value", "labels", "labels.x", "labels[\"a-b\"]", "annotations.y", "it", "alertname", "starts_at",
        "\"s\"", "'q'", "\"\\u{2192}\"", "\"\\q\"", "1", "-3", "0.5", "1e3", "99999999999999999999", "5m", "1h30m", "5x", "7d",
        "true", "false", "info", "critical", "[", "]", "(", ")", ",", ".", "?", ":", "??", "||", "&&", "!", "not", "and", "or",
        "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "in", "not in", "contains", "startswith", "endswith", "+", "-", "*",
        "/", "%", "len(", "any(", "all(", "count(", "split(", "in_window(", "exists(", "now()", "age()", "lower(", "\"(\"",
        "{{", "}}", " ", "é", "\u{0}", "\t", "\n", "#", "'", "\"",
    ]

    static let yamlFragments = [
        "rulelang: 1\n", "routes:\n", "  - name: r\n", "    when: ", "env == \"x\"\n", "    notify: [c]\n", "channels:\n",
        "  c: {type: slack, url: u}\n", "macros:\n", "  m: m\n", "lists:\n", "  l: [a, 1]\n", "labels:\n", "  env: enum(a)\n",
        "&a ", "*a ", "- ", ": ", "|\n", ">\n", "  ", "\t", "'", "\"", "{", "}", "[", "]", "tests:\n", "  - name: t\n",
        "    input: [{at: 0s, alert: {labels: {alertname: A}}}]\n", "escalations:\n", "  e: {levels: [{after: 5m, notify: [c]}]}\n",
        "correlate:\n", "  - {name: w, when: true, window: 5m, condition: count() > 1, emit: {alertname: X}}\n", "\u{FF}", "%YAML 1.1\n---\n",
    ]

    /// Parses and checks one expression as a route condition: whether the parser answered (an
    /// expression or a diagnostic) and every diagnostic of the check lies inside its file.
    static func exercise(expression: String) -> Bool {
        let (e, d) = Parser.parse(ExpressionSource(file: SourceFile(path: "e", text: expression)))
        return (e != nil || !d.isEmpty) && check(routePack(Quote.single(expression))).allSatisfy(spanInside)
    }

    /// Whether a diagnostic's span (when it has one) lies inside its file's bytes.
    static func spanInside(_ d: Diagnostic) -> Bool {
        guard let span = d.span else { return true }
        return span.start >= 0 && span.end <= span.file.bytes.count
    }

    @Test func randomExpressions() {
        var rng = SplitMix(state: 0x5EED_0001)
        // The parser answers every input, with an expression or diagnostics; both kinds occur.
        var parsed = 0, rejected = 0, silent = 0
        for _ in 0..<60_000 {
            var s = ""
            for _ in 0..<(1 + rng.int(12)) { s += rng.pick(Self.fragments) + (rng.int(3) == 0 ? "" : " ") }
            switch Parser.parse(ExpressionSource(file: SourceFile(path: "e", text: s))) {
            case (.some, let d) where d.isEmpty: parsed += 1
            case (_, let d) where !d.isEmpty: rejected += 1
            default: silent += 1
            }
        }
        #expect(silent == 0)
        #expect(parsed > 0 && rejected > 0, "parsed \(parsed), rejected \(rejected)")
        var wrong = 0
        for _ in 0..<2_000 {
            var s = ""
            for _ in 0..<(1 + rng.int(10)) { s += rng.pick(Self.fragments) + " " }
            if !Self.exercise(expression: s) { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    @Test func mutatedAndTruncatedPacks() throws {
        var rng = SplitMix(state: 0x5EED_0002)
        let base = Array(routePack("env == \"prod\" && value > 0.5 && any([\"a\"], it == env)",
                                   extra: "macros:\n  m: severity >= error\nlists:\n  l: [a, b]\n").utf8)
        var accepted = 0, rejected = 0
        for i in 0..<20_000 {
            var bytes = base
            switch i % 4 {
            case 0: bytes = Array(bytes.prefix(rng.int(bytes.count + 1)))
            case 1: for _ in 0..<(1 + rng.int(4)) { bytes[rng.int(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2: bytes.insert(contentsOf: Array(rng.pick(Self.yamlFragments).utf8), at: rng.int(bytes.count))
            default:
                let at = rng.int(bytes.count)
                bytes.removeSubrange(at..<min(bytes.count, at + rng.int(20) + 1))
            }
            let (_, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "m.yaml", bytes: bytes)])
            if d.contains(where: { $0.severity == .error }) { rejected += 1 } else { accepted += 1 }
        }
        // Some mutations keep a valid pack, others do not: both paths of the checker ran.
        #expect(accepted > 0 && rejected > 0, "accepted \(accepted), rejected \(rejected)")
    }

    @Test func randomYamlDocuments() {
        var rng = SplitMix(state: 0x5EED_0003)
        var rejected = 0
        for _ in 0..<18_000 {
            var s = ""
            for _ in 0..<(1 + rng.int(14)) { s += rng.pick(Self.yamlFragments) }
            let (_, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "r.yaml", text: s)])
            if d.contains(where: { $0.severity == .error }) { rejected += 1 }
        }
        // Random fragments are rarely a valid pack: the error paths ran.
        #expect(rejected > 0)
    }
}

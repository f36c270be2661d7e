import Foundation
import Testing
@testable import RuleLang

/// Packs built to make the checker recurse, blow up or search without end: each class is
/// generated, checked through `Frontend.check`, and must give exact diagnostics in bounded time.
@Suite struct HostileCheckerTests {
    /// `(code, line)` of each diagnostic, in order.
    static func found(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.code.id)@\($0.span.map { $0.file.location(of: $0.start).line } ?? 0)" }
    }

    /// A pack whose macros are `m0` then `m1`… each defined from the one before by `step` (with
    /// `PREV` for the previous name), used by one route `when`. Macro `mk` is on line `3 + k`.
    static func chain(_ count: Int, first: String, step: String, when: String) -> String {
        var s = "rulelang: 1\nmacros:\n  m0: '\(first)'\n"
        for k in 1...count { s += "  m\(k): '\(step.replacingOccurrences(of: "PREV", with: "m\(k - 1)"))'\n" }
        return s + routeTail(when)
    }

    static func routeTail(_ when: String) -> String {
        "channels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/hook\"}\nroutes:\n  - name: r\n    when: '\(when)'\n    notify: [c]\n"
            + "  - {name: default, when: true, notify: [c]}\n"
    }

    /// Runs `body` and the seconds it took.
    static func timed<T>(_ body: () -> T) -> (T, Double) {
        let start = Date()
        let r = body()
        return (r, Date().timeIntervalSince(start))
    }

    // A chain of 6,000 macros overflowed the stack: the depth limit now applies to the
    // expression with its macros expanded, at the first use that crosses it (`m1000` uses
    // `m999`, 1,999 levels, at level 2), and once only.
    @Test(arguments: [("!PREV", "true", "m6000"), ("\"x\" + PREV", "\"x\"", "m6000 == \"c\""),
                      ("PREV || alertname == \"a\"", "false", "m6000")])
    func macroChainsAreBoundedByTheExpandedDepth(step: String, first: String, when: String) {
        let (d, seconds) = Self.timed { check(Self.chain(6_000, first: first, step: step, when: when)) }
        #expect(Self.found(d) == ["E0106@1003"])
        #expect(d.first?.message == "expression nested too deeply")
        #expect(d.first?.label == "more than 2000 levels with macros expanded")
        #expect(d.first?.notes.map(\.label) == ["`m999` expands to 1999 levels"])
        #expect(seconds < 10)
    }

    @Test func aChainJustUnderTheLimitIsAccepted() {
        #expect(Self.found(check(Self.chain(999, first: "true", step: "!PREV", when: "m999"))) == [])
    }

    // A rule's own levels count too: a macro of 21 levels at level 1,990 of a `||` chain.
    @Test func theUseSiteDepthCountsWithTheMacro() {
        let chain = (0..<1_989).map { "alertname == \"a\($0)\"" }.joined(separator: " || ")
        let d = check(Self.chain(10, first: "true", step: "!PREV", when: "m10 || \(chain)"))
        #expect(Self.found(d) == ["E0106@18"])
    }

    // Macros used inside `any`: their loops add to the loops around the use.
    @Test func macroLoopsAddToTheLoopsAroundTheirUse() {
        let inner = String(repeating: "any(split(alertname, \",\"), ", count: 4) + "it == \"a\"" + String(repeating: ")", count: 4)
        let pack = "rulelang: 1\nmacros:\n  m: '\(inner)'\n" + Self.routeTail(
            String(repeating: "any(split(alertname, \",\"), ", count: 5) + "m" + String(repeating: ")", count: 5))
        let d = check(pack)
        #expect(Self.found(d) == ["E0106@8"])
        #expect(d.first?.message == "`any`/`all` nested more than 8 deep")
    }

    // 30 macros `mN: mN-1 && mN-1` (2^30 nodes expanded) took more than 30 s: facts are
    // memoised per macro, and the cost saturates and is reported.
    @Test func doublingMacrosAreCheckedOnceEach() {
        let (d, seconds) = Self.timed { check(Self.chain(70, first: "alertname == \"a\"", step: "PREV && PREV", when: "m70")) }
        #expect(Self.found(d) == ["E0308@77"])
        #expect(d.first?.message == "rule `r` may run more than 9223372036854775806 instructions, over the budget of 10000")
        #expect(seconds < 5)
        let d30 = check(Self.chain(30, first: "alertname == \"a\"", step: "PREV && PREV", when: "m30"))
        #expect(d30.first?.message == "rule `r` may run 4294967295 instructions, over the budget of 10000")
    }

    // Shared macros just under the budget: accepted, and their cost is that of the expansion.
    @Test func sharedMacrosUnderTheBudget() {
        let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text:
            Self.chain(11, first: "alertname == \"a\"", step: "PREV && PREV", when: "m11"))])
        #expect(Self.found(d) == [])
        #expect(checked.rules.first?.cost == 3 * 2_048 + 2_047)
    }

    // `TypedExpr.cost` trapped: 8 nested `any` over computed lists, or 5 over 10,000-item lists
    // (here 7 over 1,000 items, which overflows as well and loads faster).
    @Test func nestedQuantifierCostsSaturate() {
        let split = String(repeating: "any(split(alertname, \",\"), ", count: 8) + "it == \"a\"" + String(repeating: ")", count: 8)
        #expect(Self.found(check(routePack(split))) == ["E0308@5"])
        let items = (0..<1_000).map { "\"\($0)\"" }.joined(separator: ", ")
        let big = "rulelang: 1\nlists:\n  big: [\(items)]\n" + Self.routeTail(
            String(repeating: "any(big, ", count: 7) + "true" + String(repeating: ")", count: 7))
        let d = check(big)
        #expect(Self.found(d) == ["E0308@7"])
        #expect(d.first?.message == "rule `r` may run more than 9223372036854775806 instructions, over the budget of 10000")
    }

    // A 1 MB zone name took 16 s to get its did-you-mean; a zone with a NUL was accepted.
    @Test func hostileZoneNames() {
        let (d, seconds) = Self.timed { check("rulelang: 1\ntimezone: " + String(repeating: "Q", count: 1_000_000) + "\n" + Self.routeTail("alertname == \"a\"")) }
        #expect(Self.found(d) == ["E0406@2"])
        #expect(d.first?.message == "unknown time zone `" + String(repeating: "Q", count: 64) + "…`")
        #expect(d.first?.help == ["use an IANA zone name such as `UTC`, `Europe/Paris` or `America/New_York`"])
        #expect(seconds < 5)
        let nul = check("rulelang: 1\ntimezone: \"UTC\\0garbage\"\n" + Self.routeTail("alertname == \"a\""))
        #expect(Self.found(nul) == ["E0406@2"])
        #expect(nul.first?.message == "unknown time zone `UTC\\u{0}garbage`")
        let window = "rulelang: 1\ntime_windows:\n  w: {weekdays: [mon], hours: \"09:00-17:00\", timezone: \"Europe/Paris\\u0000\"}\n"
        #expect(Self.found(check(window + Self.routeTail("in_window(w)"))) == ["E0406@3"])
        #expect(Self.found(check("rulelang: 1\ntimezone: Europe/Pariss\n" + Self.routeTail("alertname == \"a\"")))
            == ["E0406@2"])
    }

    @Test func suggestionsStillComeForShortNames() {
        let d = check("rulelang: 1\ntimezone: Europe/Pariss\n" + Self.routeTail("alertname == \"a\""))
        #expect(d.first?.help == ["did you mean `Europe/Paris`?"])
        #expect(editDistance(Array("kitten".unicodeScalars), Array("sitting".unicodeScalars), limit: 2) == nil)
        #expect(editDistance(Array("kitten".unicodeScalars), Array("sitten".unicodeScalars), limit: 2) == 1)
        #expect(editDistance(Array("abcdef".unicodeScalars), Array("abdcfe".unicodeScalars), limit: 2) == nil)
        #expect(editDistance(Array("abcdef".unicodeScalars), Array("bcdefg".unicodeScalars), limit: 2) == 2)
        #expect(editDistance(Array("ab".unicodeScalars), Array("".unicodeScalars), limit: 2) == 2)
    }

    // Thousands of labels used once and as many used twice, and as many unknown names under a
    // schema: the near-name hints stay within their budget instead of comparing every pair.
    @Test func manyNamesAreCheckedInBoundedTime() {
        var once: [String] = [], twice: [String] = []
        for i in 0..<4_000 {
            once.append("labels.lab\(i) == \"x\"")
            twice.append("lbb\(i) == \"x\" || lbb\(i) == \"y\"")
        }
        let routes = stride(from: 0, to: 4_000, by: 400).map { j in
            (once[j..<j + 400] + twice[j..<j + 400]).joined(separator: " || ").replacingOccurrences(of: "labels.lab", with: "laa")
        }
        var pack = "rulelang: 1\nchannels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/hook\"}\nroutes:\n"
        for (i, w) in routes.enumerated() { pack += "  - {name: r\(i), when: '\(w)', notify: [c]}\n" }
        pack += "  - {name: default, when: true, notify: [c]}\n"
        let (d, seconds) = Self.timed { check(pack) }
        // Each hint compares 4,010 candidates (the labels used twice, and the alert fields).
        #expect(d.allSatisfy { $0.code.id == "W0006" })
        #expect(d.count == ExprChecker.suggestionBudget / 4_010)
        #expect(seconds < 20)
    }
}

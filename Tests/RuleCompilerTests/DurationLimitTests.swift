import RuleCompiler
import RuleLang
import RuleRuntime
import Testing

/// `duration()` reads text at run time with the limit every written duration has: at most
/// 3650d, longer is no duration (missing), optimized or not, so a computed duration cannot
/// reach the 64-bit limit through it.
@Suite struct DurationLimitTests {
    static let pack = """
        rulelang: 1
        channels:
          c: {type: webhook, url: "http://127.0.0.1:9/hook"}
        routes:
          - {name: r, when: '(duration(labels.d) ?? 0s) > 1d', notify: [c]}
          - {name: default, when: true, notify: [c]}

        """

    @Test(arguments: [("3650d", ["r"]), ("87600h", ["r"]), ("3650d1ms", ["default"]), ("3651d", ["default"]),
                      ("106751991167d", ["default"]), ("106751991168d", ["default"]), ("2d", ["r"])])
    func durationFromTextIsBounded(_ text: String, _ routes: [String]) {
        for optimize in [true, false] {
            let (pack, _) = compilePack(Self.pack, optimize: optimize)
            let got = PackEvaluator(pack: pack).evaluate(alert(["alertname": "A", "d": text]), now: jan1).routes.map { $0.joined(separator: "/") }
            #expect(got == routes, "\(text) optimize \(optimize)")
        }
    }
}

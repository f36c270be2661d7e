import RuleText
import RuleRuntime
import Testing
@testable import RuleCompiler
import RuleLang
import RuleVM

@Suite struct RuleIndexTests {
    static let yaml = """
    rulelang: 1
    lists:
      payment_services: [checkout, payments, ledger]
    channels:
      c: {type: webhook, url: "http://127.0.0.1:9/"}
    routes:
      - {name: audit, when: 'team == "sec"', continue: true, notify: [c]}
      - {name: pay, when: 'service in payment_services && env == "prod"', notify: [c]}
      - {name: any-svc, when: 'env == "dev" || env == "qa"', notify: [c]}
      - {name: regex, when: 'service =~ "db-.*"', notify: [c]}
      - {name: checkout-eu, when: 'service == "checkout" && region startswith "eu-"', notify: [c]}
      - {name: mixed, when: 'service == "search" || team == "search"', notify: [c]}
      - {name: name, when: 'alertname == "Watchdog"', notify: [c]}
      - {name: default, when: true, notify: [c]}
    """

    @Test func guardsAndReasons() {
        let (pack, _) = compilePack(Self.yaml)
        let guards = pack.routes.map { r in r.guardTest.map { "\($0.label)=\($0.values.joined(separator: ","))" } ?? "-" }
        // In a conjunction the test with the fewest values is the guard (`env == "prod"`).
        #expect(guards == ["team=sec", "env=prod", "env=dev,qa", "-", "service=checkout", "-", "\u{0}alertname=Watchdog", "-"])
        #expect(pack.unindexed.map(\.rule) == ["route regex", "route mixed", "route default"])
        #expect(pack.unindexed.map(\.reason) == [.noLabelTest, .disjunction, .matchesEverything])
        let index = RuleIndex(guards: pack.routes.map(\.guardTest))
        // One table per guard label, the most common first (ties: the smaller name); rules
        // without a guard are scanned, merged in order with the alert's hits.
        #expect(index.label == "env")
        #expect(index.labels == ["env", "\u{0}alertname", "service", "team"])
        #expect(index.scanned == [3, 5, 7])
        #expect(index.candidates(["env": "prod"]) == [1, 3, 5, 7])
        #expect(index.candidates(["env": "qa", "team": "sec"]) == [0, 2, 3, 5, 7])
        #expect(index.candidates(["env": "staging"]) == [3, 5, 7])
        #expect(index.candidates([:]) == [3, 5, 7])
        #expect(index.candidates(["env": "prod", "service": "checkout", "\u{0}alertname": "Watchdog", "team": "sec"]) == [0, 1, 3, 4, 5, 6, 7])
    }

    /// Two spellings of one text (`é` as one code point, and `e` with a combining accent) are
    /// two values to the index, as to the VM, which compares bytes: each finds its own rule —
    /// for `==`, for `in`, for an `||` — and an index with many scanned rules (candidates merged
    /// per look-up, not ahead) finds the same.
    @Test func twoSpellingsAreTwoValues() {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let yaml = """
        rulelang: 1
        channels:
          c: {type: webhook, url: "http://127.0.0.1:9/"}
        routes:
          - {name: one, when: 'city == "\(composed)"', notify: [c]}
          - {name: two, when: 'city == "\(decomposed)"', notify: [c]}
          - {name: both, when: 'city in ["\(composed)", "\(decomposed)"]', notify: [c]}
          - {name: either, when: 'city == "\(decomposed)" || city == "\(composed)"', notify: [c]}
        """
        let (pack, _) = compilePack(yaml)
        let indexed = PackEvaluator(pack: pack), linear = PackEvaluator(pack: pack, indexed: false)
        for (city, route) in [(composed, "one"), (decomposed, "two")] {
            let x = indexed.evaluate(alert(["city": city]), now: jan1), y = linear.evaluate(alert(["city": city]), now: jan1)
            #expect(x.routes == [[route]] && y.routes == [[route]])
        }
        let index = RuleIndex(guards: pack.routes.map(\.guardTest))
        #expect(index.candidates(["city": composed]) == [0, 2, 3] && index.candidates(["city": decomposed]) == [1, 2, 3])
        // `in` and `||` list both spellings. With 40 scanned rules before them the candidates
        // are merged per look-up.
        let many = RuleIndex(guards: Array(repeating: nil, count: 40) + pack.routes.map(\.guardTest))
        #expect(many.candidates(["city": decomposed]) == Array(0..<40) + [41, 42, 43])
        #expect(many.candidates(["city": "other"]) == Array(0..<40))
    }

    /// The index never changes a decision: random alerts, indexed and linear, on this pack and
    /// on the bundled example packs.
    @Test func indexKeepsFirstMatchOrderExactly() {
        var packs = [compilePack(Self.yaml).0]
        for t in ["acme-payments", "globex-retail", "initech"] {
            packs.append(compileFolder(Repo.root.appendingPathComponent("rules/\(t)").path))
        }
        let values: [String: [String]] = [
            "service": ["checkout", "payments", "ledger", "search", "db-1", "web", "pos", "wms", "printer", ""],
            "env": ["prod", "dev", "qa", "staging", "production"], "team": ["sec", "search", "payments", "retail"],
            "region": ["eu-west-1", "us-east-1"], "alertname": ["Watchdog", "HighLatency", "CardDeclines", "PrinterJam", "DiskFull"],
            "store": ["s1", "s2"], "psp": ["adyen", "stripe"], "site": ["hq", "plant"],
        ]
        var state: UInt64 = 0x1D3
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for pack in packs {
            let indexed = PackEvaluator(pack: pack), linear = PackEvaluator(pack: pack, indexed: false)
            for _ in 0..<2_000 {
                var labels: [String: String] = [:]
                for (k, vs) in values where next(3) > 0 { labels[k] = vs[next(vs.count)] }
                let a = alert(labels, severity: UInt8(next(4)), value: Double(next(100)))
                let x = indexed.evaluate(a, now: jan1), y = linear.evaluate(a, now: jan1)
                #expect(x.routes == y.routes && x.enrich == y.enrich && x.suppress == y.suppress && x.correlate == y.correlate
                        && x.anomalies == y.anomalies, "\(pack.tenant): \(labels)")
            }
        }
    }
}

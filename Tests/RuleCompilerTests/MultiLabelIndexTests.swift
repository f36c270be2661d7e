import RuleRuntime
import Testing
import RuleCompiler
import RuleVM

/// The index over every guard label against a linear walk: generated packs whose rules are
/// guarded on several labels (and some on none, some with `continue`, some with children), and
/// generated alerts; every decision must be identical.
@Suite struct MultiLabelIndexTests {
    /// A small linear congruential generator: the same packs and alerts on every run.
    struct Seeded {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[next(xs.count)] }
    }

    static let teams = (0..<6).map { "t\($0)" }, services = (0..<8).map { "s\($0)" }
    static let names = (0..<5).map { "A\($0)" }, envs = ["prod", "dev", "qa"]

    /// One condition: guarded on team, service, alertname or env, or on two of them, or on none.
    static func condition(_ r: inout Seeded) -> String {
        switch r.next(11) {
        case 0: "team == \"\(r.pick(teams))\""
        case 1: "service in [\"\(r.pick(services))\", \"\(r.pick(services))\"]"
        case 2: "alertname == \"\(r.pick(names))\""
        case 3: "team == \"\(r.pick(teams))\" && service == \"\(r.pick(services))\""
        case 4: "alertname in [\"\(r.pick(names))\", \"\(r.pick(names))\"] && severity >= warning"
        case 5: "env == \"\(r.pick(envs))\" || env == \"\(r.pick(envs))\""
        case 6: "severity >= error"
        case 7: "service startswith \"s\(r.next(3))\""
        case 8: "team == \"\(r.pick(teams))\" || service == \"\(r.pick(services))\""
        case 9: "\"\(r.pick(services))\" == service && team != \"\(r.pick(teams))\""
        default: "env == \"\(r.pick(envs))\""
        }
    }

    /// A pack of `count` top-level routes (a third with children) and 12 suppress rules.
    static func pack(seed: UInt64, count: Int) -> String {
        var r = Seeded(state: seed)
        var yaml = "rulelang: 1\nchannels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/\"}\nsuppress:\n"
        for i in 0..<12 { yaml += "  - name: s\(i)\n    when: '\(condition(&r))'\n" }
        yaml += "routes:\n"
        for i in 0..<count {
            yaml += "  - name: r\(i)\n    when: '\(condition(&r))'\n    notify: [c]\n"
            if r.next(3) == 0 { yaml += "    continue: true\n" }
            if r.next(3) == 0 {
                yaml += "    routes:\n"
                for j in 0..<(2 + r.next(4)) {
                    yaml += "      - name: r\(i)-\(j)\n        when: '\(condition(&r))'\n"
                    if r.next(2) == 0 { yaml += "        continue: true\n" }
                }
            }
        }
        return yaml + "  - {name: default, when: true, notify: [c]}\n"
    }

    @Test(arguments: [(UInt64(1), 20), (2, 60), (3, 200)])
    func indexedEqualsLinear(seed: UInt64, count: Int) {
        let (compiledPack, _) = compilePack(Self.pack(seed: seed, count: count))
        // The generated packs do guard on several labels in one list.
        #expect(RuleIndex(guards: compiledPack.routes.map(\.guardTest)).labels.count == 4)
        let indexed = PackEvaluator(pack: compiledPack), linear = PackEvaluator(pack: compiledPack, indexed: false)
        var r = Seeded(state: seed &* 7919)
        var routed = Set<[[String]]>()
        for _ in 0..<3_000 {
            var labels: [String: String] = [:]
            if r.next(4) > 0 { labels["team"] = r.pick(Self.teams + ["other"]) }
            if r.next(4) > 0 { labels["service"] = r.pick(Self.services + ["other"]) }
            if r.next(4) > 0 { labels["alertname"] = r.pick(Self.names + ["Other"]) }
            if r.next(2) > 0 { labels["env"] = r.pick(Self.envs) }
            let a = alert(labels, severity: UInt8(r.next(4)))
            let x = indexed.evaluate(a, now: jan1), y = linear.evaluate(a, now: jan1)
            #expect(x.routes == y.routes && x.suppress == y.suppress, "seed \(seed): \(labels)")
            routed.insert(x.routes)
        }
        // The alerts reach many different route sets, not only the catch-all.
        #expect(routed.count > 20)
    }
}

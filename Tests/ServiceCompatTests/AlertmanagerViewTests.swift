import AlertEngine
import Foundation
import RuleCompiler
import RuleRuntime
import RuleVM
import ServiceCompat
import Testing

/// `GET /api/v2/alerts`: our alerts as `gettableAlert`, and the query as Alertmanager applies it.
@Suite struct AlertmanagerViewTests {
    static let t0 = Fixtures.ms("2026-12-01T10:00:00Z")

    /// An engine holding: a web alert (routed to team-web and pd), a db alert (team-db), one
    /// muted by the `maintenance` suppress rule, one muted by a runtime silence, one resolved.
    static func engine() -> Engine {
        var e = Engine(pack: Fixtures.pack.1)
        let (silence, _) = SilenceCompiler.compile(#"(labels["alertname"] ?? "") == "Muted""#, id: "5b1e4c9a-0d2f-4f5e-9a7b-1c2d3e4f5a6b",
                                                   for: Fixtures.pack.0)
        _ = e.handle(.silenceAdded(silence!, expiresAt: t0 + 3_600_000), at: t0)
        for labels in [["alertname": "Web", "service": "web"], ["alertname": "Db", "service": "db", "instance": "db-1"],
                       ["alertname": "Maint", "service": "db", "env": "maint"], ["alertname": "Muted", "service": "web"],
                       ["alertname": "Gone", "service": "db"]] {
            _ = e.handle(.alert(AlertInput(labels: labels, startsAt: t0, source: "http://prom/graph")), at: t0)
        }
        _ = e.handle(.resolve("Gone"), at: t0 + 1_000)
        return e
    }

    static func gettable(_ e: Engine) -> [Alertmanager.GettableAlert] {
        e.state.alerts.values.compactMap { Alertmanager.gettable($0, updatedAt: t0 + 500, endsAt: nil, pack: e.pack) }
    }

    @Test func anAlertEncodesAsAlertmanagerWritesIt() throws {
        let e = Self.engine()
        let web = try #require(e.state.alerts.values.first { $0.alertname == "Web" })
        let g = try #require(Alertmanager.gettable(web, updatedAt: Self.t0 + 500, endsAt: Self.t0 + 300_000, pack: e.pack))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(g), as: UTF8.self)
        #expect(json == """
            {"annotations":{},"endsAt":"2026-12-01T10:05:00.000Z","fingerprint":"\(Fingerprint.of(["alertname": "Web", "service": "web"]))",\
            "generatorURL":"http://prom/graph","labels":{"alertname":"Web","service":"web"},"receivers":[{"name":"team-web"},{"name":"pd"}],\
            "startsAt":"2026-12-01T10:00:00.000Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},\
            "updatedAt":"2026-12-01T10:00:00.500Z"}
            """)
        // The same keys, recursively, as Alertmanager 0.25's own answer to amtool.
        let real = try #require((Fixtures.amtool("GET", "/api/v2/alerts")[0].response as? [[String: Any]])?.first)
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(keyPaths(ours) == keyPaths(real))
    }

    @Test func statusSaysWhatMutesEachAlertAndResolvedAlertsAreNotListed() {
        let byName = Dictionary(uniqueKeysWithValues: Self.gettable(Self.engine()).map { ($0.labels["alertname"]!, $0) })
        #expect(byName.keys.sorted() == ["Db", "Maint", "Muted", "Web"])
        #expect(byName["Db"]?.status == Alertmanager.AlertStatus(state: .active, silencedBy: [], inhibitedBy: []))
        #expect(byName["Db"]?.receivers == [Alertmanager.Receiver(name: "team-db")])
        #expect(byName["Maint"]?.status == Alertmanager.AlertStatus(state: .suppressed, silencedBy: [], inhibitedBy: ["maintenance"]))
        #expect(byName["Muted"]?.status == Alertmanager.AlertStatus(state: .suppressed, silencedBy: ["5b1e4c9a-0d2f-4f5e-9a7b-1c2d3e4f5a6b"],
                                                                   inhibitedBy: []))
        #expect(byName["Web"]?.endsAt == "0001-01-01T00:00:00.000Z")
    }

    static let queries: [([(String, String)], [String])] = [
        ([], ["Db", "Maint", "Muted", "Web"]),
        // amtool's default query: active only.
        ([("active", "true"), ("inhibited", "false"), ("silenced", "false"), ("unprocessed", "false")], ["Db", "Web"]),
        ([("active", "false")], ["Maint", "Muted"]),
        ([("silenced", "false")], ["Db", "Maint", "Web"]),
        ([("inhibited", "0")], ["Db", "Muted", "Web"]),
        ([("filter", "service=db")], ["Db", "Maint"]),
        ([("filter", "service=db"), ("filter", "env!=maint")], ["Db"]),
        ([("filter", #"instance=~"db-[0-9]+""#)], ["Db"]),
        ([("filter", "instance=")], ["Maint", "Muted", "Web"]),
        ([("filter", #"alertname!~"M.*""#)], ["Db", "Web"]),
        ([("receiver", "team-.*")], ["Db", "Maint", "Muted", "Web"]),
        ([("receiver", "pd")], ["Muted", "Web"]),
        ([("receiver", "p")], []),
        ([("unknown", "x")], ["Db", "Maint", "Muted", "Web"]),
    ]

    @Test(arguments: queries)
    func queriesKeepWhatAlertmanagerKeeps(parameters: [(String, String)], names: [String]) throws {
        let query = try Alertmanager.AlertQuery(parameters: parameters.map { (name: $0.0, value: $0.1) })
        let kept = query.apply(Self.gettable(Self.engine()))
        #expect(kept.map { $0.labels["alertname"]! }.sorted() == names)
        #expect(kept.map(\.fingerprint) == kept.map(\.fingerprint).sorted())
    }

    @Test func amtoolsRecordedQueriesParse() throws {
        for exchange in Fixtures.amtool("GET", "/api/v2/alerts") {
            _ = try Alertmanager.AlertQuery(parameters: exchange.parameters)
        }
        let second = try Alertmanager.AlertQuery(parameters: Fixtures.amtool("GET", "/api/v2/alerts")[1].parameters)
        #expect(second.apply(Self.gettable(Self.engine())).isEmpty)   // alertname=DiskFull: none here
    }

    static let badQueries: [(String, String, String)] = [
        ("filter", "foo", "bad matcher format: foo"),
        ("filter", #"a=~"x"#, #"matcher value contains unescaped double quote: "x"#),
        ("active", "yes", "must be true or false, found `yes`"),
        ("receiver", "(", "invalid regular expression `(`"),
    ]

    @Test(arguments: badQueries)
    func badQueriesNameTheParameter(name: String, value: String, message: String) {
        #expect(throws: CompatProblem(field: name, message: message)) {
            try Alertmanager.AlertQuery(parameters: [(name: name, value: value)])
        }
    }
}

/// Every key path of a JSON object (`status.state`), lists read through their first element;
/// `labels` and `annotations` hold the sender's names, so only they themselves count.
func keyPaths(_ value: Any, _ prefix: String = "") -> Set<String> {
    if let o = value as? [String: Any] {
        return o.reduce(into: Set<String>()) { out, pair in
            let path = prefix.isEmpty ? pair.key : "\(prefix).\(pair.key)"
            out.insert(path)
            if pair.key != "labels" && pair.key != "annotations" { out.formUnion(keyPaths(pair.value, path)) }
        }
    }
    if let list = value as? [Any], let first = list.first { return keyPaths(first, prefix + "[]") }
    return []
}

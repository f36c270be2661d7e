import AlertEngine
import Foundation
import RuleRuntime
import RuleVM
import ServiceCompat
import Testing

/// What Prometheus 2.42 really posts (Fixtures/prometheus), read at the moment it arrived.
@Suite struct PrometheusTests {
    static let posts: [(authorization: String, body: String)] = {
        Fixtures.text("prometheus/posts.jsonl").split(separator: "\n").map { line in
            let o = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let body = try! JSONSerialization.data(withJSONObject: o["body"]!, options: [.sortedKeys])
            return (o["authorization"] as! String, String(decoding: body, as: UTF8.self))
        }
    }()

    static let labels = ["alertname": "HalfTime", "service": "db", "severity": "critical"]
    static let generator = "http://vm:0/graph?g0.expr=vector%28time%28%29+%25+20%29+%3C+10&g0.tab=1"

    @Test func theKeyTravelsAsABearerToken() {
        #expect(Self.posts.count == 2)
        #expect(Self.posts.allSatisfy { $0.authorization == "Bearer test-key" })
    }

    @Test func aResolvedAndAFiringAlertMapExactly() throws {
        let resolved = try Alertmanager.readAlerts(Self.posts[0].body, now: Fixtures.ms("2026-12-08T00:34:31Z"), tenant: "t", tier: "gold").get()
        #expect(resolved.count == 1)
        #expect(resolved[0].input.labels == Self.labels)
        #expect(resolved[0].input.annotations == ["summary": "half of the time"])
        #expect(resolved[0].input.source == Self.generator)
        #expect(resolved[0].input.startsAt == Fixtures.ms("2026-12-08T00:34:20.357Z"))
        #expect(resolved[0].input.endsAt == Fixtures.ms("2026-12-08T00:34:30.357Z"))
        #expect(resolved[0].resolves)

        let firing = try Alertmanager.readAlerts(Self.posts[1].body, now: Fixtures.ms("2026-12-08T00:34:41Z"), tenant: "t", tier: "gold").get()
        #expect(firing[0].input.startsAt == Fixtures.ms("2026-12-08T00:34:40.357Z"))
        #expect(firing[0].input.endsAt == Fixtures.ms("2026-12-08T00:38:40.357Z"))
        #expect(!firing[0].resolves)
        #expect(firing[0].fingerprint == resolved[0].fingerprint)

        // In the engine, in the order they came: the resolve finds nothing open, the firing
        // alert opens one, routed by the pack's `db` route to channel team-db.
        var engine = Engine(pack: Fixtures.pack.1)
        _ = engine.handle(.alert(resolved[0].input), at: Fixtures.ms("2026-12-08T00:34:31Z"))
        #expect(engine.state.alerts.isEmpty)
        _ = engine.handle(.alert(firing[0].input), at: Fixtures.ms("2026-12-08T00:34:41Z"))
        let alert = try #require(engine.state.alerts.values.first)
        #expect(alert.status == .firing && alert.routes == ["db"] && alert.severity == 3)
        let listed = try #require(Alertmanager.gettable(alert, updatedAt: Fixtures.ms("2026-12-08T00:34:41Z"), endsAt: firing[0].input.endsAt,
                                                        pack: engine.pack))
        #expect(listed.receivers == [Alertmanager.Receiver(name: "team-db")])
        #expect(listed.endsAt == "2026-12-08T00:38:40.357Z" && listed.generatorURL == Self.generator)
    }
}

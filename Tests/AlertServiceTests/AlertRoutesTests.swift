import AlertService
import Foundation
import HummingbirdTesting
import Testing

/// The native alert API through a live server: ingest and read back, lifecycle, lists.
@Suite struct AlertRoutesTests {
    @Test func anAlertIsIngestedAndReadBackWithItsTimeline() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        let service = try await h.service()
        try await h.live(service) { client in
            let (status, created) = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA,
                                                          body: alertBody(["alertname": "DiskFull", "instance": "db1"]))
            #expect(status == 201)
            #expect(created["id"] as? String == "1")
            #expect(created["status"] as? String == "firing")
            #expect(created["routes"] as? [String] == ["all"])
            #expect(created["suppressed_by"] is NSNull)
            #expect((created["fingerprint"] as? String)?.count == 16)
            let (got, alert) = try await client.call(.get, "/api/v1/critical-alerts/1", key: h.keyA)
            #expect(got == 200)
            #expect(alert["labels"] as? [String: String] == ["alertname": "DiskFull", "instance": "db1"])
            #expect(alert["severity"] as? String == "critical")
            #expect(alert["fingerprint"] as? String == created["fingerprint"] as? String)
            let kinds = (alert["timeline"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
            #expect(kinds.prefix(2) == ["received", "routed"])
        }
    }

    @Test func aSuppressedAlertSaysByWhat() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            let (status, created) = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA,
                                                          body: alertBody(["alertname": "DiskFull", "env": "maint"]))
            #expect(status == 201)
            #expect(created["suppressed_by"] as? String == "maint")
            #expect(created["notifications"] as? [Any] != nil)
            #expect((created["notifications"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func ackResolveAndEscalateByID() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            _ = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": "A"]))
            _ = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": "B"]))
            let (escalated, e) = try await client.call(.put, "/api/v1/critical-alerts/2/escalate", key: h.keyA)
            #expect(escalated == 200)
            #expect(e["status"] as? String == "firing")
            let (acked, a) = try await client.call(.post, "/api/v1/critical-alerts/1/ack", key: h.keyA)
            #expect(acked == 200)
            #expect(a["status"] as? String == "acknowledged")
            let (resolved, r) = try await client.call(.post, "/api/v1/critical-alerts/1/resolve", key: h.keyA)
            #expect(resolved == 200)
            #expect(r["status"] as? String == "resolved")
            // Resolved: acknowledging it again changes nothing, and says so by its status.
            let (again, g) = try await client.call(.post, "/api/v1/critical-alerts/1/ack", key: h.keyA)
            #expect(again == 200)
            #expect(g["status"] as? String == "resolved")
            let (_, shown) = try await client.call(.get, "/api/v1/critical-alerts/1", key: h.keyA)
            let timeline = shown["timeline"] as? [[String: Any]] ?? []
            let kinds = timeline.compactMap { $0["kind"] as? String }
            #expect(kinds.contains("acknowledged"))
            // The channel that paged it hears of its resolution.
            #expect(kinds.suffix(2) == ["resolved", "notified"])
            #expect((timeline.last?["detail"] as? String)?.hasPrefix("slack resolved (alpha-") == true)
            let (_, escalatedShown) = try await client.call(.get, "/api/v1/critical-alerts/2", key: h.keyA)
            let escalations = (escalatedShown["timeline"] as? [[String: Any]])?.filter { $0["kind"] as? String == "escalated" } ?? []
            #expect(escalations.compactMap { $0["detail"] as? String }.contains("oncall level 1"))
        }
    }

    @Test func theListIsNewestFirstFilteredAndCursorPaged() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            for i in 1...5 {
                _ = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA,
                                          body: alertBody(["alertname": "X\(i)", "team": i % 2 == 0 ? "db" : "web"], severity: i == 3 ? "warning" : "critical"))
            }
            _ = try await client.call(.post, "/api/v1/critical-alerts/4/resolve", key: h.keyA)
            func ids(_ json: [String: Any]) -> [String] { (json["alerts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? [] }
            let (s1, page1) = try await client.call(.get, "/api/v1/critical-alerts?limit=2", key: h.keyA)
            #expect(s1 == 200)
            #expect(ids(page1) == ["5", "4"])
            let cursor = try #require(page1["next_cursor"] as? String)
            let (_, page2) = try await client.call(.get, "/api/v1/critical-alerts?limit=2&cursor=\(cursor)", key: h.keyA)
            #expect(ids(page2) == ["3", "2"])
            let (_, page3) = try await client.call(.get, "/api/v1/critical-alerts?limit=2&cursor=\(page2["next_cursor"] as? String ?? "")", key: h.keyA)
            #expect(ids(page3) == ["1"])
            #expect(page3["next_cursor"] is NSNull)
            #expect(ids(try await client.call(.get, "/api/v1/critical-alerts?status=resolved", key: h.keyA).1) == ["4"])
            #expect(ids(try await client.call(.get, "/api/v1/critical-alerts?severity=warning", key: h.keyA).1) == ["3"])
            #expect(ids(try await client.call(.get, "/api/v1/critical-alerts?label=team=db&status=firing", key: h.keyA).1) == ["2"])
        }
    }

    @Test func bulkAnswersPerItemAndOneBadItemFailsOnlyItself() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            let body = "[\(alertBody(["alertname": "A"])), {\"labels\": {\"alertname\": 5}}, \(alertBody(["alertname": "C"]))]"
            let (status, json) = try await client.call(.post, "/api/v1/critical-alerts/bulk", key: h.keyA, body: body)
            #expect(status == 200)
            let results = json["results"] as? [[String: Any]] ?? []
            #expect(results.compactMap { $0["code"] as? Int } == [201, 400, 201])
            #expect(results.compactMap { $0["id"] as? String } == ["1", "2"])
            #expect(errorOf(results[1]).field == "[1].labels.alertname")
            #expect(json["accepted"] as? Int == 2)
            #expect(json["rejected"] as? Int == 1)
        }
    }

    @Test func healthAndReadiness() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        let notLoaded = try AlertService(config: h.config, logger: .init(label: "test"))
        try await notLoaded.application().test(.router) { client in
            #expect(try await client.call(.get, "/healthz", key: nil).0 == 200)
            let (status, json) = try await client.call(.get, "/readyz", key: nil)
            #expect(status == 503)
            #expect(errorOf(json).code == "not_ready")
            #expect(try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": "A"])).0 == 503)
        }
        try await notLoaded.loadTenants()
        try await notLoaded.application().test(.router) { client in
            let (status, json) = try await client.call(.get, "/readyz", key: nil)
            #expect(status == 200)
            #expect(json["status"] as? String == "ready")
        }
    }
}

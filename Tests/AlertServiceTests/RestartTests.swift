@testable import AlertService
import Foundation
import HummingbirdTesting
import ServiceStore
import Testing

/// A restart of the service on the same files rebuilds the same state: the engines (equal
/// states), the read models, the audit chain.
@Suite struct RestartTests {
    @Test func aRestartRebuildsTheSameState() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        let first = try await h.service()
        @Sendable func text(_ json: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
        }
        let before: String = try await h.live(first) { client in
            for i in 1...6 {
                _ = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": "X\(i % 3)", "n": "\(i)"]))
            }
            _ = try await client.call(.post, "/api/v1/critical-alerts/2/ack", key: h.keyA)
            _ = try await client.call(.post, "/api/v1/critical-alerts/3/resolve", key: h.keyA)
            _ = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyB, body: alertBody(["alertname": "B"]))
            return try text(try await client.call(.get, "/api/v1/critical-alerts/2", key: h.keyA).1)
        }
        let stateA = try #require(await first.registry.engine(TenantID("alpha"))?.state())
        let stateB = try #require(await first.registry.engine(TenantID("beta"))?.state())

        let second = try await h.service()
        #expect(try await second.registry.engine(TenantID("alpha"))?.state() == stateA)
        #expect(try await second.registry.engine(TenantID("beta"))?.state() == stateB)
        try await h.live(second) { client in
            let (status, after) = try await client.call(.get, "/api/v1/critical-alerts/2", key: h.keyA)
            #expect(status == 200)
            #expect(try text(after) == before)
            // New alerts continue the numbering.
            let (_, created) = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": "New"]))
            #expect(created["id"] as? String == "7")
        }
        let store = try SQLiteStore(path: h.config.dbPath)
        for t in ["alpha", "beta"] {
            #expect(AuditChain.verify(tenant: TenantID(t), try await store.audit(TenantID(t))) == nil)
        }
    }

    @Test func aChangedPackIsSwappedInAtStartAndLogged() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        let first = try await h.service()
        #expect(await first.registry.engine(TenantID("alpha"))?.packVersion == 1)
        try ServiceHarness.pack("alpha", suppress: "staging").write(toFile: "\(h.folder)/rules/alpha/00-pack.yaml", atomically: true, encoding: .utf8)
        let second = try await h.service()
        #expect(await second.registry.engine(TenantID("alpha"))?.packVersion == 2)
        #expect(await second.registry.engine(TenantID("beta"))?.packVersion == 1)
        try await h.live(second) { client in
            let (_, created) = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": "A", "env": "staging"]))
            #expect(created["suppressed_by"] as? String == "maint")
        }
        let third = try await h.service()
        #expect(await third.registry.engine(TenantID("alpha"))?.packVersion == 2)
    }

    @Test func aPackWithAnUnsetSecretIsRefusedForItsTenantOnly() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        let secretPack = ServiceHarness.pack("beta").replacingOccurrences(of: "routing_key: k", with: "routing_key: \"${secret:RULELANG_TEST_UNSET_PD}\"")
        try secretPack.write(toFile: "\(h.folder)/rules/beta/00-pack.yaml", atomically: true, encoding: .utf8)
        let service = try await h.service()
        #expect(service.registry.refused(TenantID("beta"))?.firstCode == "E0405")
        #expect(service.registry.engine(TenantID("beta")) == nil)
        try await h.live(service) { client in
            let (status, json) = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyB, body: alertBody(["alertname": "B"]))
            #expect(status == 503)
            #expect((json["error"] as? [String: Any])?["message"] as? String == "tenant `beta` has no pack loaded: its pack was refused (E0405)")
            #expect(try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": "A"])).0 == 201)
        }
        #expect(h.logs.text.contains(#""code":"E0405""#))
        #expect(!h.logs.text.contains(h.keyA))
    }
}

import AlertService
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Tenant isolation: a key sees and acts on its own tenant's alerts only; another tenant's id is
/// 404, as an unknown one is. And keys: none, unknown or admin on a tenant route.
@Suite struct TenancyTests {
    @Test func aTenantCannotSeeOrActOnAnothersAlerts() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            // Alpha has alerts 1…3; beta has 1 only.
            for name in ["A1", "A2", "A3"] { _ = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": name])) }
            let (_, b) = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyB, body: alertBody(["alertname": "B1", "secret": "beta-only"]))
            #expect(b["id"] as? String == "1")
            for (method, path) in [(HTTPRequest.Method.get, "/api/v1/critical-alerts/3"), (.post, "/api/v1/critical-alerts/3/ack"),
                                   (.post, "/api/v1/critical-alerts/3/resolve"), (.put, "/api/v1/critical-alerts/3/escalate")] {
                let (status, json) = try await client.call(method, path, key: h.keyB)
                #expect(status == 404, "\(method) \(path)")
                #expect(errorOf(json).code == "not_found")
            }
            // Alpha's alert 3 is untouched by beta's attempts.
            let (_, a3) = try await client.call(.get, "/api/v1/critical-alerts/3", key: h.keyA)
            #expect(a3["status"] as? String == "firing")
            // Each list holds its own tenant's alerts only.
            let (_, listB) = try await client.call(.get, "/api/v1/critical-alerts", key: h.keyB)
            let namesB = (listB["alerts"] as? [[String: Any]])?.compactMap { ($0["labels"] as? [String: String])?["alertname"] }
            #expect(namesB == ["B1"])
            let (_, listA) = try await client.call(.get, "/api/v1/critical-alerts?label=secret=beta-only", key: h.keyA)
            #expect((listA["alerts"] as? [Any])?.isEmpty == true)
            // Id 1 exists in both: each key reads its own.
            let (_, a1) = try await client.call(.get, "/api/v1/critical-alerts/1", key: h.keyA)
            #expect((a1["labels"] as? [String: String])?["alertname"] == "A1")
            let (_, b1) = try await client.call(.get, "/api/v1/critical-alerts/1", key: h.keyB)
            #expect((b1["labels"] as? [String: String])?["alertname"] == "B1")
        }
    }

    @Test func keysNoneUnknownAndAdmin() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            let body = alertBody(["alertname": "A"])
            let (none, n) = try await client.call(.post, "/api/v1/critical-alerts", key: nil, body: body)
            #expect(none == 401)
            #expect(errorOf(n).code == "unauthorized")
            let (unknown, _) = try await client.call(.post, "/api/v1/critical-alerts", key: "rlk_not-a-key", body: body)
            #expect(unknown == 401)
            let (admin, a) = try await client.call(.post, "/api/v1/critical-alerts", key: h.admin, body: body)
            #expect(admin == 403)
            #expect(errorOf(a).code == "forbidden")
            // None of them stored anything.
            let (_, list) = try await client.call(.get, "/api/v1/critical-alerts", key: h.keyA)
            #expect((list["alerts"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func theKeysFileHoldsOnlyHashes() throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        let text = try String(contentsOfFile: "\(h.folder)/keys", encoding: .utf8)
        #expect(!text.contains(h.keyA))
        #expect(!text.contains(h.admin))
        let keys = try APIKeys.load("\(h.folder)/keys")
        #expect(keys.entries.map { $0.tenant?.name ?? "admin" } == ["alpha", "beta", "admin"])
        #expect(keys.caller(for: h.keyB)?.tenant?.name == "beta")
        #expect(keys.caller(for: h.admin)?.admin == true)
        #expect(keys.caller(for: h.keyA + "x") == nil)
        let mode = try FileManager.default.attributesOfItem(atPath: "\(h.folder)/keys")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aMalformedKeysFileIsNamedWithItsLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# keys\n\(String(repeating: "ab", count: 32)) tenant alpha\nnot-a-hash tenant beta\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: KeyError.self) { try APIKeys.load(path) }
        do { _ = try APIKeys.load(path) } catch { #expect("\(error)" == "`\(path)` line 3: expected a SHA-256 in hex (64 digits) first") }
    }
}

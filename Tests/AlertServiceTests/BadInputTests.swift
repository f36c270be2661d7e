import AlertService
import Foundation
import HummingbirdTesting
import Testing

/// Bad input gets the right 4xx naming the field, and nothing of a rejected request is stored.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let path: String
        let body: [UInt8]
        let status: Int
        let field: String?

        init(_ d: String, path: String = "/api/v1/critical-alerts", _ body: String, field: String?) {
            description = d
            self.path = path
            self.body = Array(body.utf8)
            status = 400
            self.field = field
        }

        init(_ d: String, bytes: [UInt8], _ status: Int, field: String?) {
            description = d
            path = "/api/v1/critical-alerts"
            body = bytes
            self.status = status
            self.field = field
        }
    }

    static let cases: [Case] = [
        Case("malformed JSON", #"{"labels": {"#, field: "(body)"),
        Case("not an object", #"[1, 2]"#, field: "(body)"),
        Case("no labels", #"{"severity": "critical"}"#, field: "labels"),
        Case("no alertname", #"{"labels": {"env": "prod"}}"#, field: "labels.alertname"),
        Case("a label of the wrong type", #"{"labels": {"alertname": "A", "n": 3}}"#, field: "labels.n"),
        Case("a bad label name", #"{"labels": {"alertname": "A", "bad-name": "x"}}"#, field: "labels.bad-name"),
        Case("an unknown severity", #"{"labels": {"alertname": "A"}, "severity": "loud"}"#, field: "severity"),
        Case("an unknown field", #"{"labels": {"alertname": "A"}, "colour": "red"}"#, field: "colour"),
        Case("a bad time", #"{"labels": {"alertname": "A"}, "starts_at": "yesterday"}"#, field: "starts_at"),
        Case("an oversize label value", #"{"labels": {"alertname": "A", "big": "\#(String(repeating: "x", count: 5000))"}}"#, field: "labels.big"),
        Case("invalid UTF-8", bytes: Array(#"{"labels": {"alertname": ""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8), 400, field: "(body)"),
        Case("a body over 1 MiB", bytes: Array(#"{"labels": {"alertname": "A"}, "annotations": {"a": ""#.utf8) + [UInt8](repeating: 0x61, count: 1_100_000) + Array(#""}}"#.utf8), 413, field: "(body)"),
        Case("bulk: not an array", path: "/api/v1/critical-alerts/bulk", #"{"labels": {}}"#, field: "(body)"),
        Case("bulk: 10,001 items", path: "/api/v1/critical-alerts/bulk", "[" + Array(repeating: #"{"labels":{"alertname":"A"}}"#, count: 10_001).joined(separator: ",") + "]", field: "(body)"),
    ]

    @Test(arguments: cases)
    func aBadBodyIsRefusedNamingTheFieldAndStoresNothing(_ c: Case) async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            let (status, json) = try await client.call(.post, c.path, key: h.keyA, bytes: c.body)
            #expect(status == c.status)
            #expect(errorOf(json).field == c.field)
            let message = (json["error"] as? [String: Any])?["message"] as? String ?? ""
            if let f = c.field, f != "(body)" { #expect(message.contains("`\(f)`"), "\(message)") }
            let (_, list) = try await client.call(.get, "/api/v1/critical-alerts", key: h.keyA)
            #expect((list["alerts"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: [("status=open", "status"), ("severity=loud", "severity"), ("label=nope", "label"), ("limit=0", "limit"),
                      ("limit=501", "limit"), ("cursor=x", "cursor")])
    func aBadListParameterIsNamed(_ query: String, _ field: String) async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            let (status, json) = try await client.call(.get, "/api/v1/critical-alerts?\(query)", key: h.keyA)
            #expect(status == 400)
            #expect(errorOf(json).field == field)
            #expect(errorOf(json).code == "bad_request")
        }
    }

    @Test func anUnknownOrMalformedIDIs404() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            for path in ["/api/v1/critical-alerts/99", "/api/v1/critical-alerts/abc", "/api/v1/critical-alerts/-1"] {
                let (status, json) = try await client.call(.get, path, key: h.keyA)
                #expect(status == 404, "\(path)")
                #expect(errorOf(json).code == "not_found")
            }
            let (status, _) = try await client.call(.post, "/api/v1/critical-alerts/99/ack", key: h.keyA)
            #expect(status == 404)
        }
    }
}

import AlertService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceStore
import Testing

/// A service over a temporary folder: a rules directory with two tenants (`alpha`, `beta`), a
/// keys file with a key for each and an admin key, and the SQLite file; opened again on the same
/// folder to test a restart.
struct ServiceHarness {
    let folder: String
    let keyA: String
    let keyB: String
    let admin: String
    let logs = LogSink.memory()

    /// A tenant's pack: one catch-all route paging `slack` at once, and an escalation whose
    /// second level pages `pd` after a minute.
    static func pack(_ tenant: String, suppress: String = "never") -> String {
        """
        rulelang: 1
        tenant: \(tenant)
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/\(tenant)"}
          pd: {type: pagerduty, routing_key: k}
        escalations:
          oncall:
            levels:
              - {after: 0m, notify: [slack]}
              - {after: 1m, notify: [pd]}
            until: acknowledged
        suppress:
          - {name: maint, when: 'env == "\(suppress)"'}
        routes:
          - {name: all, when: true, group_by: [alertname], group_wait: 0s, escalation: oncall}
        """
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-svc-\(UUID().uuidString)").path
        let fm = FileManager.default
        for t in ["alpha", "beta"] {
            try fm.createDirectory(atPath: "\(folder)/rules/\(t)", withIntermediateDirectories: true)
            try Self.pack(t, suppress: "maint").write(toFile: "\(folder)/rules/\(t)/00-pack.yaml", atomically: true, encoding: .utf8)
        }
        keyA = try Self.key("alpha", in: folder)
        keyB = try Self.key("beta", in: folder)
        admin = try Self.key(nil, in: folder)
    }

    /// A new key for `tenant` (nil: an admin key), appended to the folder's keys file.
    static func key(_ tenant: String?, in folder: String) throws -> String {
        let (k, entry) = APIKeys.generate(tenant: tenant.map(TenantID.init), admin: tenant == nil)
        try APIKeys.append(entry, to: "\(folder)/keys")
        return k
    }

    var config: ServiceConfig {
        var c = ServiceConfig()
        c.rulesDir = "\(folder)/rules"
        c.dbPath = "\(folder)/data/rulelang.db"
        c.keysFile = "\(folder)/keys"
        c.port = 0
        c.maxBulkItems = 10_000
        return c
    }

    /// A service on the folder, its tenants loaded.
    func service() async throws -> AlertService {
        let sink = logs
        let s = try AlertService(config: config, logger: Logger(label: "test") { JSONLogHandler(label: $0, sink: sink) })
        try await s.loadTenants()
        return s
    }

    /// Runs `body` against a live server on 127.0.0.1 (an ephemeral port) of `service`.
    func live<T: Sendable>(_ service: AlertService, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await service.application().test(.live, body)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: folder) }
}

extension TestClientProtocol {
    /// A request with `key` as its bearer key; the answer's status and JSON body.
    func call(_ method: HTTPRequest.Method, _ uri: String, key: String?, body: String? = nil, bytes: [UInt8]? = nil) async throws -> (Int, [String: Any]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        let payload = bytes.map { ByteBuffer(bytes: $0) } ?? body.map { ByteBuffer(string: $0) }
        return try await execute(uri: uri, method: method, headers: headers, body: payload) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (Int(response.status.code), json)
        }
    }
}

/// `error.field` and `error.code` of an error answer.
func errorOf(_ json: [String: Any]) -> (code: String?, field: String?) {
    let e = json["error"] as? [String: Any]
    return (e?["code"] as? String, e?["field"] as? String)
}

/// An alert's JSON body.
func alertBody(_ labels: [String: String], severity: String = "critical") -> String {
    let data = try! JSONSerialization.data(withJSONObject: ["labels": labels, "severity": severity], options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

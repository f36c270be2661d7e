import AlertService
import ServiceStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `kill -9` of a real `rulec serve` in the middle of ingest: after each restart on the same
/// file, every alert that got a 201 is there exactly once. (A few kills here; `make soak` runs
/// twenty.)
@Suite struct CrashTests {
    /// The `rulec` beside this test bundle (the same build), else the debug build.
    static let binary: String = {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let beside = here.appendingPathComponent("rulec").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/rulec").path
    }()

    /// A running `rulec serve` on the harness's folder, and its port.
    struct Server {
        let process: Process
        let port: Int

        static func start(_ h: ServiceHarness, log: String) throws -> Server {
            FileManager.default.createFile(atPath: log, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CrashTests.binary)
            p.arguments = ["serve", "--rules", h.config.rulesDir, "--db", h.config.dbPath, "--keys", h.config.keysFile, "--listen", "127.0.0.1:0"]
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            // The port from its `listening` log line, once it is also ready (at most 30 s).
            for _ in 0..<300 {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if text.contains(#""msg":"ready""#), let range = text.range(of: #""address":"127.0.0.1:"#) {
                    let digits = text[range.upperBound...].prefix { $0.isNumber }
                    if let port = Int(digits) { return Server(process: p, port: port) }
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            p.terminate()
            throw CrashError(message: "rulec serve did not become ready: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }

        func kill9() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    struct CrashError: Error { let message: String }

    static func request(_ port: Int, _ method: String, _ path: String, key: String, body: String? = nil) async -> (Int, [String: Any])? {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        r.httpMethod = method
        r.timeoutInterval = 10
        r.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        r.httpBody = body.map { Data($0.utf8) }
        guard let (data, response) = try? await URLSession.shared.data(for: r), let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    @Test(.timeLimit(.minutes(3)), .enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func everyAcknowledgedAlertSurvivesKill9ExactlyOnce() async throws {
        try await Self.run(kills: Int(ProcessInfo.processInfo.environment["RULELANG_SOAK_KILLS"] ?? "") ?? 3)
    }

    /// `kills` rounds of: start, ingest from two clients, SIGKILL after a random moment; then a
    /// last start that checks everything acknowledged is stored once.
    static func run(kills: Int) async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        final class Acked: @unchecked Sendable {
            let lock = NSLock()
            var names: [String] = []
            func add(_ n: String) { lock.withLock { names.append(n) } }
        }
        let acked = Acked()
        var rng = SystemRandomNumberGenerator()
        for round in 0..<kills {
            let server = try Server.start(h, log: "\(h.folder)/serve-\(round).log")
            let port = server.port
            let senders = (0..<2).map { sender in
                Task {
                    // Bounded: at most 400 alerts per sender and round.
                    for i in 0..<400 {
                        let name = "r\(round)-s\(sender)-\(i)"
                        guard let (status, _) = await request(port, "POST", "/api/v1/critical-alerts", key: h.keyA,
                                                              body: alertBody(["alertname": "Crash", "n": name])) else { return }
                        if status == 201 { acked.add(name) }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...600, using: &rng)))
            server.kill9()
            for s in senders { await s.value }
        }
        let server = try Server.start(h, log: "\(h.folder)/serve-final.log")
        defer { server.process.terminate(); server.process.waitUntilExit() }
        var stored: [String] = []
        var cursor: String?
        for _ in 0..<1000 {
            let query = "/api/v1/critical-alerts?limit=500" + (cursor.map { "&cursor=\($0)" } ?? "")
            let (status, json) = try #require(await request(server.port, "GET", query, key: h.keyA))
            #expect(status == 200)
            stored += (json["alerts"] as? [[String: Any]] ?? []).compactMap { ($0["labels"] as? [String: String])?["n"] }
            cursor = json["next_cursor"] as? String
            if cursor == nil { break }
        }
        #expect(!acked.names.isEmpty)
        let counts = Dictionary(stored.map { ($0, 1) }, uniquingKeysWith: +)
        let missing = acked.names.filter { counts[$0] == nil }
        let twice = counts.filter { $0.value > 1 }.map(\.key)
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing.prefix(5))")
        #expect(twice.isEmpty, "stored more than once: \(twice.prefix(5))")
        // Each alert that was acknowledged is a distinct alert (distinct labels), so the store
        // holds at least as many; those in flight at a kill may be stored without an answer.
        #expect(stored.count >= acked.names.count)
        let store = try SQLiteStore(path: h.config.dbPath)
        #expect(AuditChain.verify(tenant: TenantID("alpha"), try await store.audit(TenantID("alpha"))) == nil)
    }
}

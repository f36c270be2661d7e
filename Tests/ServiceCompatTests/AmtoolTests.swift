import Foundation
import ServiceCompat
import Testing

/// Debian's real `amtool` 0.25 against our answers: a canned-answer server on 127.0.0.1
/// (scripts/amtool-stub.py) serves what the models encode, amtool parses them and prints them
/// back, and what amtool sends decodes with our readers. Fails, never skips, without amtool or
/// python (scripts/install-deps.sh installs both).
@Suite(.serialized) struct AmtoolTests {
    static let silenceID = AlertmanagerSilenceTests.id

    /// A started stub: its port, request log and process.
    struct Stub {
        let port: Int
        let log: URL
        let process: Process
        let directory: URL
    }

    static func startStub() throws -> Stub {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let engine = AlertmanagerViewTests.engine()
        let silence = try AlertmanagerSilenceTests.accepted().stored
        func body<T: Encodable>(_ v: T) throws -> Any { try JSONSerialization.jsonObject(with: JSONEncoder().encode(v)) }
        let answers: [String: Any] = [
            "GET /api/v2/status": ["status": 200, "body": try body(Alertmanager.status(serviceVersion: "0.1.0", revision: "abc", startedAt: 0,
                                                                                      packSource: Fixtures.packSource))],
            "GET /api/v2/alerts": ["status": 200, "body": try body(Alertmanager.AlertQuery(parameters: []).apply(AlertmanagerViewTests.gettable(engine)))],
            "GET /api/v2/silences": ["status": 200, "body": try body(try Alertmanager.listSilences([silence], filter: [], now: AlertmanagerSilenceTests.now))],
            "POST /api/v2/silences": ["status": 200, "body": try body(Alertmanager.SilenceCreated(silenceID: silenceID))],
            "POST /api/v2/alerts": ["status": 200, "body": NSNull()],
            "DELETE /api/v2/silence/\(silenceID)": ["status": 200, "body": NSNull()],
        ]
        try JSONSerialization.data(withJSONObject: answers).write(to: dir.appendingPathComponent("answers.json"))
        try "authorization:\n  credentials: test-key\n".write(to: dir.appendingPathComponent("http.yml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let portFile = dir.appendingPathComponent("port")
        let log = dir.appendingPathComponent("requests.jsonl")
        process.arguments = ["python3", OpenAPITests.root.appendingPathComponent("scripts/amtool-stub.py").path,
                             dir.appendingPathComponent("answers.json").path, portFile.path, log.path]
        try process.run()
        for _ in 0..<100 {     // up to 10 s for the port
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return Stub(port: port, log: log, process: process, directory: dir)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        throw CompatProblem(field: nil, message: "the stub server did not start")
    }

    /// Runs amtool against `stub`; its exit status and standard output. Killed after 20 s.
    /// Anything on standard error (a version warning, a parse error) is recorded as an issue.
    static func amtool(_ stub: Stub, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["amtool", "--alertmanager.url=http://127.0.0.1:\(stub.port)",
                             "--http.config.file=\(stub.directory.appendingPathComponent("http.yml").path)"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        for _ in 0..<200 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(errors == "", "amtool \(arguments.joined(separator: " ")): \(errors)")
        return (process.terminationStatus, text)
    }

    static func requests(_ stub: Stub) throws -> [[String: Any]] {
        try String(contentsOf: stub.log, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test func amtoolReadsOurAlertsSilencesAndStatus() throws {
        let stub = try Self.startStub()
        defer { stub.process.terminate(); try? FileManager.default.removeItem(at: stub.directory) }

        let (alertStatus, alertsText) = try Self.amtool(stub, ["-o", "json", "alert", "query"])
        #expect(alertStatus == 0, "\(alertsText)")
        let alerts = try JSONSerialization.jsonObject(with: Data(alertsText.utf8)) as? [[String: Any]] ?? []
        let ours = try Alertmanager.AlertQuery(parameters: []).apply(AlertmanagerViewTests.gettable(AlertmanagerViewTests.engine()))
        #expect(alerts.compactMap { $0["fingerprint"] as? String } == ours.map(\.fingerprint))
        #expect(alerts.compactMap { ($0["status"] as? [String: Any])?["state"] as? String } == ours.map(\.status.state.rawValue))

        let (silenceStatus, silencesText) = try Self.amtool(stub, ["-o", "json", "silence", "query"])
        #expect(silenceStatus == 0, "\(silencesText)")
        let silences = try JSONSerialization.jsonObject(with: Data(silencesText.utf8)) as? [[String: Any]] ?? []
        #expect(silences.compactMap { $0["id"] as? String } == [Self.silenceID])
        #expect(silences.first?["createdBy"] as? String == "ops")

        let requests = try Self.requests(stub)
        #expect(requests.allSatisfy { $0["authorization"] as? String == "Bearer test-key" })
        #expect(requests.contains { $0["path"] as? String == "/api/v2/status" })
    }

    @Test func whatAmtoolSendsDecodesWithOurReaders() throws {
        let stub = try Self.startStub()
        defer { stub.process.terminate(); try? FileManager.default.removeItem(at: stub.directory) }

        let (addStatus, addText) = try Self.amtool(stub, ["silence", "add", "service=db", #"instance=~"db-.*""#, "--comment=swap", "--author=ops",
                                                           "--duration=2h"])
        #expect(addStatus == 0, "\(addText)")
        #expect(addText == Self.silenceID + "\n")
        let (expireStatus, expireText) = try Self.amtool(stub, ["silence", "expire", Self.silenceID])
        #expect(expireStatus == 0, "\(expireText)")
        let (alertStatus, alertText) = try Self.amtool(stub, ["alert", "add", "alertname=Probe", "service=web", "--annotation=summary=probe"])
        #expect(alertStatus == 0, "\(alertText)")

        let requests = try Self.requests(stub)
        let silenceBody = try #require(requests.first { $0["method"] as? String == "POST" && $0["path"] as? String == "/api/v2/silences" })["body"] as? String
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let accepted = try Alertmanager.readSilence(try #require(silenceBody), now: now, newID: "unused", for: Fixtures.pack.0).get()
        #expect(accepted.expression == #"(labels["service"] ?? "") == "db" && (labels["instance"] ?? "") =~ "db-.*""#)
        #expect(accepted.stored.createdBy == "ops" && accepted.stored.comment == "swap")
        #expect(accepted.stored.endsAt - accepted.stored.startsAt <= 2 * 3_600_000 && accepted.stored.endsAt - accepted.stored.startsAt > 2 * 3_600_000 - 60_000)
        #expect(requests.contains { $0["method"] as? String == "DELETE" && $0["path"] as? String == "/api/v2/silence/\(Self.silenceID)" })
        let alertBody = try #require(requests.first { $0["method"] as? String == "POST" && $0["path"] as? String == "/api/v2/alerts" })["body"] as? String
        let items = try Alertmanager.readAlerts(try #require(alertBody), now: now, tenant: "t", tier: "gold").get()
        #expect(items.map(\.input.labels) == [["alertname": "Probe", "service": "web"]])
        #expect(items.map(\.input.annotations) == [["summary": "probe"]])
        #expect(items.map(\.resolves) == [false])
    }
}

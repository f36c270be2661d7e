import Foundation
import Testing

/// Runs the built `rulec` binary: exit codes and formats through the real command line.
@Suite struct CLITests {
    /// The `rulec` of the build these tests belong to: beside the test bundle (same build
    /// directory and configuration as `swift test` used), else the default debug build.
    static let binary: String = {
        #if os(Linux)
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        #else
        let here = Bundle.main.bundleURL.deletingLastPathComponent()
        #endif
        let beside = here.appendingPathComponent("rulec").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return Repo.root.appendingPathComponent(".build/debug/rulec").path
    }()

    /// Fails the calling test when `rulec` is not built: a test of the command line never
    /// passes without running it.
    static func requireBinary() throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "rulec is not built at \(binary): run `swift build` first")
    }

    /// Runs `rulec` with `args` (see `requireBinary`).
    static func run(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
        try requireBinary()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = Repo.tests
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Copies golden cases into a fresh `<tmp>/golden/` tenant folder and returns its path.
    static func tenant(_ cases: [String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-cli-\(UUID().uuidString)/golden")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for c in cases {
            try FileManager.default.copyItem(at: Repo.tests.appendingPathComponent("Cases/\(c)"), to: dir.appendingPathComponent(c))
        }
        return dir.path
    }

    @Test func exitCodes() throws {
        let warnings = try Self.tenant(["W0003-unused-list.yaml"])
        #expect(try Self.run(["check", warnings]).0 == 0)
        #expect(try Self.run(["check", "--strict", warnings]).0 == 1)
        #expect(try Self.run(["check", Self.tenant(["E0203-unknown-channel.yaml"])]).0 == 1)
        #expect(try Self.run(["check", "--dump", "types", warnings]).0 == 0)
        #expect(try Self.run(["check", "/nonexistent/path"]).0 == 2)
        #expect(try Self.run(["check", "--format", "yaml", "Cases"]).0 == 2)
        #expect(try Self.run(["check", "--bogus"]).0 == 2)
        #expect(try Self.run(["--version"]) == (0, "0.1.0\n"))
        let help = try Self.run(["check", "--help"])
        #expect(help.0 == 0 && help.1.contains("--format"))
    }

    @Test func githubAndJsonFormats() throws {
        let (code, out) = try Self.run(["check", "--format", "github", "Cases/formats"])
        #expect(code == 1)
        #expect(out.contains("::error file=Cases/formats/10-routes.yaml,line=5,col=14,endLine=5,endColumn=22,title=E0203::unknown channel `pay-slak` in route `payments`%0Ahelp: did you mean `pay-slack`?"))
        let (jcode, json) = try Self.run(["check", "--format", "json", "Cases/formats"])
        #expect(jcode == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(parsed?["errors"] as? Int == 2)
    }

    @Test func simulateAndTestCommands() throws {
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-sim-\(UUID().uuidString).jsonl")
        try """
        {"at": "0s", "alert": {"labels": {"alertname": "HostDown", "instance": "fs01.initech.local"}, "severity": "critical"}}
        {"at": "40m", "ack": "HostDown"}

        """.write(to: events, atomically: true, encoding: .utf8)
        let rules = Repo.root.appendingPathComponent("rules").path
        let (code, out) = try Self.run(["simulate", rules + "/initech", "--alerts", events.path, "--start", "2026-01-06T15:00:00Z"])
        #expect(code == 0)
        #expect(out == "     30s  it-slack  HostDown\n      5m  email-relay  HostDown\n     30m  sysadmin-pd  HostDown  level 1\n"
                + "     40m  email-relay  HostDown  acknowledged\n     40m  it-slack  HostDown  acknowledged\n     40m  sysadmin-pd  HostDown  acknowledged\n")
        let junit = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-junit-\(UUID().uuidString).xml")
        let (testCode, testOut) = try Self.run(["test", rules, "--junit", junit.path])
        #expect(testCode == 0)
        #expect(testOut.hasSuffix("21 passed, 0 failed, 0 skipped\n"))
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"initech\" tests=\"6\" failures=\"0\" skipped=\"0\">"))
    }

    /// One file of a multi-file pack is tested alone: the output says to pass the folder.
    @Test func testOfOneFileOfAPackSaysToPassTheFolder() throws {
        let dir = Repo.root.appendingPathComponent("rules/initech").path
        let (_, out) = try Self.run(["test", dir + "/90-tests.yaml"])
        #expect(out.hasPrefix("note: `\(dir)/90-tests.yaml` is one file of a pack of 2 files; it is tested alone, without the others' "
                              + "channels, macros and rules: pass the folder to test the whole pack, `rulec test \(dir)`\n"))
        let (_, whole) = try Self.run(["test", dir])
        #expect(!whole.contains("note:"))
    }

    /// `--explain-index` names the label each rule is hashed on (one table per label), or why it
    /// is scanned.
    @Test func explainIndexShowsEachRulesLabel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-index-\(UUID().uuidString)/t")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try """
        rulelang: 1
        channels:
          ops: {type: webhook, url: "http://127.0.0.1:9/hook"}
        suppress:
          - {name: quiet, when: 'env in ["dev", "qa"]'}
        routes:
          - {name: payments, when: 'team == "payments"', notify: [ops]}
          - {name: checkout, when: 'service == "checkout" && severity >= error', notify: [ops]}
          - {name: watchdog, when: 'alertname == "Watchdog"', notify: [ops]}
          - {name: both, when: 'team == "web" && service in ["a", "b"]', notify: [ops]}
          - {name: regex, when: 'service =~ "db-.*"', notify: [ops]}
          - {name: default, when: true, notify: [ops]}
        """.write(to: dir.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        let (code, out) = try Self.run(["check", dir.path, "--explain-index"])
        #expect(code == 0)
        #expect(out == """
        t: ok (1 file, 7 rules)
        t: 5 of 7 rules reached through the index
          suppress quiet: hashed on `env`
          route payments: hashed on `team`
          route checkout: hashed on `service`
          route watchdog: hashed on `alertname`
          route both: hashed on `team`
          route regex: scanned: no `label == "const"` or `label in [consts]` test in its top-level `&&`
          route default: scanned: it matches every alert

        """)
    }

    /// `simulate` reads `CRITICAL_ALERT_ML_ENABLED` and `CRITICAL_ALERT_CACHE_TTL` as `test` does,
    /// and names a malformed one.
    @Test func simulateReadsTheEngineEnvironment() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-env-\(UUID().uuidString)/t")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        anomalies:
          - {name: surge, when: 'alertname == "Err"', min_rate: 5, emit: {alertname: Surge}}
        routes:
          - {name: surges, when: 'alertname == "Surge"', notify: [slack], group_wait: 0s}
        """.write(to: dir.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        // One alert a minute for 70 minutes (the detector learns its first hour), then 30 in one minute.
        let lines = (0..<70).map { "{\"at\": \"\($0)m\", \"alert\": {\"labels\": {\"alertname\": \"Err\", \"n\": \"\($0)\"}}}" }
            + (0..<30).map { "{\"at\": \"70m\($0)s\", \"alert\": {\"labels\": {\"alertname\": \"Err\", \"n\": \"b\($0)\"}}}" }
        let events = dir.appendingPathComponent("events.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: events, atomically: true, encoding: .utf8)
        let (on, withML) = try Self.run(["simulate", dir.path, "--alerts", events.path])
        #expect(on == 0)
        #expect(withML == "1h10m23s  slack  Surge\n   1h30m  slack  Surge  resolved\nSurge: derived by surge\n")
        let (off, withoutML) = try Self.run(["simulate", dir.path, "--alerts", events.path], env: ["CRITICAL_ALERT_ML_ENABLED": "False"])
        #expect(off == 0)
        #expect(withoutML == "")
        let (bad, message) = try Self.run(["simulate", dir.path, "--alerts", events.path], env: ["CRITICAL_ALERT_CACHE_TTL": "5m"])
        #expect(bad == 2)
        #expect(message == "CRITICAL_ALERT_CACHE_TTL must be a whole number of seconds (0 to 31536000), found `5m`\n")
    }

    @Test func evalExplainRunsTheEngine() throws {
        let alerts = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-explain-\(UUID().uuidString).jsonl")
        try """
        {"labels":{"alertname":"UPSOnBattery","instance":"ups-aus-01","site":"aus"},"severity":"critical"}
        {"labels":{"alertname":"HostDown","instance":"srv-file-aus","site":"aus"},"severity":"critical"}

        """.write(to: alerts, atomically: true, encoding: .utf8)
        let (code, out) = try Self.run(["eval", Repo.root.appendingPathComponent("rules/initech").path, "--alerts", alerts.path,
                                        "--at", "2026-01-06T15:00:00Z", "--explain"])
        #expect(code == 0)
        #expect(out.contains("  suppressed by ups-inhibits-hosts (inhibition, while another active alert satisfies its while_active): stored, notifies nobody\n"))
        #expect(out.contains("  group: servers{instance=ups-aus-01,alertname=UPSOnBattery}\n"))
    }
}

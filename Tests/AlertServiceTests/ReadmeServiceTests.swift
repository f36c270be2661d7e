import AlertService
import Foundation
import HummingbirdTesting
import Logging
import Testing

/// The README's curl lines work: run as written (the port put in) against the service over the
/// bundled example packs, with a key of the tenant they name.
@Suite struct ReadmeServiceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The lines of the README's `sh` block that runs curl.
    static func curlBlock() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        var blocks: [[String]] = []
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if current == nil, line == "```sh" { current = [] }
            else if current != nil, line == "```" { blocks.append(current!); current = nil }
            else if current != nil { current!.append(line) }
        }
        return try #require(blocks.first { $0.contains { $0.hasPrefix("curl ") } })
    }

    @Test func theCurlLinesSendAnAlertAndReadItBack() async throws {
        let lines = try Self.curlBlock()
        #expect(lines.first == #"KEY=$(awk '$1=="initech"{print $2}' data/dev-keys)"#)
        let curls = lines.filter { $0.hasPrefix("curl ") }
        #expect(curls.count == 2)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-readme-svc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try ServiceHarness.key("initech", in: folder)
        var config = ServiceConfig()
        config.rulesDir = Self.root.appendingPathComponent("rules").path
        config.dbPath = "\(folder)/rulelang.db"
        config.keysFile = "\(folder)/keys"
        config.port = 0
        config.allowUnsetSecrets = true
        let service = try AlertService(config: config, logger: Logger(label: "test") { JSONLogHandler(label: $0, sink: .memory()) })
        try await service.loadTenants()
        try await service.application().test(.live) { client in
            let port = try #require(client.port)
            var outputs: [[String: Any]] = []
            for line in curls {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/sh")
                p.arguments = ["-c", line.replacingOccurrences(of: "127.0.0.1:9099", with: "127.0.0.1:\(port)")]
                p.environment = ["KEY": key, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
                let out = Pipe()
                p.standardOutput = out
                try p.run()
                let data = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                #expect(p.terminationStatus == 0)
                outputs.append((try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
            }
            #expect(outputs[0]["id"] as? String == "1")
            #expect(outputs[0]["status"] as? String == "firing")
            #expect((outputs[0]["routes"] as? [String])?.isEmpty == false)
            #expect(outputs[1]["id"] as? String == "1")
            #expect((outputs[1]["labels"] as? [String: String])?["instance"] == "srv-fs01")
            let kinds = (outputs[1]["timeline"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
            #expect(kinds.prefix(2) == ["received", "routed"])
        }
    }
}

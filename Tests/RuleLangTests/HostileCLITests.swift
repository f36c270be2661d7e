import Foundation
import Testing

/// Every command that runs a pack folder compiles and verifies it first: a rule past the VM's
/// stack is the same diagnostic (exit 1) from each, never a crash or an unverified run.
@Suite struct HostileCLITests {
    static func deepPack() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-hostile-\(UUID().uuidString)/t")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let when = (0..<128).reduce("\"c\"") { inner, _ in "replace(alertname, \"b\", \(inner))" } + " == \"c\""
        try "rulelang: 1\ntenant: t\nroutes:\n  - name: r\n    when: '\(when)'\n  - {name: default, when: true}\n"
            .write(to: dir.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let events = dir.deletingLastPathComponent().appendingPathComponent("events.jsonl")
        try "{\"at\": \"0s\", \"alert\": {\"labels\": {\"alertname\": \"A\"}}}\n".write(to: events, atomically: true, encoding: .utf8)
        return dir.path
    }

    @Test func everyCommandReportsTheStackLimit() throws {
        let pack = try Self.deepPack()
        let events = URL(fileURLWithPath: pack).deletingLastPathComponent().appendingPathComponent("events.jsonl").path
        let headline = "error[E0311]: rule `r` needs 257 stack values, more than the 256 the vm has"
        for args in [["check", pack], ["eval", pack, "--alert", "{\"labels\":{\"alertname\":\"A\"}}"], ["test", pack],
                     ["simulate", pack, "--alerts", events], ["compile", pack, "-o", pack + "/../x.rpk"]] {
            let (code, out) = try CLITests.run(args)
            #expect(code == 1, "\(args[0]): exit \(code)")
            #expect(out.contains(headline), "\(args[0]): \(out.prefix(300))")
        }
    }
}

import AlertService
import Foundation
import HummingbirdTesting
import Testing

/// `rulec audit verify` on a real store: 0 when intact, 1 naming the first bad entry after an
/// edit or a deletion made behind the service's back (with Debian's `sqlite3`).
@Suite struct AuditVerifyCommandTests {
    static func rulec(_ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CrashTests.binary)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func sqlite(_ db: String, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db, sql]
        try p.run()
        p.waitUntilExit()
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashTests.binary) && FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func editsAndDeletionsAreFound() async throws {
        let h = try ServiceHarness()
        defer { h.cleanup() }
        try await h.live(try await h.service()) { client in
            for name in ["A", "B", "C"] { _ = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyA, body: alertBody(["alertname": name])) }
            for name in ["D", "E"] { _ = try await client.call(.post, "/api/v1/critical-alerts", key: h.keyB, body: alertBody(["alertname": name])) }
        }
        let db = h.config.dbPath
        let (ok, text) = try Self.rulec(["audit", "verify", "--db", db])
        #expect(ok == 0)
        #expect(text.contains("ok: tenant `alpha`"))
        // Beta's entry 2 deleted (alpha intact): the gap is named.
        try Self.sqlite(db, "DELETE FROM audit WHERE tenant = 'beta' AND n = 2")
        let (deleted, which) = try Self.rulec(["audit", "verify", "--db", db])
        #expect(deleted == 1)
        #expect(which.contains("broken: tenant `beta`: audit entry 3: entries 2…2 are missing"), "\(which)")
        // Alpha's entry 3 edited: alpha is checked first, and its entry named.
        try Self.sqlite(db, "UPDATE audit SET detail = 'forged' WHERE tenant = 'alpha' AND n = 3")
        let (edited, why) = try Self.rulec(["audit", "verify", "--db", db])
        #expect(edited == 1)
        #expect(why.contains("broken: tenant `alpha`: audit entry 3: its content does not match its hash (the entry was edited)"), "\(why)")
        #expect(try Self.rulec(["audit", "verify", "--db", "\(h.folder)/none.db"]).0 == 2)
    }
}

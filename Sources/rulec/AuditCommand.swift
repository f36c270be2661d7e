import ArgumentParser
import Foundation
import ServiceStore

/// `rulec audit verify`: checks the audit trail's hash chain.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the service's audit trail.", subcommands: [AuditVerify.self])
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify every tenant's hash-chained audit trail in the store.",
        discussion: """
        EXIT STATUS:
          0  every chain is intact
          1  a chain is broken: the first bad entry is named
          2  the store cannot be opened
        """
    )

    @Option(help: "The SQLite database file (default: RULELANG_DB or data/rulelang.db).")
    var db: String?

    func run() throws {
        let path = db ?? ProcessInfo.processInfo.environment["RULELANG_DB"] ?? "data/rulelang.db"
        guard FileManager.default.fileExists(atPath: path) else {
            FileHandle.standardError.write(Data("no store at `\(path)`\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
        final class Found: @unchecked Sendable { var lines: [String] = []; var broken = false }
        let found = Found()
        do {
            try runBlocking {
                let store = try SQLiteStore(path: path)
                for tenant in try await store.tenants() {
                    let entries = try await store.audit(tenant)
                    if let b = AuditChain.verify(tenant: tenant, entries) {
                        found.lines.append("broken: \(b)")
                        found.broken = true
                        return
                    }
                    found.lines.append("ok: tenant `\(tenant)`: \(entries.count) entries")
                }
            }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
        for l in found.lines { print(l) }
        if found.broken { throw ExitCode(1) }
    }
}

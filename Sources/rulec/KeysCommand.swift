import AlertService
import ArgumentParser
import Foundation
import ServiceStore

/// `rulec keys`: the service's API keys.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make and list the service's API keys (the keys file holds only their SHA-256).",
        subcommands: [KeysNew.self, KeysList.self]
    )
}

/// `rulec keys new --tenant T [--keys FILE]` or `--admin`.
struct KeysNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Make a key: print it (once, alone on standard output) and append its SHA-256 to the keys file.",
        discussion: """
        The keys file is created (mode 0600) if missing. A tenant key reads and writes that \
        tenant's alerts only; an admin key (--admin) has no tenant and may reload packs.

        EXAMPLES:
          rulec keys new --tenant acme-payments
          rulec keys new --admin --keys /etc/rulelang/keys
        """
    )

    @Option(help: "The tenant the key belongs to (its pack folder's name).")
    var tenant: String?
    @Flag(help: "An admin key (no tenant).")
    var admin = false
    @Option(help: "The keys file (default: RULELANG_KEYS_FILE or data/keys).")
    var keys: String?

    func validate() throws {
        guard (tenant != nil) != admin else { throw ValidationError("give --tenant NAME or --admin (one of them)") }
    }

    func run() throws {
        let path = keys ?? ProcessInfo.processInfo.environment["RULELANG_KEYS_FILE"] ?? "data/keys"
        let (key, entry) = APIKeys.generate(tenant: tenant.map(TenantID.init), admin: admin)
        do { try APIKeys.append(entry, to: path) } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
        print(key)
    }
}

/// `rulec keys list`: each key's hash prefix and tenant.
struct KeysList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the keys file's keys: hash prefix and tenant (or admin).")

    @Option(help: "The keys file (default: RULELANG_KEYS_FILE or data/keys).")
    var keys: String?

    func run() throws {
        let path = keys ?? ProcessInfo.processInfo.environment["RULELANG_KEYS_FILE"] ?? "data/keys"
        do {
            for e in try APIKeys.load(path).entries {
                print("\(e.line.prefix(12))  \(e.admin ? "admin" : "tenant \(e.tenant?.name ?? "")")")
            }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
    }
}

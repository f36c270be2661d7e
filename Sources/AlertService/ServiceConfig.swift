import Foundation

/// How `rulec serve` runs: flags, then the environment, then these defaults (which work from
/// the repository root).
public struct ServiceConfig: Sendable {
    /// The rules directory: one tenant pack per folder (`--rules`, `RULELANG_RULES_DIR`).
    public var rulesDir = "rules"
    /// The SQLite file (`--db`, `RULELANG_DB`).
    public var dbPath = "data/rulelang.db"
    /// Where to listen (`--listen`, `RULELANG_LISTEN`); port 0 picks a free one.
    public var host = "127.0.0.1"
    public var port = 9099
    /// The keys file (`--keys`, `RULELANG_KEYS_FILE`).
    public var keysFile = "data/keys"
    /// A `NAME=value` secrets file (`--secrets`, `RULELANG_SECRETS_FILE`).
    public var secretsFile: String?
    /// Load packs whose secrets are unset (their channels' notifications stay in the outbox):
    /// for development (`make run`); otherwise such a pack is refused with E0405.
    public var allowUnsetSecrets = false
    /// A snapshot every this many events of a tenant (the log before it is compacted).
    public var snapshotEvery = 10_000
    /// Body limits: one alert, and a bulk request.
    public var maxBodyBytes = 1024 * 1024
    public var maxBulkBodyBytes = 64 * 1024 * 1024
    /// Alerts per bulk request.
    public var maxBulkItems = 10_000
    public var engine = EngineSettings()
    /// The process environment (secrets are read from it).
    public var environment: [String: String] = [:]

    public init() {}

    /// `HOST:PORT` into `host` and `port`; an error naming the value otherwise.
    public mutating func setListen(_ text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port),
              colon != text.startIndex else {
            throw KeyError("--listen must be HOST:PORT (such as 127.0.0.1:9099), found `\(text)`")
        }
        host = String(text[..<colon])
        self.port = port
    }

    /// The secrets: the secrets file's, then the environment's over them.
    func secrets() throws -> [String: String] {
        var s = try secretsFile.map(LoadedPacks.readSecrets) ?? [:]
        s.merge(environment) { _, env in env }
        return s
    }
}

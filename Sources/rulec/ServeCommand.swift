import AlertService
import ArgumentParser
import Foundation
import Logging

/// `rulec serve`: the evaluation service over the packs of a rules directory.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the evaluation service: the HTTP API over every tenant pack, with a durable store.",
        discussion: """
        Each folder of the rules directory is a tenant, its pack checked and compiled at start; \
        alerts sent with a tenant's key are evaluated by that tenant's engine and kept in the \
        SQLite store (events are durable before the answer). Logs are JSON lines on standard error.

        Each option also comes from the environment; defaults work from the repository root:
          --rules    RULELANG_RULES_DIR     rules
          --db       RULELANG_DB            data/rulelang.db
          --listen   RULELANG_LISTEN        127.0.0.1:9099 (port 0: any free port)
          --keys     RULELANG_KEYS_FILE     data/keys (make keys with `rulec keys new`)
          --secrets  RULELANG_SECRETS_FILE  (none: secrets from the environment only)
        and CRITICAL_ALERT_ML_ENABLED, CRITICAL_ALERT_CACHE_TTL, CRITICAL_ALERT_MAX_ESCALATION_LEVELS.

        EXIT STATUS:
          0  stopped by SIGTERM or SIGINT after finishing the requests in flight
          2  usage error, or a store, keys or secrets file that cannot be opened
        """
    )

    @Option(help: "The rules directory (one tenant pack per folder).")
    var rules: String?
    @Option(help: "The SQLite database file.")
    var db: String?
    @Option(help: "HOST:PORT to listen on.")
    var listen: String?
    @Option(help: "The keys file.")
    var keys: String?
    @Option(help: "A file of NAME=value secrets.")
    var secrets: String?
    @Flag(help: "Load packs whose secrets are unset (their notifications stay in the outbox): for development.")
    var allowUnsetSecrets = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        var config = ServiceConfig()
        config.environment = env
        config.allowUnsetSecrets = allowUnsetSecrets
        let sink = LogSink.standardError
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, sink: sink) }
        do {
            config.rulesDir = rules ?? env["RULELANG_RULES_DIR"] ?? config.rulesDir
            config.dbPath = db ?? env["RULELANG_DB"] ?? config.dbPath
            config.keysFile = keys ?? env["RULELANG_KEYS_FILE"] ?? config.keysFile
            config.secretsFile = secrets ?? env["RULELANG_SECRETS_FILE"]
            if let l = listen ?? env["RULELANG_LISTEN"] { try config.setListen(l) }
            config.engine = try EngineSettings.read(env)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
        let logger = Logger(label: "rulelang.serve")
        let settings = config
        try runBlocking {
            let service: AlertService
            do { service = try AlertService(config: settings, logger: logger) } catch {
                logger.critical("cannot start", metadata: ["error": .string("\(error)")])
                throw ExitCode(Rulec.usageExit)
            }
            try await service.run()
        }
    }
}

/// Runs `body` on the concurrency pool and blocks this (main) thread until it ends: `rulec`'s
/// root command is synchronous.
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    final class Outcome: @unchecked Sendable { var error: (any Error)? }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    if let e = outcome.error { throw e }
}

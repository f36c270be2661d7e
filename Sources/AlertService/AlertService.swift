import AlertEngine
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import ServiceStore

/// The evaluation service (`rulec serve`): every tenant's pack run by its own engine over the
/// durable store, behind the HTTP API.
public final class AlertService: Sendable {
    public let config: ServiceConfig
    let logger: Logger
    let keys: APIKeys
    let registry = TenantRegistry()
    let backend: any StoreBackend
    let committer: GroupCommitter

    /// Opens the store (creating and migrating it) and reads the keys file; errors name the file.
    public init(config: ServiceConfig, logger: Logger) throws {
        self.config = config
        self.logger = logger
        keys = try APIKeys.load(config.keysFile)
        let store = try SQLiteStore(path: config.dbPath)
        backend = store
        committer = GroupCommitter(backend: store)
        logger.info("store open", metadata: ["db": .string(config.dbPath), "keys": .stringConvertible(keys.entries.count)])
    }

    /// Loads every pack of the rules directory and starts each tenant, rebuilding its engine
    /// from the store; a refused pack leaves its tenant on the pack in force (if any). Then the
    /// service is ready.
    public func loadTenants() async throws {
        let packs = LoadedPacks.load(rulesDir: config.rulesDir, secrets: try config.secrets(), allowUnsetSecrets: config.allowUnsetSecrets)
        for e in packs.errors { logger.error("rules directory", metadata: ["problem": .string(e.message)]) }
        var tenants = Set(packs.loaded.map(\.tenant)).union(packs.refused.map(\.tenant))
        tenants.formUnion(try await backend.tenants())
        for tenant in tenants.sorted() {
            let pack = packs.loaded.first { $0.tenant == tenant }
            if let r = packs.refused.first(where: { $0.tenant == tenant }) {
                registry.setRefused(tenant, r)
                logger.error("pack refused", metadata: ["tenant": .string(tenant.name), "code": .string(r.firstCode),
                                                        "diagnostics": .stringConvertible(r.diagnostics.count),
                                                        "first": .string(r.diagnostics.first?.message ?? "")])
            }
            if let pack, !pack.unsetSecrets.isEmpty {
                logger.warning("secrets unset: this tenant's notifications stay in the outbox (no delivery configured)",
                               metadata: ["tenant": .string(tenant.name), "unset": .array(pack.unsetSecrets.map { .string($0) })])
            }
            let started = Date()
            guard let engine = try await TenantEngine.start(tenant, pack: pack, backend: backend, committer: committer,
                                                            settings: config.engine, snapshotEvery: config.snapshotEvery) else { continue }
            registry.add(engine)
            let version = await engine.packVersion
            logger.info("tenant ready", metadata: ["tenant": .string(tenant.name), "pack_version": .stringConvertible(version),
                                                   "ms": .stringConvertible(Int(Date().timeIntervalSince(started) * 1000))])
        }
        registry.ready = true
        logger.info("ready", metadata: ["tenants": .stringConvertible(registry.all.count)])
    }

    /// The HTTP application: the routes, and the tenants' service (load, schedulers, snapshot
    /// at shutdown). `onListening` gets the port once the server listens.
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let logger = self.logger
        return Application(
            router: router(),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "rulelang"),
            services: [TenantsService(service: self)],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("listening", metadata: ["address": .string("\(channel.localAddress?.ipAddress ?? "?"):\(port)")])
                await onListening(port)
            },
            logger: logger
        )
    }

    /// Runs the service until SIGTERM or SIGINT: then it stops accepting, finishes the
    /// requests in flight, snapshots every tenant and returns.
    public func run() async throws {
        try await application().runService()
        logger.info("stopped")
    }

    /// Sleeps until the tenant's next deadline (at most 100 ms, so a deadline set meanwhile is
    /// seen soon), then fires the timers due.
    func schedule(_ tenant: TenantEngine) async {
        while !Task.isCancelled {
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            if let due = await tenant.nextDue(), due <= now {
                await tenant.tick()
                continue
            }
            let wait = await tenant.nextDue().map { min(max($0 - now, 1), 100) } ?? 100
            try? await Task.sleep(for: .milliseconds(wait))
        }
    }
}

/// The tenants' part of the service lifecycle: load them (unless already loaded), run a
/// scheduler per tenant until shutdown, then snapshot each.
struct TenantsService: Service {
    let service: AlertService

    func run() async throws {
        if !service.registry.ready { try await service.loadTenants() }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for t in service.registry.all { group.addTask { await service.schedule(t) } }
            }
        }
        for t in service.registry.all { await t.snapshotNow() }
        service.logger.info("tenants snapshotted")
    }
}

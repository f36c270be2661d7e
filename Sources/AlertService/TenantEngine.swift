import AlertEngine
import Foundation
import RuleRuntime
import RuleVM
import ServiceStore

/// One tenant's engine and its place in the store, on its own serial executor: events are
/// handled one at a time, in arrival order, and their writes enqueued in that order (group
/// commit); a caller's answer waits for its own commit. Tenants run in parallel.
actor TenantEngine {
    let tenant: TenantID
    private var engine: Engine
    private(set) var packVersion: Int
    private(set) var packHash: String
    private(set) var packLoadedAt: Int64
    private var sequence: Int64
    private var recorder: ActionRecorder
    private let committer: GroupCommitter
    private var sinceSnapshot = 0
    private let snapshotEvery: Int
    /// The last event's time: events get non-decreasing times even if the wall clock steps back.
    private var lastAt: Int64 = 0
    /// Set when a commit failed: the engine is ahead of the store, so the tenant answers 503
    /// until the service restarts (and rebuilds it from what was committed).
    private(set) var failure: String?

    /// A tenant whose engine was rebuilt from the store (or just created, `version` being the
    /// pack it was created with).
    init(tenant: TenantID, engine: Engine, packVersion: Int, packHash: String, packLoadedAt: Int64, sequence: Int64,
         recorder: ActionRecorder, committer: GroupCommitter, snapshotEvery: Int) {
        self.tenant = tenant
        self.engine = engine
        self.packVersion = packVersion
        self.packHash = packHash
        self.packLoadedAt = packLoadedAt
        self.sequence = sequence
        self.recorder = recorder
        self.committer = committer
        self.snapshotEvery = snapshotEvery
    }

    /// Milliseconds since the epoch, never before the last event's.
    private func now() -> Int64 {
        max(lastAt, Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Handles one event now and enqueues its writes; returns the actions and the commit's ticket.
    private func apply(_ logged: LoggedEvent, _ event: EngineEvent, actor: String, pack: PackRow? = nil) -> ([EngineAction], Int64, GroupCommitter.Ticket) {
        let at = now()
        lastAt = at
        sequence += 1
        let actions = engine.handle(event, at: at)
        var write = EventWrite(tenant: tenant, event: EventRow(seq: sequence, at: at, body: logged.encoded()))
        write.pack = pack
        recorder.record(actions, seq: sequence, at: at, actor: actor, packHash: packHash, into: &write)
        sinceSnapshot += 1
        if sinceSnapshot >= snapshotEvery, let bytes = try? engine.snapshot() {
            write.snapshot = SnapshotRow(seq: sequence, packVersion: packVersion, body: bytes)
            sinceSnapshot = 0
        }
        return (actions, sequence, committer.enqueue(write))
    }

    /// Waits for a commit; a failure breaks the tenant (see `failure`).
    private func wait(_ ticket: GroupCommitter.Ticket) async throws {
        do { try await committer.wait(ticket) } catch {
            failure = "\(error)"
            throw ServiceError(.storeFailed, "the store failed; nothing of this request is acknowledged")
        }
    }

    private func checkHealthy() throws {
        if let failure { throw ServiceError(.notReady, "tenant `\(tenant)` is unavailable until restart: \(failure)") }
    }

    /// Ingests alerts (one event each, in order) and answers once all are durable.
    func ingest(_ inputs: [AlertInput], actor: String) async throws -> [IngestResult] {
        try checkHealthy()
        var results: [IngestResult] = []
        var tickets: [GroupCommitter.Ticket] = []
        for input in inputs {
            let (actions, seq, ticket) = apply(.alert(input), .alert(input), actor: actor)
            results.append(result(of: actions, seq: seq))
            tickets.append(ticket)
        }
        for t in tickets { try await wait(t) }
        return results
    }

    /// What an ingest answers: the alert the event was about (the first one the audit entries
    /// name: received, deduplicated or resolved) as it now is, and the notifications made.
    private func result(of actions: [EngineAction], seq: Int64) -> IngestResult {
        var alertID: Int?
        for case .audit(let e) in actions {
            switch e.event {
            case .received, .deduplicated, .resolved:
                if alertID == nil { alertID = e.alertID }
            default: break
            }
        }
        var notifications: [IngestResult.Sent] = []
        for (i, n) in actions.notifications.enumerated() {
            notifications.append(.init(id: OutboxID(tenant: tenant, seq: seq, index: i), channel: n.channel, alertID: n.alertID, kind: n.kind.rawValue, level: n.level))
        }
        var stored: EngineAlert?
        if let alertID {
            stored = engine.state.alerts[alertID]
            if stored == nil { for case .store(let a) in actions where a.id == alertID { stored = a } }
        }
        return IngestResult(alert: stored, notifications: notifications)
    }

    /// What a lifecycle request found.
    enum LifecycleOutcome {
        /// The engine does not hold the alert as open (resolved, forgotten or unknown): the
        /// caller answers with the store's record, or 404.
        case notOpen
        case done(EngineAlert?)
    }

    /// Acknowledges, resolves or escalates open alert `id`.
    func lifecycle(_ kind: LifecycleKind, id: Int, actor: String) async throws -> LifecycleOutcome {
        try checkHealthy()
        guard let alert = engine.state.alerts[id], alert.status != .resolved, engine.state.open[alert.fingerprint] == id else { return .notOpen }
        let f = alert.fingerprint
        let (logged, event): (LoggedEvent, EngineEvent) = switch kind {
        case .acknowledge: (.acknowledge(fingerprint: f), .acknowledge(f))
        case .resolve: (.resolve(fingerprint: f), .resolve(f))
        case .escalate: (.escalate(fingerprint: f), .escalate(f))
        }
        let (_, _, ticket) = apply(logged, event, actor: actor)
        try await wait(ticket)
        return .done(engine.state.alerts[id])
    }

    /// Fires the timers due by now (the scheduler calls this at the engine's deadline).
    func tick() async {
        guard failure == nil, let due = engine.state.timers.nextDue, due <= now() else { return }
        let (_, _, ticket) = apply(.timersDue, .timersDue, actor: "scheduler")
        try? await wait(ticket)
    }

    /// The engine's next deadline.
    func nextDue() -> Int64? { failure == nil ? engine.state.timers.nextDue : nil }

    /// Puts `pack` in force (logged, stored as the next version); nothing when it is the pack in force.
    func swap(to pack: LoadedPack, actor: String) async throws -> Bool {
        try checkHealthy()
        guard pack.hash != packHash else { return false }
        let at = now()
        let row = PackRow(version: packVersion + 1, hash: pack.hash, source: pack.source, artifact: pack.artifact, loadedAt: at)
        packVersion = row.version
        packHash = pack.hash
        packLoadedAt = at
        let (_, _, ticket) = apply(.pack(version: row.version), .packSwapped(pack.runtime), actor: actor, pack: row)
        try await wait(ticket)
        return true
    }

    /// The engine state as a snapshot (tests compare it with a rebuild's).
    func snapshot() throws -> Data { try engine.snapshot() }

    /// The engine's state.
    func state() -> EngineState { engine.state }

    /// Writes a snapshot now (at shutdown), so the next start replays nothing.
    func snapshotNow() async {
        guard failure == nil, sinceSnapshot > 0, let bytes = try? engine.snapshot() else { return }
        var write = EventWrite(tenant: tenant)
        write.snapshot = SnapshotRow(seq: sequence, packVersion: packVersion, body: bytes)
        sinceSnapshot = 0
        try? await committer.commit(write)
    }

    /// Creates tenant `tenant` from the store (rebuilding its engine), or from `pack` when it
    /// has no pack logged yet; a pack different from the one in force is swapped in.
    static func start(_ tenant: TenantID, pack: LoadedPack?, backend: any StoreBackend, committer: GroupCommitter,
                      settings: EngineSettings, snapshotEvery: Int) async throws -> TenantEngine? {
        let recovered = try await TenantRecovery.recover(tenant, from: backend, configure: settings.apply)
        let recorder = ActionRecorder(tenant: tenant, auditNumber: recovered.auditNumber, auditHash: recovered.auditHash)
        if let engine = recovered.engine {
            let loadedAt = try await backend.pack(tenant, version: recovered.packVersion)?.loadedAt ?? 0
            let t = TenantEngine(tenant: tenant, engine: engine, packVersion: recovered.packVersion, packHash: recovered.packHash,
                                 packLoadedAt: loadedAt, sequence: recovered.lastSequence, recorder: recorder, committer: committer,
                                 snapshotEvery: snapshotEvery)
            if let pack { _ = try await t.swap(to: pack, actor: "startup") }
            return t
        }
        guard let pack else { return nil }
        // A new tenant: its first event puts its first pack in force (replay creates the engine there).
        let version = (try await backend.latestPack(tenant)?.version ?? 0) + 1
        var engine = Engine(pack: pack.runtime)
        settings.apply(&engine)
        let at = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let seq = recovered.lastSequence + 1
        var write = EventWrite(tenant: tenant, event: EventRow(seq: seq, at: at, body: LoggedEvent.pack(version: version).encoded()))
        write.pack = PackRow(version: version, hash: pack.hash, source: pack.source, artifact: pack.artifact, loadedAt: at)
        var r = recorder
        r.record(event: "pack_loaded", detail: "version \(version)", at: at, actor: "startup", packHash: pack.hash, into: &write)
        try await committer.commit(write)
        return TenantEngine(tenant: tenant, engine: engine, packVersion: version, packHash: pack.hash, packLoadedAt: at, sequence: seq,
                            recorder: r, committer: committer, snapshotEvery: snapshotEvery)
    }
}

/// Which lifecycle request.
enum LifecycleKind: String, Sendable {
    case acknowledge = "ack", resolve, escalate
}

/// What one ingested alert answers.
struct IngestResult: Sendable {
    /// A notification the event recorded in the outbox.
    struct Sent: Sendable {
        let id: OutboxID
        let channel: String
        let alertID: Int
        let kind: String
        let level: Int?
    }

    /// The alert as the engine now holds it; nil when the event named no alert (an `ends_at`
    /// in the past for an alert not open).
    let alert: EngineAlert?
    let notifications: [Sent]
}

import AlertEngine
import Foundation
import RuleCompiler
import RuleLang
import RuleRuntime
import RuleVM
import ServiceStore
import TestSupport

/// A backend the store suite runs against: each test gets a fresh one in its own temporary
/// folder. A second backend (PostgreSQL) joins `StoreFactory.all` and runs the same suite.
struct StoreFactory: Sendable, CustomStringConvertible {
    let description: String
    let make: @Sendable (_ folder: String) throws -> any StoreBackend

    static let sqlite = StoreFactory(description: "sqlite") { folder in try SQLiteStore(path: folder + "/store.db") }
    static let all = [sqlite]
}

/// A fresh temporary folder, removed by `cleanup`.
func temporaryFolder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-store-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func cleanup(_ folder: String) { try? FileManager.default.removeItem(atPath: folder) }

let second = Int64(1000), minute = Int64(60_000)
let t0: Int64 = 1_767_225_600_000

/// Two versions of a pack: grouping, waits, an escalation with levels, an SLA, a window
/// correlation, and a suppression; enough that replay has timers, groups and swaps to get right.
func packYAML(_ version: Int) -> String {
    """
    rulelang: 1
    sla: {ack_within: 2m, resolve_within: 6m}
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
      pd: {type: pagerduty, routing_key: k}
    escalations:
      oncall:
        levels:
          - {after: 0m, notify: [slack]}
          - {after: \(version == 1 ? "1m" : "90s"), notify: [pd]}
        until: acknowledged
    suppress:
      - {name: maint, when: 'env == "maint"'}
    correlate:
      - {name: burst, when: 'alertname == "Err"', by: [cluster], window: 5m, condition: count() >= \(version == 1 ? 3 : 2), emit: {alertname: Burst}}
    routes:
      - name: prod
        when: env == "prod"
        group_by: [\(version == 1 ? "alertname" : "cluster")]
        group_wait: 20s
        group_interval: 1m
        escalation: oncall
        continue: true
      - {name: all, when: true, notify: [slack], group_by: [cluster], group_wait: 10s}
    """
}

/// The two versions, checked and compiled, with their artifacts.
let testPacks: [(checked: CheckedPack, runtime: RuntimePack, artifact: Data)] = [packYAML(1), packYAML(2)].map { yaml in
    let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
    precondition(d.filter { $0.severity == .error }.isEmpty, DiagnosticRenderer().text(d))
    do throws(CompileError) {
        let runtime = try PackCompiler.compile(checked)
        return (checked, runtime, Data(Artifact.encode(runtime)))
    } catch {
        preconditionFailure("\(error)")
    }
}

/// A tenant driven the way the service drives one, through the store's public surface: each
/// event handled by the engine, logged (packs by version), its actions recorded, its writes
/// enqueued in order, snapshots every `snapshotEvery` events.
struct DrivenTenant {
    let tenant: TenantID
    var engine: Engine
    var recorder: ActionRecorder
    let committer: GroupCommitter
    var seq: Int64 = 0
    var version = 1
    var hashes: [Int: String] = [:]
    var snapshotEvery: Int
    var tickets: [GroupCommitter.Ticket] = []

    init(tenant: TenantID, backend: any StoreBackend, snapshotEvery: Int = .max) {
        self.tenant = tenant
        committer = GroupCommitter(backend: backend)
        recorder = ActionRecorder(tenant: tenant)
        self.snapshotEvery = snapshotEvery
        engine = Engine(pack: testPacks[0].runtime)
        configure(&engine)
        seq = 1
        var w = EventWrite(tenant: tenant, event: EventRow(seq: 1, at: t0, body: LoggedEvent.pack(version: 1).encoded()))
        w.pack = PackRow(version: 1, hash: "h1", source: Data("v1".utf8), artifact: testPacks[0].artifact, loadedAt: t0)
        tickets.append(committer.enqueue(w))
    }

    /// The settings every engine of these tests runs with (live and rebuilt alike).
    static func configure(_ e: inout Engine) { e.forgetResolvedMs = 10 * minute }
    func configure(_ e: inout Engine) { Self.configure(&e) }

    /// Handles one event at `at` and enqueues its writes.
    mutating func handle(_ logged: LoggedEvent, at: Int64) {
        seq += 1
        var pack: PackRow?
        let event: EngineEvent
        if case .pack(let v) = logged {
            version = v
            pack = PackRow(version: v, hash: "h\(v)", source: Data("v\(v)".utf8), artifact: testPacks[(v - 1) % 2].artifact, loadedAt: at)
            event = .packSwapped(testPacks[(v - 1) % 2].runtime)
        } else {
            event = try! logged.engineEvent { _ in preconditionFailure() }
        }
        let actions = engine.handle(event, at: at)
        var w = EventWrite(tenant: tenant, event: EventRow(seq: seq, at: at, body: logged.encoded()))
        w.pack = pack
        recorder.record(actions, seq: seq, at: at, actor: "test", packHash: "h\(version)", into: &w)
        if seq % Int64(snapshotEvery) == 0 { w.snapshot = SnapshotRow(seq: seq, packVersion: version, body: try! engine.snapshot()) }
        tickets.append(committer.enqueue(w))
    }

    /// Waits for every enqueued write.
    mutating func flush() async throws {
        for t in tickets { try await committer.wait(t) }
        tickets = []
    }
}

/// A busy stream: alerts (repeats among them), acknowledgements, resolutions, escalations,
/// timers, silences and pack swaps, with their times.
func busyStream(seed: UInt64, count: Int) -> [(LoggedEvent, Int64)] {
    var rng = SplitMix(seed)
    var now = t0, version = 1
    var out: [(LoggedEvent, Int64)] = []
    var fingerprints: [String] = []
    let names = ["Err", "DBDown", "Disk"]
    for _ in 0..<count {
        now += Int64(rng.next(90)) * second
        switch rng.next(100) {
        case 0..<55:
            let labels = ["alertname": names[rng.next(3)], "cluster": ["a", "b", "c"][rng.next(3)],
                          "env": ["prod", "prod", "dev", "maint"][rng.next(4)], "n": "\(rng.next(4))"]
            fingerprints.append(Fingerprint.of(labels))
            out.append((.alert(AlertInput(labels: labels, severity: UInt8(rng.next(4)), tenant: "t")), now))
        case 55..<65 where !fingerprints.isEmpty: out.append((.acknowledge(fingerprint: fingerprints[rng.next(fingerprints.count)]), now))
        case 65..<75 where !fingerprints.isEmpty: out.append((.resolve(fingerprint: fingerprints[rng.next(fingerprints.count)]), now))
        case 75..<80 where !fingerprints.isEmpty: out.append((.escalate(fingerprint: fingerprints[rng.next(fingerprints.count)]), now))
        case 80..<90: out.append((.timersDue, now))
        case 90..<95:
            let id = "s\(rng.next(2))", expression = "cluster == \"\(["a", "b", "c"][rng.next(3)])\""
            let s = SilenceCompiler.compile(expression, id: id, for: testPacks[(version - 1) % 2].checked).0!
            out.append((.silenceAdded(id: id, expression: expression, program: s.bytes, expiresAt: now + Int64(rng.next(20)) * minute), now))
        case 95..<97: out.append((.silenceRemoved(id: "s\(rng.next(2))"), now))
        default:
            version += 1
            out.append((.pack(version: version), now))
        }
    }
    return out
}

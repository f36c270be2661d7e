import AlertEngine
import Foundation
import RuleRuntime
import RuleVM
import ServiceStore
import Testing

/// The store suite: what every backend must do, run against each of `StoreFactory.all` with a
/// fresh store per test.
@Suite struct StoreSuiteTests {
    @Test(arguments: StoreFactory.all)
    func anEventsWritesReadBackScopedByTenant(_ factory: StoreFactory) async throws {
        let folder = temporaryFolder()
        defer { cleanup(folder) }
        let store = try factory.make(folder)
        let a = TenantID("a"), b = TenantID("b")
        var w = EventWrite(tenant: a, event: EventRow(seq: 1, at: t0, body: Data("e1".utf8)))
        w.pack = PackRow(version: 1, hash: "h", source: Data("src".utf8), artifact: Data([1, 2, 3]), loadedAt: t0)
        w.alerts = [AlertRow(id: 7, fingerprint: "f7", alertname: "Disk", status: "firing", severity: 3, labels: #"{"alertname":"Disk"}"#,
                             record: "{}", updatedAt: t0)]
        w.timeline = [TimelineRow(alertID: 7, seq: 1, index: 0, at: t0, kind: "received", detail: "f7")]
        w.outbox = [OutboxRow(id: OutboxID(tenant: a, seq: 1, index: 0), at: t0, channel: "slack", alertID: 7, kind: "firing", level: nil, group: "g")]
        try await store.commit([w])

        #expect(try await store.lastSequence(a) == 1)
        #expect(try await store.events(a, after: 0) == [EventRow(seq: 1, at: t0, body: Data("e1".utf8))])
        #expect(try await store.pack(a, version: 1)?.artifact == Data([1, 2, 3]))
        #expect(try await store.alert(a, id: 7)?.fingerprint == "f7")
        #expect(try await store.timeline(a, alertID: 7).map(\.kind) == ["received"])
        #expect(try await store.outbox(a).map(\.id.description) == ["a-1-0"])
        #expect(try await store.outbox(a).map(\.status) == ["pending"])
        // Tenant b sees none of it.
        #expect(try await store.lastSequence(b) == 0)
        #expect(try await store.events(b, after: 0).isEmpty)
        #expect(try await store.alert(b, id: 7) == nil)
        #expect(try await store.timeline(b, alertID: 7).isEmpty)
        #expect(try await store.alerts(b, AlertQuery()).alerts.isEmpty)
        #expect(try await store.pack(b, version: 1) == nil)
        #expect(try await store.tenants() == [a])
    }

    @Test(arguments: StoreFactory.all)
    func aFailedCommitWritesNothingOfItsBatch(_ factory: StoreFactory) async throws {
        let folder = temporaryFolder()
        defer { cleanup(folder) }
        let store = try factory.make(folder)
        let a = TenantID("a")
        try await store.commit([EventWrite(tenant: a, event: EventRow(seq: 1, at: t0, body: Data()))])
        // The second write repeats sequence 1: the whole batch, its first write included, is refused.
        let batch = [EventWrite(tenant: a, event: EventRow(seq: 2, at: t0, body: Data())), EventWrite(tenant: a, event: EventRow(seq: 1, at: t0, body: Data()))]
        await #expect(throws: StoreError.self) { try await store.commit(batch) }
        #expect(try await store.lastSequence(a) == 1)
    }

    @Test(arguments: StoreFactory.all)
    func theOutboxRecordsANotificationOnce(_ factory: StoreFactory) async throws {
        let folder = temporaryFolder()
        defer { cleanup(folder) }
        let store = try factory.make(folder)
        let a = TenantID("a")
        let row = OutboxRow(id: OutboxID(tenant: a, seq: 4, index: 1), at: t0, channel: "pd", alertID: 2, kind: "firing", level: 1, group: "g")
        var w = EventWrite(tenant: a)
        w.outbox = [row]
        try await store.commit([w, w])
        try await store.commit([w])
        #expect(try await store.outbox(a) == [row])
    }

    @Test(arguments: StoreFactory.all)
    func theListIsNewestFirstFilteredAndPaged(_ factory: StoreFactory) async throws {
        let folder = temporaryFolder()
        defer { cleanup(folder) }
        let store = try factory.make(folder)
        let a = TenantID("a")
        var w = EventWrite(tenant: a)
        for id in 1...7 {
            w.alerts.append(AlertRow(id: id, fingerprint: "f\(id)", alertname: "X", status: id % 2 == 0 ? "resolved" : "firing", severity: id % 4,
                                     labels: #"{"alertname":"X","n":"\#(id % 3)"}"#, record: "{}", updatedAt: t0))
        }
        try await store.commit([w])
        var q = AlertQuery()
        q.limit = 3
        let first = try await store.alerts(a, q)
        #expect(first.alerts.map(\.id) == [7, 6, 5])
        #expect(first.next == 5)
        q.before = first.next
        let second = try await store.alerts(a, q)
        #expect(second.alerts.map(\.id) == [4, 3, 2])
        q.before = second.next
        let last = try await store.alerts(a, q)
        #expect(last.alerts.map(\.id) == [1])
        #expect(last.next == nil)
        var filtered = AlertQuery()
        filtered.status = "firing"
        filtered.labels = [("n", "1")]
        #expect(try await store.alerts(a, filtered).alerts.map(\.id) == [7, 1])
        filtered = AlertQuery()
        filtered.severity = 3
        #expect(try await store.alerts(a, filtered).alerts.map(\.id) == [7, 3])
    }

    @Test(arguments: StoreFactory.all)
    func aSnapshotCompactsTheLogBeforeIt(_ factory: StoreFactory) async throws {
        let folder = temporaryFolder()
        defer { cleanup(folder) }
        let store = try factory.make(folder)
        let a = TenantID("a")
        for seq in Int64(1)...5 {
            var w = EventWrite(tenant: a, event: EventRow(seq: seq, at: t0 + seq, body: Data("e\(seq)".utf8)))
            if seq == 3 { w.snapshot = SnapshotRow(seq: 3, packVersion: 1, body: Data("s3".utf8)) }
            try await store.commit([w])
        }
        #expect(try await store.latestSnapshot(a) == SnapshotRow(seq: 3, packVersion: 1, body: Data("s3".utf8)))
        #expect(try await store.events(a, after: 0).map(\.seq) == [4, 5])
        #expect(try await store.lastSequence(a) == 5)
    }

    @Test(arguments: StoreFactory.all)
    func groupCommitPutsConcurrentEventsInFewTransactionsInOrder(_ factory: StoreFactory) async throws {
        let folder = temporaryFolder()
        defer { cleanup(folder) }
        let store = try factory.make(folder)
        let committer = GroupCommitter(backend: store)
        let a = TenantID("a")
        let tickets = (Int64(1)...200).map { committer.enqueue(EventWrite(tenant: a, event: EventRow(seq: $0, at: t0, body: Data("\($0)".utf8)))) }
        for t in tickets { try await committer.wait(t) }
        #expect(try await store.events(a, after: 0).map(\.seq) == Array(1...200))
        #expect(committer.committedEvents == 200)
        // Enqueued faster than one transaction commits: they share transactions.
        #expect(committer.transactions < 200)
    }

    @Test(arguments: StoreFactory.all)
    func recoveryRebuildsTheLiveEngineExactly(_ factory: StoreFactory) async throws {
        let folder = temporaryFolder()
        defer { cleanup(folder) }
        let store = try factory.make(folder)
        let tenant = TenantID("t")
        var live = DrivenTenant(tenant: tenant, backend: store, snapshotEvery: 150)
        let stream = busyStream(seed: 14, count: 400)
        for (i, (event, at)) in stream.enumerated() {
            live.handle(event, at: at)
            // Rebuilt at a few points, the snapshot among the events or not.
            if [37, 149, 150, 151, 399].contains(i) {
                try await live.flush()
                let rebuilt = try await TenantRecovery.recover(tenant, from: store, configure: DrivenTenant.configure)
                #expect(rebuilt.engine?.state == live.engine.state, "after event \(i)")
                // (States, not snapshot bytes: equal states may list a set's members in another
                // order, as `Engine.snapshot()` says.)
                var restored = Engine(pack: testPacks[0].runtime)
                try restored.restore(try #require(rebuilt.engine).snapshot())
                #expect(restored.state == live.engine.state, "after event \(i)")
                #expect(rebuilt.lastSequence == live.seq)
                #expect(rebuilt.packVersion == live.version)
                #expect(rebuilt.auditNumber == live.recorder.auditNumber)
                #expect(rebuilt.auditHash == live.recorder.auditHash)
            }
        }
        // The stream did what this test needs: swaps, many alerts, a snapshot, a log after it.
        #expect(live.version >= 3)
        #expect(live.engine.state.alerts.count > 20)
        #expect(try await store.latestSnapshot(tenant)?.seq == 300)
        #expect(try await store.events(tenant, after: 0).first?.seq == 301)
        #expect(AuditChain.verify(tenant: tenant, try await store.audit(tenant)) == nil)
    }
}

import Testing
@testable import AlertEngine

/// (`@testable`: entries are made by the engine, so their initializer is internal.)
/// Audit entries keep their details as values and render them as one line of the audit log;
/// `handle` lists each changed alert once, however many an event changes.
@Suite struct AuditEntryTests {
    @Test(arguments: [
        (AuditEvent.received(fingerprint: "ab12"), "5 #1 received ab12"),
        (.deduplicated, "5 #1 deduplicated"),
        (.suppressed(by: "maintenance"), "5 #1 suppressed maintenance"),
        (.routed(routes: ["prod", "prod/db"]), "5 #1 routed prod prod/db"),
        (.unrouted, "5 #1 unrouted"),
        (.acknowledged, "5 #1 acknowledged"),
        (.resolved, "5 #1 resolved"),
        (.escalated(plan: "oncall", level: 2), "5 #1 escalated oncall level 2"),
        (.slaBreach(.ackTimeout), "5 #1 sla_breach ack_timeout"),
        (.forgotten, "5 #1 forgotten"),
    ])
    func alertEntriesRender(event: AuditEvent, line: String) {
        #expect(AuditEntry(at: 5, alertID: 1, event: event).description == line)
    }

    @Test func entriesWithoutAlertRender() {
        #expect(AuditEntry(at: 7, alertID: nil, event: .packSwapped(tenant: "acme")).description == "7 pack_swapped acme")
        #expect(AuditEntry(at: 7, alertID: nil, event: .silenceAdded(id: "s1")).description == "7 silence_added s1")
        #expect(AuditEntry(at: 7, alertID: nil, event: .silenceRemoved(id: "s1")).detail == "s1")
        #expect("\(AuditEvent.slaBreach(.ackWithin))" == "sla_breach")
    }

    /// A resolve by name of many paged alerts: each is stored once, in id order, though each is
    /// both changed and notified (a few alerts are compared one by one, many marked in a bitmap).
    @Test(arguments: [3, 40])
    func manyChangedAlertsStoredOnce(count: Int) {
        var e = engine(EngineTests.pack)
        for i in 0..<count { _ = e.handle(.alert(alert(["alertname": "A", "env": "prod", "instance": "i\(i)"])), at: 0) }
        _ = e.handle(.timersDue, at: 30 * s)
        let actions = e.handle(.resolve("A"), at: 60 * s)
        let stored = actions.compactMap { if case .store(let a) = $0 { "#\(a.id) \(a.status.rawValue)" } else { nil } }
        #expect(stored == (1...count).map { "#\($0) resolved" })
        #expect(actions.notifications.count == count)
    }
}

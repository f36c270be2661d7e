import AlertEngine
import Foundation
import RuleVM
import ServiceStore
import Testing

/// The log's encoding of events: every kind reads back as itself; a format or kind this build
/// does not know is an error that says so.
@Suite struct LoggedEventTests {
    static let alert: AlertInput = {
        var a = AlertInput(labels: ["alertname": "Disk", "env": "prod"], annotations: ["summary": "full"], severity: 3, value: 97.5,
                           startsAt: t0, source: "node", fingerprint: "", tenant: "t", tier: "gold")
        a.endsAt = t0 + minute
        return a
    }()

    @Test(arguments: [
        LoggedEvent.alert(alert), .acknowledge(fingerprint: "f1"), .resolve(fingerprint: "f2"), .escalate(fingerprint: "f3"), .timersDue,
        .pack(version: 4), .silenceAdded(id: "s", expression: "env == \"prod\"", program: Data([9, 8, 7]), expiresAt: t0), .silenceRemoved(id: "s"),
    ])
    func eachKindReadsBackAsItself(_ event: LoggedEvent) throws {
        let bytes = event.encoded()
        let back = try LoggedEvent.decode(bytes)
        #expect(back.encoded() == bytes)
        #expect(back.kind == event.kind)
    }

    @Test func anAlertKeepsEveryField() throws {
        guard case .alert(let a) = try LoggedEvent.decode(LoggedEvent.alert(Self.alert).encoded()) else {
            Issue.record("not an alert")
            return
        }
        #expect(a.labels == ["alertname": "Disk", "env": "prod"])
        #expect(a.annotations == ["summary": "full"])
        #expect(a.severity == 3)
        #expect(a.value == 97.5)
        #expect(a.startsAt == t0)
        #expect(a.endsAt == t0 + minute)
        #expect(a.source == "node")
        #expect(a.tier == "gold")
    }

    @Test func theEncodingIsVersionedJSON() {
        #expect(String(decoding: LoggedEvent.pack(version: 2).encoded(), as: UTF8.self) == #"{"kind":"pack","v":1,"version":2}"#)
    }

    @Test func anUnknownFormatOrKindIsNamed() {
        #expect(throws: StoreError.corrupt("an event of format 2 in the log; this build reads format 1")) {
            try LoggedEvent.decode(Data(#"{"kind":"timers_due","v":2}"#.utf8))
        }
        #expect(throws: StoreError.corrupt("an event of unknown kind `merge` in the log")) {
            try LoggedEvent.decode(Data(#"{"kind":"merge","v":1}"#.utf8))
        }
        #expect(throws: StoreError.corrupt("a logged `pack` event without `version`")) {
            try LoggedEvent.decode(Data(#"{"kind":"pack","v":1}"#.utf8))
        }
    }
}

import AlertEngine
import Foundation
import RuleRuntime
import RuleVM
import ServiceCompat
import Testing

/// `POST/GET /api/v2/silences`, `GET/DELETE /api/v2/silence/{id}`: amtool's real silence,
/// its RuleLang expression, states by time, refusals.
@Suite struct AlertmanagerSilenceTests {
    static let now = Fixtures.ms("2026-12-07T23:36:03Z")
    static let id = "d7ebbbac-5dd9-49a7-b55a-aba34afd1d02"

    static func accepted() throws -> Alertmanager.AcceptedSilence {
        let post = Fixtures.amtool("POST", "/api/v2/silences")[0]
        return try Alertmanager.readSilence(post.requestText, now: now, newID: id, for: Fixtures.pack.0).get()
    }

    @Test func amtoolsSilenceBecomesAQuotedExpression() throws {
        let s = try Self.accepted()
        #expect(s.expression == #"(labels["alertname"] ?? "") == "DiskFull" && (labels["instance"] ?? "") =~ "db-[0-9]+" && (labels["env"] ?? "") != "dev""#)
        #expect(s.compiled.id == Self.id)
        #expect(!s.replaces)
        #expect(s.stored.startsAt == Fixtures.ms("2030-01-01T00:00:00Z"))
        #expect(s.stored.endsAt == Fixtures.ms("2030-01-01T02:00:00Z"))
        #expect(s.stored.createdBy == "ops" && s.stored.comment == "disk swap")
    }

    @Test func gettableGivesBackWhatAlertmanagerAnswered() throws {
        let s = try Self.accepted()
        var real = try #require(Fixtures.amtool("GET", "/api/v2/silences")[0].response as? [[String: Any]])[0]
        real["updatedAt"] = "2026-12-07T23:36:03.000Z"    // the one field that depends on the clock
        let ours = try JSONSerialization.jsonObject(with: JSONEncoder().encode(s.stored.gettable(at: Self.now))) as! [String: Any]
        #expect(NSDictionary(dictionary: ours).isEqual(to: real))
    }

    @Test func statesFollowTheClockAndExpiryEndsNow() throws {
        let s = try Self.accepted().stored
        #expect(s.state(at: Self.now) == .pending)
        #expect(s.state(at: Fixtures.ms("2030-01-01T00:00:00Z")) == .active)
        #expect(s.state(at: Fixtures.ms("2030-01-01T02:00:00Z")) == .expired)
        let expired = try #require(s.expired(at: Self.now))
        #expect(expired.startsAt == Self.now && expired.endsAt == Self.now && expired.state(at: Self.now) == .expired)
        #expect(expired.expired(at: Self.now + 1) == nil)
    }

    @Test func theCompiledSilenceMutesOnlyWhatTheMatchersMatch() throws {
        let s = try Self.accepted()
        var e = Engine(pack: Fixtures.pack.1)
        let at = Fixtures.ms("2030-01-01T00:00:00Z")
        _ = e.handle(.silenceAdded(s.compiled, expiresAt: s.stored.endsAt), at: at)
        let cases: [([String: String], Bool)] = [
            (["alertname": "DiskFull", "instance": "db-12", "service": "db"], true),
            (["alertname": "DiskFull", "instance": "db-12", "env": "dev"], false),
            (["alertname": "DiskFull", "instance": "xdb-1"], false),     // anchored, as in Alertmanager
            (["alertname": "DiskFull"], false),
            (["alertname": "Other", "instance": "db-1"], false),
        ]
        for (labels, muted) in cases {
            _ = e.handle(.alert(AlertInput(labels: labels, startsAt: at)), at: at)
            let alert = try #require(e.state.alerts.values.first { $0.fingerprint == Fingerprint.of(labels) })
            #expect((alert.suppressedBy == "silence:\(Self.id)") == muted, "\(labels)")
        }
    }

    @Test func valuesAreQuotedSafely() throws {
        let body = """
            {"matchers":[{"name":"alertname","value":"a\\"] || true || [\\"\\\\","isRegex":false}],
             "startsAt":"2030-01-01T00:00:00Z","endsAt":"2030-01-02T00:00:00Z","createdBy":"x","comment":"y"}
            """
        let s = try Alertmanager.readSilence(body, now: Self.now, newID: Self.id, for: Fixtures.pack.0).get()
        #expect(s.expression == #"(labels["alertname"] ?? "") == "a\"] || true || [\"\\""#)
        var e = Engine(pack: Fixtures.pack.1)
        _ = e.handle(.silenceAdded(s.compiled, expiresAt: s.stored.endsAt), at: Self.now)
        _ = e.handle(.alert(AlertInput(labels: ["alertname": "b"], startsAt: Self.now)), at: Self.now)
        #expect(e.state.alerts.values.map(\.suppressedBy) == [nil])
    }

    @Test func aPostedIdReplacesThatSilenceAndAStartInThePastIsNow() throws {
        let body = """
            {"id":"\(Self.id)","matchers":[{"name":"a","value":"x","isRegex":false,"isEqual":true}],
             "startsAt":"2020-01-01T00:00:00Z","endsAt":"2030-01-02T00:00:00Z","createdBy":"x","comment":"y"}
            """
        let s = try Alertmanager.readSilence(body, now: Self.now, newID: "unused", for: Fixtures.pack.0).get()
        #expect(s.replaces && s.stored.id == Self.id && s.stored.startsAt == Self.now)
    }

    static func body(matchers: String, startsAt: String = "2030-01-01T00:00:00Z", endsAt: String = "2030-01-02T00:00:00Z",
                     extra: String = #","createdBy":"x","comment":"y""#) -> String {
        #"{"matchers":\#(matchers),"startsAt":"\#(startsAt)","endsAt":"\#(endsAt)"\#(extra)}"#
    }

    static let refusals: [(String, CompatProblem.Status, String?, String)] = [
        (body(matchers: "[]"), .badRequest, "matchers", "at least one matcher is required"),
        (body(matchers: #"[{"name":"a","value":"","isRegex":false}]"#), .badRequest, "matchers",
         "at least one matcher must not match the empty string"),
        (body(matchers: #"[{"name":"a","value":".*","isRegex":true},{"name":"b","value":"x","isRegex":false,"isEqual":false}]"#), .badRequest,
         "matchers", "at least one matcher must not match the empty string"),
        (body(matchers: #"[{"name":"a-b","value":"x","isRegex":false}]"#), .badRequest, "matchers.0.name", "invalid label name `a-b`"),
        (body(matchers: #"[{"name":"a","value":"(","isRegex":true}]"#), .unprocessable, "matchers.0.value", "invalid regular expression `(`"),
        (body(matchers: #"[{"name":"a","value":"x","isRegex":false}]"#, startsAt: "2030-01-03T00:00:00Z"), .badRequest, "endsAt",
         "start time must be before end time"),
        (body(matchers: #"[{"name":"a","value":"x","isRegex":false}]"#, startsAt: "2020-01-01T00:00:00Z", endsAt: "2020-01-02T00:00:00Z"),
         .badRequest, "endsAt", "end time can't be in the past"),
        (body(matchers: #"[{"name":"a","value":"x","isRegex":false}]"#, startsAt: "soon"), .badRequest, "startsAt",
         "must be an RFC 3339 time such as 2026-01-01T00:00:00Z, found `soon`"),
        (body(matchers: #"[{"name":"a","value":"x","isRegex":false}]"#, extra: #","comment":"y""#), .badRequest, "createdBy", "required"),
        (body(matchers: #"[{"name":"a","value":"x"}]"#), .badRequest, "matchers.0.isRegex", "required"),
        (body(matchers: #"[{"name":"a","value":"x","isRegex":"no"}]"#), .badRequest, "matchers.0.isRegex", "must be a boolean"),
        (body(matchers: #"[{"name":"a","value":"x","isRegex":false}]"#, extra: #","createdBy":"x","comment":"y","x":1"#), .badRequest, "x",
         "unknown field (known: comment, createdBy, endsAt, id, matchers, startsAt)"),
        (#"{"id":"nope","matchers":[{"name":"a","value":"x","isRegex":false}],"startsAt":"2030-01-01T00:00:00Z","endsAt":"2030-01-02T00:00:00Z","createdBy":"x","comment":"y"}"#,
         .badRequest, "id", "must be a UUID, found `nope`"),
    ]

    @Test(arguments: refusals)
    func badSilencesAreRefusedNamingTheField(body: String, status: CompatProblem.Status, field: String?, message: String) {
        #expect(throws: CompatProblem(status, field: field, message: message)) {
            try Alertmanager.readSilence(body, now: Self.now, newID: Self.id, for: Fixtures.pack.0).get()
        }
    }

    @Test func listingFiltersAndOrdersAsAlertmanager() throws {
        func silence(_ id: String, _ matchers: [Alertmanager.Matcher], _ start: Int64, _ end: Int64) -> Alertmanager.StoredSilence {
            Alertmanager.StoredSilence(id: id, matchers: matchers, startsAt: start, endsAt: end, createdBy: "x", comment: "y", updatedAt: 0)
        }
        let web = [Alertmanager.Matcher(name: "service", value: "web", isRegex: false)]
        let db = [Alertmanager.Matcher(name: "service", value: "db", isRegex: false), Alertmanager.Matcher(name: "env", value: "prod", isRegex: false)]
        let all = [silence("a-expired-early", web, 0, 10), silence("b-active-late", db, 0, 500), silence("c-pending", web, 200, 900),
                   silence("d-active-soon", web, 0, 300), silence("e-expired-late", db, 0, 50), silence("f-pending-first", db, 150, 900)]
        #expect(try Alertmanager.listSilences(all, filter: [], now: 100).map(\.id)
                == ["d-active-soon", "b-active-late", "f-pending-first", "c-pending", "e-expired-late", "a-expired-early"])
        #expect(try Alertmanager.listSilences(all, filter: ["service=db"], now: 100).map(\.id) == ["b-active-late", "f-pending-first", "e-expired-late"])
        #expect(try Alertmanager.listSilences(all, filter: ["env="], now: 100).map(\.id) == ["d-active-soon", "c-pending", "a-expired-early"])
        #expect(try Alertmanager.listSilences(all, filter: ["env!="], now: 100).map(\.id) == ["b-active-late", "f-pending-first", "e-expired-late"])
        #expect(try Alertmanager.listSilences(all, filter: [#"service=~"w.*""#], now: 100).map(\.status.state) == [.active, .pending, .expired])
        #expect(throws: CompatProblem(field: "filter", message: "bad matcher format: nope")) {
            try Alertmanager.listSilences(all, filter: ["nope"], now: 100)
        }
    }

    @Test func silenceIdsAreUUIDs() {
        #expect(Alertmanager.isSilenceID(Self.id))
        #expect(!Alertmanager.isSilenceID("nope"))
        let fresh = Alertmanager.newSilenceID()
        #expect(Alertmanager.isSilenceID(fresh) && fresh == fresh.lowercased() && fresh.count == 36)
    }
}

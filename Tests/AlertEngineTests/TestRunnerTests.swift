import TestSupport
import PackTesting
import Foundation
import Testing
import AlertEngine
import RuleCompiler
import RuleLang

@Suite struct TestRunnerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The example packs' own tests pass, except those that need correlation (skipped, said so).
    @Test func examplePackTestsPass() {
        let (packs, _) = PackReader.discover(path: Self.root.appendingPathComponent("rules").path)
        var statuses: [TestOutcome.Status: Int] = [:]
        for (tenant, paths) in packs {
            let (files, _) = PackReader.loadFiles(paths)
            let (checked, _) = Frontend.check(tenant: tenant, files: files)
            for o in TestRunner.run(checked, compiled: TestSupport.compiled(checked)) {
                statuses[o.status, default: 0] += 1
                #expect(o.status != .failed, "\(tenant): \(o.name)\n\(o.detail)")
            }
        }
        #expect(statuses[.passed, default: 0] >= 14)
    }

    @Test func aFailingTestShowsBothTimelines() {
        let yaml = """
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - {name: all, when: true, notify: [slack], group_wait: 30s}
        tests:
          - name: wrong time
            input:
              - {at: 0s, alert: {labels: {alertname: A}}}
            expect:
              - {at: 10s, channel: slack, alert: A}
        """
        let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
        #expect(d.filter { $0.severity == .error }.isEmpty)
        let outcome = TestRunner.run(checked, compiled: TestSupport.compiled(checked))[0]
        #expect(outcome.status == .failed)
        #expect(outcome.detail == """
        the notifications differ
            expected                actual
          ≠      10s  slack  A           30s  slack  A

        """)
    }

    static func outcomes(_ tests: String) -> [TestOutcome] {
        let yaml = """
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
          pd: {type: pagerduty, routing_key: k}
        routes:
          - {name: db, when: 'alertname == "DBDown"', notify: [pd], group_wait: 0s}
          - {name: all, when: true, notify: [slack], group_wait: 30s}
        tests:
        \(tests)
        """
        let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
        #expect(d.filter { $0.severity == .error }.isEmpty, "\(DiagnosticRenderer().text(d))")
        return TestRunner.run(checked, compiled: TestSupport.compiled(checked))
    }

    /// `not_expect` entries fail the test for each notification matching all their fields,
    /// partial tests included; `kind` is any kind unless given.
    @Test func notExpectNamesEachUnwantedNotification() {
        let outcomes = Self.outcomes("""
          - name: pd is never paged for A
            partial: true
            input:
              - {at: 0s, alert: {labels: {alertname: A}}}
              - {at: 1m, alert: {labels: {alertname: DBDown}}}
              - {at: 2m, resolve: DBDown}
            expect:
              - {at: 30s, channel: slack, alert: A}
            not_expect:
              - {channel: pd, alert: A}
              - {channel: slack, at: 1m}
          - name: pd is never told of a resolution
            partial: true
            input:
              - {at: 1m, alert: {labels: {alertname: DBDown}}}
              - {at: 2m, resolve: DBDown}
            not_expect:
              - {channel: pd, kind: resolved}
              - {level: 0, alert: DBDown, at: 1m}
        """)
        #expect(outcomes.map(\.status) == [.passed, .failed])
        #expect(outcomes[1].detail.hasPrefix("""
        not expected: 2m  pd  DBDown  resolved
        not expected: 1m  pd  DBDown

        """))
    }

    /// A test that expects an acknowledgement or resolution notification compares every
    /// notification; one that does not compares pages only.
    @Test func lifecycleNotificationsAreComparedWhenATestExpectsOne() {
        let outcomes = Self.outcomes("""
          - name: with lifecycle
            input:
              - {at: 0s, alert: {labels: {alertname: DBDown}}}
              - {at: 1m, ack: DBDown}
              - {at: 2m, resolve: DBDown}
            expect:
              - {at: 0s, channel: pd, alert: DBDown}
              - {at: 1m, channel: pd, alert: DBDown, kind: acknowledged}
              - {at: 2m, channel: pd, alert: DBDown, kind: resolved}
          - name: pages only
            input:
              - {at: 0s, alert: {labels: {alertname: DBDown}}}
              - {at: 2m, resolve: DBDown}
            expect:
              - {at: 0s, channel: pd, alert: DBDown}
          - name: a missing resolution
            input:
              - {at: 0s, alert: {labels: {alertname: DBDown}}}
              - {at: 1m, ack: DBDown}
            expect:
              - {at: 0s, channel: pd, alert: DBDown}
              - {at: 1m, channel: pd, alert: DBDown, kind: resolved}
        """)
        #expect(outcomes.map(\.status) == [.passed, .passed, .failed])
        #expect(outcomes[2].detail == """
        the notifications differ
            expected                        actual
                  0s  pd  DBDown                  0s  pd  DBDown
          ≠       1m  pd  DBDown  resolved        1m  pd  DBDown  acknowledged

        """)
    }

    @Test func unknownKindsAndChannelsInTestsAreReported() {
        let yaml = """
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - {name: all, when: true, notify: [slack]}
        tests:
          - name: t
            input:
              - {at: 0s, alert: {labels: {alertname: A}}}
            expect:
              - {at: 0s, channel: slack, alert: A, kind: acked}
            not_expect:
              - {channel: slak, alert: A}
              - {alert: B}
        """
        let (_, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
        #expect(d.map(\.message) == [
            "unknown notification kind `acked`",
            "test `t` excludes unknown channel `slak`",
            "test `t` excludes alert `B`, which no input or rule raises",
        ])
    }
}

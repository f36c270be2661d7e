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
            for o in TestRunner.run(checked, compiled: PackCompiler.compile(checked)) {
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
        let outcome = TestRunner.run(checked, compiled: PackCompiler.compile(checked))[0]
        #expect(outcome.status == .failed)
        #expect(outcome.detail == """
        the notifications differ
            expected                actual
          ≠      10s  slack  A           30s  slack  A

        """)
    }
}

import AlertEngine
import Foundation
import PackTesting
import RuleCompiler
import RuleLang
import RuleRuntime
import Testing

/// An engine built from a `.rpk` artifact (the compiler's bytes, loaded back) behaves exactly as
/// one built from source: every example pack's tests, run both ways, send the same
/// notifications and end in the same state.
@Suite struct ArtifactEngineTests {
    @Test func examplePacksRunTheSameFromTheirArtifact() throws {
        let (packs, _) = PackReader.discover(path: TestRunnerTests.root.appendingPathComponent("rules").path)
        #expect(packs.count >= 3)
        var tests = 0
        for (tenant, paths) in packs {
            let (files, _) = PackReader.loadFiles(paths)
            let (checked, _) = Frontend.check(tenant: tenant, files: files)
            let compiled = compileOrFail(checked)
            let loaded = try Artifact.decode(Artifact.encode(compiled)).get()
            for test in checked.pack.tests {
                let (fromSource, sourceEngine, sourceSent) = TestRunner.execute(test, checked, compiled)
                let (fromArtifact, artifactEngine, artifactSent) = TestRunner.execute(test, checked, loaded)
                #expect(fromSource.status == .passed, "\(tenant): \(test.name.text)\n\(fromSource.detail)")
                #expect(fromArtifact.status == fromSource.status && fromArtifact.detail == fromSource.detail,
                        "\(tenant): \(test.name.text)")
                #expect(artifactSent == sourceSent, "\(tenant): \(test.name.text)")
                #expect(artifactEngine?.state == sourceEngine?.state, "\(tenant): \(test.name.text)")
                #expect(artifactEngine?.exercised == sourceEngine?.exercised, "\(tenant): \(test.name.text)")
                tests += 1
            }
        }
        #expect(tests >= 14)
    }

    /// The artifact carries the whole runtime model: route settings, escalation plans, the SLA
    /// clocks, the channels and every rule's settings and fingerprint come back as compiled.
    @Test func theArtifactCarriesTheRuntimeModel() throws {
        let (packs, _) = PackReader.discover(path: TestRunnerTests.root.appendingPathComponent("rules").path)
        for (tenant, paths) in packs {
            let (files, _) = PackReader.loadFiles(paths)
            let (checked, _) = Frontend.check(tenant: tenant, files: files)
            let compiled = compileOrFail(checked)
            let loaded = try Artifact.decode(Artifact.encode(compiled)).get()
            #expect(loaded.routeSettings == compiled.routeSettings, "\(tenant)")
            #expect(loaded.escalations == compiled.escalations, "\(tenant)")
            #expect(loaded.sla == compiled.sla, "\(tenant)")
            #expect(loaded.channels == compiled.channels && loaded.channels.count == checked.pack.channels.count, "\(tenant)")
            for (a, b) in zip(compiled.suppress + compiled.correlate + compiled.anomalies, loaded.suppress + loaded.correlate + loaded.anomalies) {
                #expect(a.name == b.name && a.by == b.by && a.equal == b.equal && a.form == b.form && a.anomaly == b.anomaly
                        && a.fingerprint == b.fingerprint, "\(tenant): \(a.name)")
            }
        }
    }
}

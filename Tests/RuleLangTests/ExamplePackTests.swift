import Foundation
import Testing
@testable import RuleLang

/// The bundled example packs in `rules/` check clean (no errors, no warnings).
@Suite struct ExamplePackTests {
    @Test func examplePacksCheckClean() throws {
        let (packs, errors) = PackReader.discover(path: Repo.root.appendingPathComponent("rules").path)
        #expect(errors.isEmpty)
        #expect(packs.count >= 3)
        for (tenant, paths) in packs {
            let (files, readErrors) = PackReader.loadFiles(paths)
            #expect(readErrors.isEmpty)
            let (checked, diagnostics) = Frontend.check(tenant: tenant, files: files)
            let unexpected = diagnostics.filter { $0.code.id != "W0007" }
            #expect(unexpected.isEmpty, "\(tenant): \(DiagnosticRenderer().text(unexpected))")
            #expect(checked.pack.ruleCount > 0)
        }
    }
}

import Foundation
import Testing
@testable import RuleLang

/// Golden diagnostics: each case under `Cases/` (a `.yaml` file, or a folder of them, checked as
/// the pack of tenant `golden`) is compared byte for byte with `Golden/<case>.txt`.
/// Regenerate with `RULELANG_BLESS=1 swift test --filter GoldenTests` and review the diff.
@Suite struct GoldenTests {
    static let casesDir = Repo.tests.appendingPathComponent("Cases")
    static let goldenDir = Repo.tests.appendingPathComponent("Golden")

    /// Every case name, sorted.
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: casesDir.path)) ?? [])
        .filter { !$0.hasPrefix(".") }.sorted()

    /// The files of a case, with paths relative to the test folder so output is stable.
    static func files(of name: String) -> [SourceFile] {
        let url = casesDir.appendingPathComponent(name)
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
        let paths = isDir.boolValue
            ? ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { "Cases/\(name)/\($0)" }
            : ["Cases/\(name)"]
        return paths.map { p in
            SourceFile(path: p, bytes: [UInt8](FileManager.default.contents(atPath: Repo.tests.appendingPathComponent(p).path) ?? Data()))
        }
    }

    static func options(for name: String) -> CheckOptions {
        var o = CheckOptions()
        if name.contains("require") { o.secretMode = .require }
        o.secrets = ["SET_SECRET": "x"]
        return o
    }

    /// The report of a case.
    static func report(_ name: String) -> CheckReport {
        let files = files(of: name)
        let (checked, diagnostics) = Frontend.check(tenant: "golden", files: files, options: options(for: name))
        return CheckReport(tenants: [TenantResult(tenant: "golden", files: files.count, rules: checked.pack.ruleCount,
                                                  diagnostics: diagnostics)])
    }

    static func compare(_ actual: String, golden: String) {
        let url = goldenDir.appendingPathComponent(golden)
        if Repo.bless {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? "<missing golden file \(golden)>"
        #expect(actual == expected, "golden \(golden) differs; rerun with RULELANG_BLESS=1 and review the diff")
    }

    static func baseName(_ name: String) -> String { name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name }

    @Test(arguments: cases)
    func textOutput(name: String) {
        Self.compare(Self.report(name).text(renderer: DiagnosticRenderer()), golden: Self.baseName(name) + ".txt")
    }

    /// Every format for a few representative cases.
    @Test(arguments: ["formats"])
    func machineFormats(name: String) {
        let r = Self.report(name)
        Self.compare(r.json().rendered() + "\n", golden: "formats.json")
        Self.compare(r.sarif(version: "test").rendered() + "\n", golden: "formats.sarif")
        Self.compare(r.github(), golden: "formats.github")
        Self.compare(r.text(renderer: DiagnosticRenderer(colour: true)), golden: "formats.colour.txt")
    }

    /// The target code of each case (its name's prefix) appears in its output.
    @Test(arguments: cases.filter { $0.first == "E" || $0.first == "W" })
    func caseTriggersItsCode(name: String) {
        let code = String(name.prefix(5))
        #expect(Self.report(name).diagnostics.contains { $0.code.id == code }, "case \(name) does not produce \(code)")
    }

    /// Every code of the catalog appears in at least one golden file.
    @Test func everyCatalogCodeHasAGoldenCase() throws {
        // Run-time diagnostics (E05xx) have their golden cases with the VM's tests.
        let dirs = [Self.goldenDir, Repo.root.appendingPathComponent("Tests/RuleCompilerTests/Golden")]
        let text = try dirs.flatMap { dir in
            try FileManager.default.contentsOfDirectory(atPath: dir.path).map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
        }.joined()
        let missing = DiagnosticCatalog.all.map(\.id).filter { !text.contains("[\($0)]") && !text.contains("\"\($0)\"") }
        #expect(missing == [], "codes without a golden case: \(missing)")
    }

    @Test func catalogCodesAreUnique() {
        let ids = DiagnosticCatalog.all.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    /// Cases the harness generates: an oversized file, and paths that cannot be read.
    @Test func generatedCases() {
        let big = SourceFile(path: "Cases/big.yaml", bytes: [UInt8](repeating: UInt8(ascii: "#"), count: YamlLoader.maxFileBytes + 1))
        let (_, d) = Frontend.check(tenant: "golden", files: [big])
        let (_, missing) = PackReader.discover(path: "/nonexistent/rules")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-empty-\(getpid())")
        try? FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        var (_, none) = PackReader.discover(path: empty.path)
        none = none.map { d in Diagnostic(d.code, d.message.replacingOccurrences(of: empty.path, with: "<empty>"), at: nil, help: d.help, path: "<empty>") }
        let report = CheckReport(tenants: [TenantResult(tenant: "golden", files: 1, rules: 0, diagnostics: d)], general: missing + none)
        Self.compare(report.text(renderer: DiagnosticRenderer()), golden: "generated.txt")
    }
}

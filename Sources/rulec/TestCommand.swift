import PackTesting
import AlertEngine
import ArgumentParser
import Foundation
import RuleCompiler
import RuleLang

/// `rulec test [PATHS…] [--junit FILE]`: runs the packs' own tests on a virtual clock.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the packs' tests on a virtual clock and compare notification timelines.",
        discussion: """
        Each PATH is a rules root, a tenant folder or a file, as for check; a test file belongs \
        to its pack, so pass the tenant folder. Every test of every pack runs, each on its own \
        virtual clock.

        EXAMPLES:
          rulec test rules/                         every tenant's tests
          rulec test rules/ --junit results.xml     also write JUnit XML for CI

        EXIT STATUS:
          0  every test passed or was skipped
          1  a test failed, or a pack has errors
          2  usage error, or a path or file that cannot be read
        """
    )

    @Argument(help: "Rules roots, tenant folders or files (default: rules/).")
    var paths: [String] = []

    @Option(help: "Also write the results as JUnit XML to this file.")
    var junit: String?

    func run() throws {
        var passed = 0, failed = 0, skipped = 0
        var cases: [(suite: String, outcome: TestOutcome)] = []
        let settings = try EngineEnvironment.read()
        for path in paths.isEmpty ? ["rules"] : paths {
            let (packs, errors) = PackReader.discover(path: path)
            if !errors.isEmpty {
                print(DiagnosticRenderer().text(errors), terminator: "")
                throw ExitCode(Rulec.usageExit)
            }
            if let note = Self.onePackFileNote(path) { print(note) }
            for (tenant, filePaths) in packs {
                let (files, readErrors) = PackReader.loadFiles(filePaths)
                let (checked, diagnostics) = Frontend.check(tenant: tenant, files: files,
                                                            options: .fromEnvironment(ProcessInfo.processInfo.environment))
                let bad = readErrors + diagnostics.filter { $0.severity == .error }
                if !bad.isEmpty {
                    print(DiagnosticRenderer().text(bad), terminator: "")
                    print("\(tenant): pack has errors, tests not run")
                    failed += 1
                    continue
                }
                let (maybeCompiled, problems) = compile(checked)
                guard let compiled = maybeCompiled else {
                    print(DiagnosticRenderer().text(problems), terminator: "")
                    print("\(tenant): pack has errors, tests not run")
                    failed += 1
                    continue
                }
                let report = TestRunner.report(checked, compiled: compiled, anomalies: settings.anomalies,
                                               cacheTTLMs: settings.cacheTTLMs)
                defer {
                    if !report.unexercised.isEmpty && !checked.pack.tests.isEmpty {
                        print("\(tenant): no test exercised \(report.unexercised.count) rule\(report.unexercised.count == 1 ? "" : "s"): \(report.unexercised.joined(separator: ", "))")
                    }
                }
                for outcome in report.outcomes {
                    cases.append((tenant, outcome))
                    switch outcome.status {
                    case .passed: passed += 1; print("ok      \(tenant): \(outcome.name)")
                    case .skipped: skipped += 1; print("skipped \(tenant): \(outcome.name): \(outcome.detail)")
                    case .failed:
                        failed += 1
                        print("FAILED  \(tenant): \(outcome.name)")
                        print(outcome.detail.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
                    }
                }
            }
        }
        print("\(passed) passed, \(failed) failed, \(skipped) skipped")
        if let junit { try writeJUnit(cases, to: junit) }
        if failed > 0 { throw ExitCode(1) }
    }

    /// A file given alone is tested as a one-file pack, without the channels, macros and rules of
    /// the files beside it: when there are such files, say to pass the folder.
    static func onePackFileNote(_ path: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { return nil }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let others = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && $0 != url.lastPathComponent }
        guard !others.isEmpty else { return nil }
        let shown = (path as NSString).deletingLastPathComponent
        let dir = shown.isEmpty ? "." : shown
        return "note: `\(path)` is one file of a pack of \(others.count + 1) files; it is tested alone, without the others' "
            + "channels, macros and rules: pass the folder to test the whole pack, `rulec test \(dir)`"
    }

    private func writeJUnit(_ cases: [(suite: String, outcome: TestOutcome)], to path: String) throws {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for suite in Set(cases.map(\.suite)).sorted() {
            let mine = cases.filter { $0.suite == suite }.map(\.outcome)
            xml += "  <testsuite name=\"\(esc(suite))\" tests=\"\(mine.count)\" failures=\"\(mine.count { $0.status == .failed })\" skipped=\"\(mine.count { $0.status == .skipped })\">\n"
            for o in mine {
                xml += "    <testcase classname=\"\(esc(suite))\" name=\"\(esc(o.name))\""
                switch o.status {
                case .passed: xml += "/>\n"
                case .skipped: xml += "><skipped message=\"\(esc(o.detail))\"/></testcase>\n"
                case .failed:
                    let headline = o.detail.split(separator: "\n").first.map(String.init) ?? "failed"
                    xml += "><failure message=\"\(esc(headline))\">\(esc(o.detail))</failure></testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        try OutputFile.write(Array(xml.utf8), to: path)
    }
}

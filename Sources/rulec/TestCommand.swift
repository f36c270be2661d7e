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
        discussion: "Exit status: 0 when every test passed or was skipped, 1 when one failed or a pack has errors, 2 on usage or I/O errors."
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

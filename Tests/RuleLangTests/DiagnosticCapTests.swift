import HostileInputs
import Testing
@testable import RuleLang

/// User text a diagnostic quotes is cut to 80 characters and `…` (whole clusters), and every
/// format stops after 50 diagnostics with the count of the rest.
@Suite struct DiagnosticCapTests {
    /// A pack whose one route calls a function named by `name`.
    static func unknownFunction(_ name: String) -> String {
        routePack(Quote.single("\(name)(alertname) == \"x\""))
    }

    @Test func longQuotedNameIsCutInTheHeadline() {
        let d = check(Self.unknownFunction(String(repeating: "a", count: 1 << 20)))
        #expect(codes(d) == ["E0202"])
        #expect(d.first?.message == "unknown function `" + String(repeating: "a", count: 80) + "…`")
        // Every format draws the capped headline; the excerpt is windowed on its own.
        let text = DiagnosticRenderer().text(d)
        #expect(text.utf8.count < 1_000, "\(text.utf8.count) bytes")
        #expect(text.hasPrefix("error[E0202]: unknown function `" + String(repeating: "a", count: 80) + "…`\n"))
        let json = CheckReport(tenants: [TenantResult(tenant: "t", files: 1, rules: 1, diagnostics: d)]).json().rendered()
        #expect(json.utf8.count < 2_000, "\(json.utf8.count) bytes")
    }

    @Test func shortQuotesAreKept() {
        #expect(QuotedText.capped("unknown function `abc`") == "unknown function `abc`")
        let exact = "unknown function `" + String(repeating: "b", count: 80) + "`"
        #expect(QuotedText.capped(exact) == exact)
        // Unquoted words are not cut below the line cap; an unclosed quote is cut like a quote.
        let words = String(repeating: "word ", count: 30)
        #expect(QuotedText.capped(words) == words)
        #expect(QuotedText.capped("bad `" + String(repeating: "c", count: 100)) == "bad `" + String(repeating: "c", count: 80) + "…")
    }

    @Test func cutsFallBetweenGraphemeClusters() {
        // `e` + U+0301 is one character of two scalars: 80 of them are kept whole.
        let accented = String(repeating: "e\u{301}", count: 100)
        let cut = QuotedText.capped("zone `\(accented)`")
        #expect(cut == "zone `" + String(repeating: "e\u{301}", count: 80) + "…`")
        // One cluster of 10,001 scalars is no character: it is cut by scalars, 320 kept.
        let cluster = "e" + String(repeating: "\u{301}", count: 10_000)
        let cutCluster = QuotedText.capped("zone `\(cluster)`")
        #expect(cutCluster.unicodeScalars.count == "zone `".count + 320 + 2)
        #expect(cutCluster.hasSuffix("…`"))
    }

    @Test func manyShortQuotesStopAtTheLineCap() {
        let many = (0..<200).map { "`n\($0)`" }.joined(separator: ", ")
        let cut = QuotedText.capped("names " + many)
        #expect(cut.count == QuotedText.maxLine + 1)
        #expect(cut.hasSuffix("…"))
    }

    /// Every draw of the long-quotes family: each headline, label and help line is at most a
    /// line (400 characters and `…`), and no quote runs past 80 characters of the long text.
    @Test func longQuotesFamilyKeepsHeadlinesShort() {
        var choices: any Choices = SeededChoices(seed: 0x5EED_0C47)
        var seen = 0
        for _ in 0..<20 {
            let pack = HostilePacks.longQuotes(&choices)
            let d = Frontend.check(tenant: "hostile", files: [SourceFile(path: "hostile/00-pack.yaml", text: pack.yaml)]).1
            for x in d {
                seen += 1
                for line in [x.message] + (x.label.map { [$0] } ?? []) + x.help {
                    #expect(line.count <= QuotedText.maxLine + 1, "\(pack.name): \(line.count) characters")
                    for run in ["a", "é", "e\u{301}"] {
                        #expect(!line.contains(String(repeating: run, count: QuotedText.maxQuoted + 1)), "\(pack.name): \(line.prefix(120))")
                    }
                }
            }
        }
        #expect(seen >= 20)
    }

    /// 60 errors: text, GitHub, JSON and SARIF each show 50 and count the 10 others.
    @Test func everyFormatCapsAtFifty() throws {
        let routes = (0..<60).map { "  - {name: r\($0), when: 'nope\($0)(alertname)', notify: [c]}\n" }.joined()
        let yaml = "rulelang: 1\nchannels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/hook\"}\nroutes:\n" + routes
            + "  - {name: default, when: true, notify: [c]}\n"
        let d = check(yaml)
        #expect(d.count == 60)
        let report = CheckReport(tenants: [TenantResult(tenant: "t", files: 1, rules: 61, diagnostics: d)])
        #expect(report.text(renderer: DiagnosticRenderer()).contains("… and 10 more diagnostics not shown\n"))
        #expect(report.github().contains("::notice::10 more diagnostics not shown\n"))
        guard case .object(let json) = report.json() else { Issue.record("not an object"); return }
        let fields = Dictionary(uniqueKeysWithValues: json)
        guard case .array(let shown)? = fields["diagnostics"] else { Issue.record("no diagnostics"); return }
        #expect(shown.count == 50)
        #expect(fields["diagnostics_not_shown"] == .int(10))
        #expect(fields["errors"] == .int(60))
        let sarif = report.sarif(version: "0").rendered()
        #expect(sarif.components(separatedBy: "\"ruleId\"").count - 1 == 50)
        #expect(sarif.contains("\"text\": \"10 more diagnostics not shown\""))
        // Under the cap nothing is added.
        let few = CheckReport(tenants: [TenantResult(tenant: "t", files: 1, rules: 61, diagnostics: Array(d.prefix(50)))])
        guard case .object(let fewJSON) = few.json() else { return }
        #expect(!fewJSON.contains { $0.0 == "diagnostics_not_shown" })
        #expect(!few.sarif(version: "0").rendered().contains("invocations"))
    }
}

import Foundation
import RuleLang
import Testing

/// Alertmanager compiles regex matchers with Go's RE2, which refuses constructs PCRE2 accepts;
/// the import refuses them too, at the matcher's line and with Go's message, so no file
/// Alertmanager would reject becomes a pack. The table was taken from Debian's
/// `amtool check-config` (Alertmanager 0.25), and is compared with it when it is installed.
@Suite struct AlertmanagerRegexTests {
    /// A configuration whose one child route has `match_re: {a: PATTERN}`.
    static func config(_ pattern: String) -> String {
        "route: {receiver: r, routes: [{match_re: {a: '\(pattern.replacingOccurrences(of: "'", with: "''"))'}}]}\nreceivers: [{name: r}]\n"
    }

    /// nil when the import translates the file; else its first diagnostic's message after the
    /// common prefix.
    static func refusal(_ pattern: String) -> String? {
        switch AlertmanagerImport.translate(SourceFile(path: "am.yml", text: config(pattern)), tenant: "am") {
        case .success: return nil
        case .failure(let f): return f.diagnostics.first?.message.replacingOccurrences(of: "invalid regular expression in matcher `a`: ", with: "")
        }
    }

    /// Patterns and Alertmanager's verdict: nil accepted, else Go's message.
    static let table: [(String, String?)] = [
        // Lookaround, backreferences, recursion, conditionals, atomic groups: PCRE2 only.
        ("(?=x)y", "invalid or unsupported Perl syntax: `(?=`"),
        ("(?!x)y", "invalid or unsupported Perl syntax: `(?!`"),
        ("(?<=x)y", "invalid or unsupported Perl syntax: `(?<`"),
        ("(?<!x)y", "invalid or unsupported Perl syntax: `(?<`"),
        ("(a)\\1", "invalid escape sequence: `\\1`"),
        ("(?P<n>a)(?P=n)", "invalid or unsupported Perl syntax: `(?P`"),
        ("\\k<n>", "invalid escape sequence: `\\k`"),
        ("\\g1", "invalid escape sequence: `\\g`"),
        ("(?>a)", "invalid or unsupported Perl syntax: `(?>`"),
        ("(a|b(?R))", "invalid or unsupported Perl syntax: `(?R`"),
        ("(a)(?1)", "invalid or unsupported Perl syntax: `(?1`"),
        ("(?P>n)", "invalid or unsupported Perl syntax: `(?P`"),
        ("(?(1)a|b)", "invalid or unsupported Perl syntax: `(?(`"),
        ("(?#c)a", "invalid or unsupported Perl syntax: `(?#`"),
        ("(?|a)", "invalid or unsupported Perl syntax: `(?|`"),
        ("(?x)a b", "invalid or unsupported Perl syntax: `(?x`"),
        ("(?<n>a)", "invalid or unsupported Perl syntax: `(?<`"),
        ("(?-)a", "invalid or unsupported Perl syntax: `(?-)`"),
        // Possessive and stacked quantifiers, repeat counts over 1,000 (alone or nested).
        ("a*+", "invalid nested repetition operator: `*+`"),
        ("a++", "invalid nested repetition operator: `++`"),
        ("a?+", "invalid nested repetition operator: `?+`"),
        ("a{2}+", "invalid nested repetition operator: `{2}+`"),
        ("a**", "invalid nested repetition operator: `**`"),
        ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        ("a{1001}", "invalid repeat count: `{1001}`"),
        ("a{2,1001}", "invalid repeat count: `{2,1001}`"),
        ("(a{100}){100}", "invalid repeat count: `{100}`"),
        // Escapes Go does not have.
        ("a\\Cb", "invalid escape sequence: `\\C`"),
        ("a\\Z", "invalid escape sequence: `\\Z`"),
        ("\\Ga", "invalid escape sequence: `\\G`"),
        ("a\\Kb", "invalid escape sequence: `\\K`"),
        ("\\R", "invalid escape sequence: `\\R`"),
        ("\\X", "invalid escape sequence: `\\X`"),
        ("\\h", "invalid escape sequence: `\\h`"),
        ("\\e", "invalid escape sequence: `\\e`"),
        ("\\8", "invalid escape sequence: `\\8`"),
        ("[\\b]", "invalid escape sequence: `\\b`"),
        ("\\é", "invalid escape sequence: `\\é`"),
        ("\\o{12}", "invalid escape sequence: `\\o`"),
        ("\\cA", "invalid escape sequence: `\\c`"),
        ("\\N", "invalid escape sequence: `\\N`"),
        ("\\u0041", "invalid escape sequence: `\\u`"),
        // What both accept.
        ("(?P<n>a)", nil), ("(?i)abc", nil), ("(?i:abc)", nil), ("(?s-i:a.)", nil), ("(?i-s)a", nil),
        ("(?U)a*", nil), ("a{1000}", nil), ("(a{10}){100}", nil), ("a{,5}", nil), ("a{5", nil),
        ("\\d+\\s*\\w\\D\\S\\W", nil), ("\\pL\\p{Greek}\\PL", nil), ("[[:alpha:]]+", nil), ("[^a-z\\d]", nil),
        ("\\x41\\x{263a}", nil), ("\\101", nil), ("\\0", nil), ("\\Qa.b\\E", nil), ("\\Aabc\\z", nil), ("\\bword\\B", nil),
        ("a|b|c", nil), (".*", nil), ("\\.\\*\\+\\?\\(\\)", nil), ("\\_", nil), ("[]a]", nil), ("a*?", nil), ("a{2,3}?", nil),
    ]

    @Test(arguments: table)
    func regexMatchers(_ pattern: String, _ expected: String?) {
        #expect(Self.refusal(pattern) == expected, "\(pattern)")
    }

    /// A group name starting with a digit: RE2 takes it, PCRE2 (what the pack runs on) does
    /// not, so the import refuses it with PCRE2's message rather than write a pack that fails.
    @Test func pcre2RefusalsStay() {
        #expect(Self.refusal("(?P<1n>a)") == "subpattern name must start with a non-digit")
    }

    /// The refusal is at the matcher's value, code E0304, with RE2 named in the help.
    @Test func refusedAtTheMatcher() throws {
        let yaml = "route: {receiver: r}\nreceivers: [{name: r}]\ninhibit_rules:\n  - source_matchers: ['a=~\"x(?=y)\"']\n"
        guard case .failure(let f) = AlertmanagerImport.translate(SourceFile(path: "am.yml", text: yaml), tenant: "am") else {
            Issue.record("a lookahead was accepted")
            return
        }
        let d = try #require(f.diagnostics.first)
        let at = try #require(d.span.map { $0.file.location(of: $0.start) })
        #expect("\(at.line):\(at.column) \(d.code.id) \(d.message)" == "4:23 E0304 invalid regular expression in matcher `a`: invalid or unsupported Perl syntax: `(?=`")
        #expect(d.help.first?.contains("RE2") == true)
    }

    /// The same table against amtool, when installed: the import refuses exactly what it refuses.
    @Test(.enabled(if: AlertmanagerParityTests.amtool != nil)) func tableAgreesWithAmtool() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-am-re-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, (pattern, expected)) in Self.table.enumerated() {
            let path = dir.appendingPathComponent("c\(i).yml").path
            try Self.config(pattern).write(toFile: path, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: AlertmanagerParityTests.amtool!)
            p.arguments = ["check-config", path]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = Pipe()
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect((p.terminationStatus == 0) == (expected == nil), "\(pattern)")
            if let expected { #expect(text.contains("error parsing regexp: " + expected), "\(pattern): \(text)") }
        }
    }
}

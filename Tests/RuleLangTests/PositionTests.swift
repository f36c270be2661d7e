import Testing
@testable import RuleLang

/// Positions are exact in the YAML file for every scalar style (spec section 4).
@Suite struct PositionTests {
    private let schema = "  service: string\n  env: string"

    /// The first error's `line:column` and the text under it.
    private func firstError(_ yaml: String) -> String {
        guard let d = check(yaml).first(where: { $0.severity == .error }) else { return "no error" }
        return "\(d.code.id) \(position(d)) \(spanText(d))"
    }

    private func pack(_ whenLines: String) -> String {
        "rulelang: 1\nlabels:\n\(schema)\nchannels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/\"}\nroutes:\n  - name: r\n    notify: [c]\n    when: \(whenLines)\n  - {name: d, when: true, notify: [c]}\n"
    }

    @Test func plainScalar() {
        #expect(firstError(pack("env == \"prod\" && servce == \"x\"")) == "E0201 10:28 servce")
    }

    @Test func plainMultiLineScalar() {
        #expect(firstError(pack("env == \"prod\" &&\n      servce == \"x\"")) == "E0201 11:7 servce")
    }

    @Test func singleQuotedScalar() {
        #expect(firstError(pack("'env == ''prod'' && servce == \"x\"'")) == "E0201 10:31 servce")
    }

    @Test func doubleQuotedScalarWithEscapes() {
        #expect(firstError(pack("\"labels[\\\"a-b\\\"] == \\\"\\u00e9\\\" && servce == \\\"y\\\"\"")) == "E0201 10:45 servce")
    }

    @Test func literalBlockScalar() {
        #expect(firstError(pack("|\n      env == \"prod\"\n        && servce == \"x\"")) == "E0201 12:12 servce")
    }

    @Test func foldedBlockScalar() {
        #expect(firstError(pack(">\n      env == \"prod\"\n      && servce == \"x\"\n")) == "E0201 12:10 servce")
    }

    @Test func regexErrorPointsInsideThePattern() {
        #expect(firstError(pack("'service =~ \"ab[c\"'")) == "E0304 10:28 \"")
        #expect(firstError(pack("'service =~ \"a(?<n\"'")) == "E0304 10:29 \"")
        #expect(firstError(pack("'service =~ \"a\\\\qx)\"'")) == "E0304 10:27 q")
    }

    @Test func regexErrorInsideADoubleQuotedYamlScalar() {
        // YAML escapes (\") and expression escapes (\\) both shift the column.
        #expect(firstError(pack("\"service =~ \\\"x+*\\\"\"")) == "E0304 10:27 *")
    }

    @Test func unicodeColumnsCountScalars() {
        #expect(firstError(pack("'env == \"é→\" && servce == \"x\"'")) == "E0201 10:27 servce")
    }

    @Test func yamlSyntaxErrorPosition() {
        let d = check("rulelang: 1\nroutes:\n  - name: a\n   when: b\n")
        #expect(codes(d) == ["E0001"])
        #expect(position(d[0]) == "4:4")
    }

    @Test func duplicateKeyPointsAtTheSecond() {
        let d = check("rulelang: 1\ntier: gold\ntier: silver\n")
        #expect(codes(d) == ["E0003"])
        #expect(position(d[0]) == "3:1")
        #expect(d[0].notes.map { $0.span.file.location(of: $0.span.start).line } == [2])
    }
}

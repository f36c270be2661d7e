import TestSupport
import RuleRuntime
import Testing
@testable import RuleCompiler
import RuleLang
import RuleVM

/// A pack that reads more distinct labels than the VM can address (65,536: a slot is a 16-bit
/// operand) is E0312 at the first read past the limit, through every instruction that names a
/// label (fused tests, sets, regexes, prefixes, plain reads); at the limit it compiles and runs.
@Suite struct LabelLimitTests {
    /// Label reads in each shape the lowering fuses, and a plain read.
    static let shapes = [
        "exists(labels.l#)", "labels.l# == \"x\"", "labels.l# in [\"a\", \"b\"]", "labels.l# in [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\"]",
        "labels.l# =~ \"a.*\"", "labels.l# startswith \"a\"", "len(labels.l# ?? \"\") > 2", "labels.l# > \"a\"",
    ]

    /// Routes reading `count` distinct labels, 500 a route, shapes in turn.
    static func pack(labels count: Int) -> String {
        var yaml = "rulelang: 1\nroutes:\n"
        for start in stride(from: 0, to: count, by: 500) {
            let terms = (start..<min(count, start + 500)).map { shapes[$0 % shapes.count].replacingOccurrences(of: "#", with: "\($0)") }
            yaml += "  - name: r\(start / 500)\n    when: '\(terms.joined(separator: " || "))'\n"
        }
        return yaml
    }

    @Test func labelsPastTheVMsSlotsAreReportedAtTheirSpan() {
        let (pack, _) = compilePack(Self.pack(labels: 65_536))
        #expect(pack.program.labelSlots.count == 65_536)
        let d = PackEvaluator(pack: pack).evaluate(alert(["alertname": "A", "l65535": "abc"]), now: jan1)
        #expect(d.routes == [["r131"]])
        let report = HostilePackTests.compileReport(Self.pack(labels: 65_537))
        // Label 65,536 (the 65,537th) is the last term of the last route, on line 266.
        #expect(report.hasPrefix("""
        error[E0312]: pack needs more than 65536 distinct labels, the most the vm can address
           --> t.yaml:266:1161
        """), "\(report.prefix(600))")
    }
}

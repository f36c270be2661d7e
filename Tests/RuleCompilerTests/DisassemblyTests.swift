import TestSupport
import RuleRuntime
import Foundation
import Testing
import RuleCompiler
import RuleLang
import RuleText
import RuleVM

/// Golden disassembly of a pack that exercises every shape the lowering treats specially.
/// Regenerate the golden files with `RULELANG_BLESS=1 swift test --filter DisassemblyTests`.
@Suite struct DisassemblyTests {
    /// One route per shape: fused label tests (`==`, `!=`, `in` a list literal, `not in` a named
    /// list, both as runs of equalities, and `in`/`not in` lists over 8 strings as hash sets,
    /// `=~`, `!~`, `exists(label)` as the empty prefix test), fused severity tests (`>=`,
    /// `in [..]`), a comparison fused with its jump, `and`/`or` as values, `??`, `?:`, an
    /// `any(...)` loop, arithmetic, builtin calls (`lower`, `len`, `exists` as a value) and
    /// `in_window`.
    static let yaml = """
    rulelang: 1
    channels:
      c: {type: webhook, url: "http://127.0.0.1:9/"}
    lists:
      teams: [payments, ledger]
      regions: [eu-west-1, eu-west-2, eu-central-1, us-east-1, us-east-2, us-west-1, us-west-2, ap-south-1, ap-east-1]
    time_windows:
      office:
        weekdays: [mon-fri]
        hours: "09:00-17:00"
    routes:
      - name: label-eq-ne
        when: 'env == "prod" && alertname != "Watchdog"'
        notify: [c]
      - name: label-in-not-in
        when: 'team in ["payments", "fraud"] && team not in teams'
        notify: [c]
      - name: label-in-set
        when: 'region in regions && zone not in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]'
        notify: [c]
      - name: label-match
        when: 'service =~ "db-[0-9]+" and instance !~ "canary-.*"'
        notify: [c]
      - name: severity-tests
        when: 'severity >= error || severity in [info, critical]'
        notify: [c]
      - name: value-and-or
        when: '(env == "prod" && team == "payments") == (service == "api" || region == "eu")'
        notify: [c]
      - name: coalesce-conditional
        when: '(region ?? "none") == (exists(datacenter) ? datacenter : "eu")'
        notify: [c]
      - name: any-loop
        when: 'any(split(labels.tags ?? "", ","), trim(it) == "pci")'
        notify: [c]
      - name: arithmetic-builtins
        when: '(float(labels.ratio) ?? 0.0) * 100 + 1 > 2.5 && len(lower(service ?? "")) % 3 == 1 && exists(zone) == exists(datacenter)'
        notify: [c]
      - name: in-window
        when: 'in_window(office) and env == "prod"'
        notify: [c]
      - {name: default, when: true, notify: [c]}
    """

    static func disassembly(optimize: Bool) -> (RuntimePack, String) {
        let (pack, files) = compilePack(yaml, optimize: optimize, path: "disasm.yaml")
        return (pack, Disassembler.text(pack.program, sources: files))
    }

    @Test func unoptimized() {
        let (_, text) = Self.disassembly(optimize: false)
        let (actual, expected) = Repo.golden(text, "disasm-unoptimized.txt")
        #expect(actual == expected)
    }

    @Test func optimized() {
        let (_, text) = Self.disassembly(optimize: true)
        let (actual, expected) = Repo.golden(text, "disasm-optimized.txt")
        #expect(actual == expected)
    }

    /// The pack really produces the instructions the goldens are meant to show, so a lowering
    /// change that drops one fails here and not only as a golden diff.
    @Test func packExercisesEveryShape() {
        for optimize in [false, true] {
            let (pack, text) = Self.disassembly(optimize: optimize)
            let p = pack.program
            #expect(Verifier.verify(p) == nil)
            var ops = Set<Opcode>()
            var builtins = Set<BuiltinID>()
            var pc = 0
            while pc < p.code.count {
                let i = p.code[pc]
                ops.insert(i.op)
                if i.op == .call, let f = BuiltinID(rawValue: i.a) { builtins.insert(f) }
                pc += i.op.width
            }
            let required: Set<Opcode> = [
                .jumpLabelEq, .jumpLabelNe, .jumpLabelIn, .jumpLabelNotIn, .jumpLabelMatch, .jumpLabelNoMatch, .jumpLabelNotAffix,
                .jumpSeverity, .jumpIf, .jumpIfNot, .jumpIfPresent, .jump, .iterate, .next, .it, .call, .inWindow,
                .mul, .add, .mod, .jumpCompare, .eq, .const_, .retTrue, .retFalse,
            ]
            #expect(required.isSubset(of: ops), "optimize \(optimize): missing \(required.subtracting(ops).map(\.mnemonic).sorted())")
            let calls: Set<BuiltinID> = [.lower, .len, .split, .trim, .float, .exists]
            #expect(calls.isSubset(of: builtins), "optimize \(optimize): missing \(calls.subtracting(builtins))")
            for route in ["label-eq-ne", "label-in-not-in", "label-in-set", "label-match", "severity-tests", "value-and-or",
                          "coalesce-conditional", "any-loop", "arithmetic-builtins", "in-window", "default"] {
                #expect(text.contains(route), "optimize \(optimize): no entry for \(route)")
            }
            #expect(text.contains("disasm.yaml:"), "spans resolve to file:line")
        }
    }

    /// Optimizing changes no decision.
    @Test func optimizedAndUnoptimizedAgree() {
        let plain = PackEvaluator(pack: Self.disassembly(optimize: false).0)
        let optimized = PackEvaluator(pack: Self.disassembly(optimize: true).0)
        let alerts: [AlertInput] = [
            alert(["alertname": "A", "env": "prod"]),
            alert(["alertname": "Watchdog", "env": "prod"], severity: 2),
            alert(["alertname": "A", "team": "fraud"]),
            alert(["alertname": "A", "service": "db-12", "instance": "i-1"], severity: 1),
            alert(["alertname": "A", "service": "db-12", "instance": "canary-1"], severity: 0),
            alert(["alertname": "A", "env": "prod", "team": "payments", "service": "api"], severity: 1),
            alert(["alertname": "A", "region": "eu"], severity: 1),
            alert(["alertname": "A", "region": "us", "datacenter": "us"], severity: 1),
            alert(["alertname": "A", "tags": "x, pci"], severity: 1),
            alert(["alertname": "A", "ratio": "0.5", "service": "a"], severity: 1),
            alert(["alertname": "A"], severity: 1),
        ]
        for now in [jan1, jan1 + 14 * 3_600_000] {
            for a in alerts {
                let x = plain.evaluate(a, now: now), y = optimized.evaluate(a, now: now)
                #expect(x.routes == y.routes, "\(a.labels) at \(now)")
                #expect(x.errors.map { "\($0.rule) \($0.error)" } == y.errors.map { "\($0.rule) \($0.error)" })
            }
        }
    }
}

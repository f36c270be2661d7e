import TestSupport
import RuleRuntime
import Foundation
import Testing
import RuleCompiler
import RuleLang
@testable import RuleVM

@Suite struct VMTests {
    @Test func valueFitsSixteenBytes() {
        #expect(MemoryLayout<Value>.size <= 16)
        #expect(MemoryLayout<Value>.stride == 16)
        #expect(MemoryLayout<Instruction>.stride == 8)
        // The label-test loops read a slot's second word as length | tag << 32 | pool << 40.
        #expect(MemoryLayout<Value>.offset(of: \.bits) == 0)
        #expect(MemoryLayout<Value>.offset(of: \.count) == 8)
        #expect(MemoryLayout<Value>.offset(of: \.tag) == 12)
        #expect(MemoryLayout<Value>.offset(of: \.pool) == 13)
    }

    private func runError(_ when: String, labels: [String: String], budget: Int = 10_000) -> String {
        let file = SourceFile(path: "t.yaml", text: "rulelang: 1\nroutes:\n  - name: r\n    when: '\(when)'\n")
        let (checked, d) = Frontend.check(tenant: "t", files: [file], options: { var o = CheckOptions(); o.ruleBudget = 1_000_000; return o }())
        precondition(d.filter { $0.severity == .error }.isEmpty, "\(d.map(\.message))")
        let pack = compiled(checked, options: CompileOptions(budget: budget))
        let vm = VM(program: pack.verified)
        vm.bind(alert(labels), now: jan1)
        switch vm.run(pack.program.entries[0]) {
        case .success(let v): return "value \(vm.plain(v))"
        case .failure(let e):
            let s = pack.program.span(at: e.pc)!
            return "\(e.kind.rawValue) at \(file.location(of: Int(s.start)).line):\(file.location(of: Int(s.start)).column)"
        }
    }

    @Test func runTimeErrorsCarryTheirSpan() {
        #expect(runError("int(x) * 9223372036854775807 > 1", labels: ["x": "2"]) == "integer overflow at 4:12")
        #expect(runError("1 + int(x) / int(y) > 1", labels: ["x": "2", "y": "0"]) == "division by zero at 4:16")
        #expect(runError("1 + int(x) / int(y) > 1", labels: ["x": "2", "y": "1"]) == "value true")
    }

    @Test func budgetsAreEnforcedAtRunTime() {
        let long = Array(repeating: "a", count: 200).joined(separator: ",")
        #expect(runError("any(split(x, \",\"), it == \"b\")", labels: ["x": long], budget: 500) == "instruction budget exceeded at 4:12")
        #expect(runError("any(split(x, \",\"), it == \"b\")", labels: ["x": long]) == "value false")
        let big = String(repeating: "x", count: 4000)
        #expect(runError("len(join(split(x, \"\"), x)) > 0", labels: ["x": big]) == "memory budget exceeded at 4:16")
    }

    /// Anchored patterns know the bytes every match starts with, and only when that is certain.
    @Test(arguments: [
        ("k8s-staging.*", "k8s-staging"), ("High(Latency|ErrorRate)", "High"), ("prod", "prod"), ("ab*", "a"),
        ("ab+c", "a"), ("xy?", "x"), ("éa{2}", "é"), ("aé?", "a"), ("a\\.b", "a"), ("[]a]b", ""), ("a[|]", "a"),
        ("a|b", ""), ("ab|", ""), ("(a)|b", ""), ("x(a|b)", "x"), ("(?i)prod", ""), ("pr(?i)od", ""), ("a\\Q|\\E", ""),
        ("(*UTF)ab", ""), ("a[[:alpha:]]", ""), ("abc\\c(|zzz", ""), ("abc\\c[|zzz", ""), ("abc\\c\\|zzz", ""), ("^ab", ""), (".*", ""), ("", ""), ("日本.", "日本"),
    ])
    func regexLiteralPrefix(pattern: String, prefix: String) throws {
        let anchored = try Regex.compile(pattern, anchored: true).get()
        #expect(String(decoding: anchored.prefix, as: UTF8.self) == prefix)
        let searching = try Regex.compile(pattern, anchored: false).get()
        #expect(searching.prefix.isEmpty)
    }

    /// An entry made only of fused label and severity tests runs on the short loop; it gives
    /// the same answers as the same rule written so that it cannot.
    @Test func testsOnlyEntries() {
        let (pack, _) = compilePack("""
        rulelang: 1
        lists:
          big: [a1, a2, a3, a4, a5, a6, a7, a8, a9]
        routes:
          - {name: tests, when: 'env == "prod" && team in ["payments", "ledger"] && service not in big && region startswith "eu-" && severity >= error'}
          - {name: general, when: 'env == "prod" && team in ["payments", "ledger"] && service not in big && region startswith "eu-" && severity >= error && len(env) > 0'}
          - {name: regex, when: 'env =~ "pro.*"'}
          - {name: long, when: 'instance != "instance-0000000000000001" && instance != "instance-00000002" && instance != "i-3"'}
        """)
        let entries = pack.routes.map { pack.program.entries[$0.entry] }
        #expect(entries.map(\.testsOnly) == [true, false, false, true])
        let vm = VM(program: pack.verified)
        // Constants of 24, 17 and 3 bytes: past the inline loop's 16, and not.
        for instance in ["instance-0000000000000001", "instance-0000000000000002", "instance-00000002", "instance-00000003", "i-3", "i-4", ""] {
            vm.bind(alert(["alertname": "A", "instance": instance]), now: jan1)
            let expected = !["instance-0000000000000001", "instance-00000002", "i-3"].contains(instance)
            #expect(vm.matches(entry: pack.routes[3].entry) == expected, "\(instance)")
        }
        for env in ["prod", "dev", nil] {
            for team in ["payments", "ledger", "x"] {
                for service in ["a3", "api"] {
                    for region in ["eu-west-1", "us-east-1"] {
                        for severity in [UInt8(1), 3] {
                            var labels = ["alertname": "A", "team": team, "service": service, "region": region]
                            labels["env"] = env
                            vm.bind(alert(labels, severity: severity), now: jan1)
                            let expected = env == "prod" && team != "x" && service == "api" && region == "eu-west-1" && severity == 3
                            #expect(vm.matches(entry: pack.routes[0].entry) == expected)
                            #expect(vm.matches(entry: pack.routes[1].entry) == expected)
                            #expect(vm.matches(entries[0]) == expected)
                            #expect(try! vm.run(entry: pack.routes[0].entry).get() == .bool(expected))
                        }
                    }
                }
            }
        }
    }

    /// `setLabel` / `setAnnotation` after `bind` leave the VM as binding the changed alert does:
    /// every entry gives the same value, memoized subexpressions, number labels and the
    /// `alertname` field included; a set of the value a label has changes nothing. A VM that
    /// adopts the binding (`adoptBinding`) gives the same values too, its input pool grown
    /// when the other's is bigger; a VM of another program adopts nothing.
    @Test func setLabelIsARebind() {
        let (pack, _) = compilePack("""
        rulelang: 1
        labels:
          ratio: number
          env: string
          team: string
        routes:
          - {name: a, when: 'env == "prod" && lower(team ?? "") == "pay"'}
          - {name: b, when: 'lower(team ?? "") == "pay" || ratio > 0.5'}
          - {name: c, when: 'alertname == "Disk" && annotations.summary contains "full"'}
          - {name: d, when: 'labels["env"] == "prod" && "team" in labels'}
        """)
        let base: [String: String] = ["alertname": "CPU", "env": "dev", "team": "Ops", "ratio": "0.2"]
        let changes: [(String, String)] = [("env", "prod"), ("team", "PAY"), ("ratio", "0.9"), ("ratio", "x"), ("alertname", "Disk"),
                                           ("annotations.summary", "disk full"), ("new", "v"), ("env", "dev"), ("ratio", "0.2"),
                                           ("team", String(repeating: "pay ", count: 2_000))]
        let changed = VM(program: pack.verified), fresh = VM(program: pack.verified), adopted = VM(program: pack.verified)
        #expect(!VM(program: compilePack("rulelang: 1\nroutes:\n  - {name: a, when: true}\n").0.verified).adoptBinding(of: changed, now: jan1))
        for (key, value) in changes {
            var labels = base, annotations = ["summary": "cpu"]
            changed.bind(AlertInput(labels: labels, annotations: annotations, fingerprint: "f", tenant: "t"), now: jan1)
            for e in pack.program.entries.indices { _ = changed.run(entry: e) }   // fill the memo slots
            if key.hasPrefix("annotations.") {
                annotations[String(key.dropFirst(12))] = value
                changed.setAnnotation(String(key.dropFirst(12)), value)
            } else {
                labels[key] = value
                changed.setLabel(key, value)
            }
            #expect(changed.labels == labels && changed.annotations == annotations, "\(key)=\(value)")
            fresh.bind(AlertInput(labels: labels, annotations: annotations, fingerprint: "f", tenant: "t"), now: jan1)
            #expect(adopted.adoptBinding(of: changed, now: jan1))
            for e in pack.program.entries.indices {
                let a = changed.run(entry: e).map { changed.plain($0) }, b = fresh.run(entry: e).map { fresh.plain($0) }
                #expect(a == b, "\(key)=\(value), entry \(pack.program.entries[e].name)")
                #expect(adopted.run(entry: e).map { adopted.plain($0) } == b, "adopted: \(key)=\(value), entry \(pack.program.entries[e].name)")
            }
            #expect(adopted.labels == labels && adopted.annotations == annotations)
        }
    }

    /// Slots are found by the bytes of label names: canonically equivalent spellings are two
    /// names, a repeated name keeps its first index, and long or absent names are not found.
    @Test func nameTablesCompareBytes() {
        let names = ["caf\u{E9}", "cafe\u{301}", "alertname", "a", "caf\u{E9}", String(repeating: "x", count: 300)]
        let table = NameTable(names)
        #expect(names.map { table.value($0) } == [0, 1, 2, 3, 0, 5])
        #expect(table.value("b") == nil && table.value("") == nil && table.value("alertnam") == nil)
        let many = (0..<200).map { "label_\($0)" }
        let big = NameTable(many)
        #expect(many.indices.allSatisfy { big.value(many[$0]) == $0 })
        #expect(big.value("label_200") == nil)
    }

    @Test func regexMatchLimitIsAnError() {
        let evil = String(repeating: "a", count: 40) + "!"
        #expect(runError("x =~ \"(a+)+$\"", labels: ["x": evil]) == "regex match limit exceeded at 4:12")
        #expect(runError("x =~ \"(a+)+$\"", labels: ["x": "aaa"]) == "value true")
    }
}

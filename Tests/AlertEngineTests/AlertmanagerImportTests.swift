import TestSupport
import RuleRuntime
import Foundation
import Testing
import AlertEngine
import RuleCompiler
import RuleLang

/// `rulec import alertmanager` treats the Alertmanager file as untrusted input: no value can
/// add YAML of its own to the pack, matchers and durations are read with Alertmanager's own
/// syntax, what Alertmanager rejects is an error naming the line, and the output is bounded.
@Suite struct AlertmanagerImportTests {
    static func translate(_ yaml: String) -> Result<String, AlertmanagerImport.Failure> {
        AlertmanagerImport.translate(SourceFile(path: "am.yml", text: yaml), tenant: "am")
    }

    /// The first diagnostic as `line:column code message`, or the generated pack.
    static func outcome(_ yaml: String) -> String {
        switch translate(yaml) {
        case .success(let text): return text
        case .failure(let f):
            guard let d = f.diagnostics.first else { return "no diagnostic" }
            let at = d.span.map { let l = $0.file.location(of: $0.start); return "\(l.line):\(l.column)" } ?? "-"
            return "\(at) \(d.code.id) \(d.message)"
        }
    }

    static func check(_ pack: String) -> (CheckedPack, [Diagnostic]) {
        let (checked, d) = Frontend.check(tenant: "am", files: [SourceFile(path: "imported.yaml", text: pack)])
        return (checked, d.filter { $0.severity == .error })
    }

    /// Every field the import writes carries text that tries to end its scalar and start a
    /// rule: a mute-everything `suppress` rule, a route of its own. The pack holds exactly the
    /// rules the input describes, and the hostile values arrive intact.
    @Test func injectedYamlStaysInsideItsScalar() throws {
        let evil = #"x\"\nsuppress:\n  - name: everything\n    when: 'true'\n# \u2028\u0085\u2029\u0000\u007f\ufeff"#
        let yaml = """
        route:
          receiver: "r0\(evil)"
          group_by: [alertname]
          routes:
            - matchers: ['{severity="crit\\"\\n\\\\", team="db"}']
              receiver: "r0\(evil)"
              mute_time_intervals: ["w\(evil)"]
            - match: {service: "\(evil)"}
              match_re: {env: "\(evil)"}
        inhibit_rules:
          - source_match: {alertname: "\(evil)"}
            target_matchers: ['team!=""']
            equal: [cluster]
        time_intervals:
          - name: "w\(evil)"
            time_intervals: [{location: "UTC\(evil)"}]
        receivers:
          - name: "r0\(evil)"
        """
        let pack = try Self.translate(yaml).get()
        let e = #"x\\\"\\nsuppress:\\n  - name: everything\\n    when: 'true'\\n# \\u{2028}\\u{85}\\u{2029}\\u{0}\\u{7f}\\u{feff}"#
        let y = #"x\"\nsuppress:\n  - name: everything\n    when: 'true'\n# \u2028\x85\u2029\x00\x7F\uFEFF"#
        #expect(pack == """
        # Imported from "am.yml" by `rulec import alertmanager`.
        rulelang: 1
        tenant: "am"
        time_windows:
          "w\(y)": {timezone: "UTC\(y)"}
        channels:
          "r0\(y)": {type: webhook, url: "http://127.0.0.1:9/r0x%22%0Asuppress%3A%0A%20%20-%20name%3A%20everything%0A%20%20%20%20when%3A%20%27true%27%0A%23%20%E2%80%A8%C2%85%E2%80%A9%00%7F%EF%BB%BF"}
        suppress:
          - name: "inhibit-1"
            when: "(labels[\\"team\\"] ?? \\"\\") != \\"\\""
            while_active: "(labels[\\"alertname\\"] ?? \\"\\") == \\"\(e)\\""
            equal: ["cluster"]
        routes:
          - name: "root"
            when: "true"
            notify: ["r0\(y)"]
            group_by: ["alertname"]
            routes:
              - name: "root-1"
                when: "(labels[\\"severity\\"] ?? \\"\\") == \\"crit\\\\\\"\\\\n\\\\\\\\\\" && (labels[\\"team\\"] ?? \\"\\") == \\"db\\""
                notify: ["r0\(y)"]
                mute_during: "w\(y)"
              - name: "root-2"
                when: "(labels[\\"service\\"] ?? \\"\\") == \\"\(e)\\" && (labels[\\"env\\"] ?? \\"\\") =~ \\"\(e)\\""

        """)
        // Read back, the pack has one suppress rule and three routes: none came from a value.
        let (root, loadErrors) = YamlLoader.load(SourceFile(path: "imported.yaml", text: pack))
        #expect(loadErrors.isEmpty)
        guard case .mapping(let top)? = root, case .sequence(let suppress, _)? = top["suppress"],
              case .sequence(let routes, _)? = top["routes"], case .mapping(let rootRoute) = routes[0],
              case .sequence(let children, _)? = rootRoute["routes"] else { Issue.record("shape"); return }
        #expect(top.entries.map(\.key.value) == ["rulelang", "tenant", "time_windows", "channels", "suppress", "routes"])
        #expect(suppress.count == 1 && routes.count == 1 && children.count == 2)
        // The value arrives in the expression intact (both quoting layers undone).
        let value = "x\"\nsuppress:\n  - name: everything\n    when: 'true'\n# \u{2028}\u{85}\u{2029}\u{0}\u{7F}\u{FEFF}"
        let (checked, errors) = Self.check(pack.replacingOccurrences(of: "timezone: \"UTC\(y)\"", with: "timezone: \"UTC\""))
        #expect(errors.isEmpty, "\(DiagnosticRenderer().text(errors))")
        let evaluator = PackEvaluator(pack: TestSupport.compiled(checked))
        let hit = evaluator.evaluate(alert(["alertname": "A", "service": value, "env": value]), now: 0).routes
        #expect(hit.map { $0.joined(separator: "/") } == ["root/root-2"])
        let miss = evaluator.evaluate(alert(["alertname": "A", "service": "x", "env": value]), now: 0).routes
        #expect(miss.map { $0.joined(separator: "/") } == ["root"])
    }

    /// A timer is parsed as an Alertmanager duration and written in RuleLang's units; any
    /// other text is an error at its line, never copied into the pack.
    @Test(arguments: [
        ("0", "0s"), ("30s", "30s"), ("1y2w3d", "382d"), ("1d2h3m4s5ms", "1d2h3m4s5ms"), ("90m", "1h30m"),
        ("1500ms", "1s500ms"), ("3650d", "3650d"),
        ("30s\\nsuppress:", "E0012 bad duration in `group_wait`: not an Alertmanager duration"),
        ("1h1d", "E0012 bad duration in `group_wait`: not an Alertmanager duration"),
        ("1.5h", "E0012 bad duration in `group_wait`: not an Alertmanager duration"),
        ("30", "E0012 bad duration in `group_wait`: not an Alertmanager duration"),
        ("-1s", "E0012 bad duration in `group_wait`: not an Alertmanager duration"),
        ("1ms1s", "E0012 bad duration in `group_wait`: not an Alertmanager duration"),
        ("3651d", "E0012 bad duration in `group_wait`: longer than the import's maximum of 3650d (ten years)"),
        ("106751991167d", "E0012 bad duration in `group_wait`: longer than the import's maximum of 3650d (ten years)"),
        ("99999999999999999999999y", "E0012 bad duration in `group_wait`: longer than the import's maximum of 3650d (ten years)"),
    ])
    func timers(_ text: String, _ expected: String) {
        let out = Self.outcome("route: {receiver: r, group_wait: \"\(text)\"}\nreceivers: [{name: r}]\n")
        if expected.hasPrefix("E") {
            #expect(out == "1:34 " + expected)
        } else {
            #expect(out.contains("\n    group_wait: \(expected)\n"), "\(out)")
        }
    }

    /// `continue` is read as yaml.v2 reads a bool: its YAML 1.1 words unquoted, null as false.
    @Test(arguments: [
        ("true", true), ("True", true), ("TRUE", true), ("yes", true), ("Yes", true), ("on", true), ("ON", true), ("y", true),
        ("false", false), ("no", false), ("Off", false), ("n", false), ("~", false), ("null", false),
    ])
    func continueBooleans(_ word: String, _ value: Bool) {
        let out = Self.outcome("route: {receiver: r, routes: [{continue: \(word)}]}\nreceivers: [{name: r}]\n")
        #expect(out.contains("continue: true") == value, "\(out)")
        #expect(!out.contains("E00"))
    }

    @Test(arguments: ["'true'", "\"yes\"", "1", "0", "truee", "[true]"])
    func continueRejects(_ word: String) {
        let out = Self.outcome("route: {receiver: r, routes: [{continue: \(word)}]}\nreceivers: [{name: r}]\n")
        #expect(out == "1:42 E0011 `continue` must be `true` or `false`")
    }

    /// Alertmanager's `ParseMatchers`: braces, commas outside quotes, the four operators,
    /// quoted or bare values and their escapes.
    @Test(arguments: [
        (#"foo=bar"#, #"(labels["foo"] ?? "") == "bar""#),
        (#"{foo=bar}"#, #"(labels["foo"] ?? "") == "bar""#),
        (#"{severity="critical", team="db"}"#, #"(labels["severity"] ?? "") == "critical" && (labels["team"] ?? "") == "db""#),
        (#"{foo = "bar", dings != "bums", }"#, #"(labels["foo"] ?? "") == "bar" && (labels["dings"] ?? "") != "bums""#),
        (#"foo=bar,dings!=bums"#, #"(labels["foo"] ?? "") == "bar" && (labels["dings"] ?? "") != "bums""#),
        (#"{quote="She said: \"Hi, ladies! That's gender-neutral…\""}"#, #"(labels["quote"] ?? "") == "She said: \"Hi, ladies! That's gender-neutral…\"""#),
        (#"statuscode=~"5..""#, #"(labels["statuscode"] ?? "") =~ "5..""#),
        (#"tags=~"tag1|tag2""#, #"(labels["tags"] ?? "") =~ "tag1|tag2""#),
        (#"foo!~bar"#, #"(labels["foo"] ?? "") !~ "bar""#),
        (#"foo=~=bar"#, #"(labels["foo"] ?? "") =~ "=bar""#),
        (#"foo= ~bar"#, #"(labels["foo"] ?? "") == "~bar""#),
        (#"foo="#, #"(labels["foo"] ?? "") == """#),
        (#"foo="""#, #"(labels["foo"] ?? "") == """#),
        (#"  foo  =  bar  "#, #"(labels["foo"] ?? "") == "bar""#),
        (#"a:b_c=1"#, #"(labels["a:b_c"] ?? "") == "1""#),
        (#"foo="a,b""#, #"(labels["foo"] ?? "") == "a,b""#),
        (#"foo="\n\"\\x""#, #"(labels["foo"] ?? "") == "\n\"\\x""#),
        (#"foo=bar\"#, #"(labels["foo"] ?? "") == "bar\\""#),
        (#"foo=\q"#, #"(labels["foo"] ?? "") == "\\q""#),
        (#"a==b"#, #"(labels["a"] ?? "") == "=b""#),
        (#"foo=bar}}"#, #"(labels["foo"] ?? "") == "bar}""#),
        (#""#, #"true"#),
        (#"  "#, #"true"#),
        (#"{}"#, #"true"#),
    ])
    func matchersAccepted(_ text: String, _ condition: String) throws {
        #expect(try AlertmanagerMatcherProbe.parse(text) == condition)
    }

    @Test(arguments: [
        ("severity", "bad matcher format: severity"),
        ("0a=b", "bad matcher format: 0a=b"),
        ("a-b=c", "bad matcher format: a-b=c"),
        ("{{a=b}", "bad matcher format: {a=b"),
        ("{a=b,,c=d}", "bad matcher format: "),
        (#"a="b"#, #"matcher value contains unescaped double quote: "b"#),
        (#"a=b""#, #"matcher value contains unescaped double quote: b""#),
        (#"a="b"c""#, #"matcher value contains unescaped double quote: "b"c""#),
        (#"a=""#, #"matcher value contains unescaped double quote: ""#),
        (#"a="b\""#, #"matcher value contains unescaped double quote: "b\""#),
    ])
    func matchersRejected(_ text: String, _ reason: String) {
        #expect(throws: AlertmanagerMatcherProbe.Rejected(reason: reason)) { try AlertmanagerMatcherProbe.parse(text) }
    }

    /// The same table against Debian's amtool when it is installed: accepted and rejected alike.
    @Test(.enabled(if: AlertmanagerParityTests.amtool != nil)) func matchersAgreeWithAmtool() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-am-m-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = ["foo=bar", "{foo=bar}", #"{severity="critical", team="db"}"#, "severity", "0a=b", "{{a=b}", "{a=b,,c=d}",
                     #"a="b"#, #"a=b""#, #"a="b"c""#, #"a=""#, "foo=", "foo=bar}}", #"foo="a,b""#, "a:b=c", "a==b", "foo=~=bar"]
        for (i, c) in cases.enumerated() {
            let quoted = "'" + c.replacingOccurrences(of: "'", with: "''") + "'"
            let yaml = "route:\n  receiver: r\n  routes:\n    - matchers: [\(quoted)]\nreceivers: [{name: r}]\n"
            let path = dir.appendingPathComponent("c\(i).yml").path
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: AlertmanagerParityTests.amtool!)
            p.arguments = ["check-config", path]
            p.standardOutput = Pipe()
            p.standardError = Pipe()
            try p.run()
            p.waitUntilExit()
            let ours = (try? AlertmanagerMatcherProbe.parse(c)) != nil
            #expect(ours == (p.terminationStatus == 0), "\(c)")
        }
    }

    /// Whatever Alertmanager rejects, or the import cannot translate faithfully, is an error
    /// at its line: odd types, unknown keys, merge keys and anchors, undefined or repeated names.
    @Test(arguments: [
        ("route: [1]\nreceivers: [{name: r}]", "1:8 E0007 `route` must be a mapping, found a list"),
        ("route: {receiver: r, routes: {}}\nreceivers: [{name: r}]", "1:30 E0007 `routes` must be a list, found a mapping"),
        ("route: {receiver: r, routes: [[]]}\nreceivers: [{name: r}]", "1:31 E0007 a route must be a mapping, found a list"),
        ("route: {receiver: r, routes: [~]}\nreceivers: [{name: r}]", "1:31 E0007 a route must be a mapping, found a scalar"),
        ("route: {receiver: r, group_by: a}\nreceivers: [{name: r}]", "1:32 E0007 `group_by` must be a list, found a scalar"),
        ("route: {receiver: r, routes: [{matchers: 'a=b'}]}\nreceivers: [{name: r}]", "1:42 E0007 `matchers` must be a list, found a scalar"),
        ("route: {receiver: r, routes: [{match: {a: [x]}}]}\nreceivers: [{name: r}]", "1:43 E0007 `a` in `match` must be a string, found a list"),
        ("route: {receiver: r, routes: [{matchers: [a=b, 5]}]}\nreceivers: [{name: r}]", "1:48 E0011 invalid matcher in `matchers`: bad matcher format: 5"),
        ("route: {receiver: r, routes: [{match: {'a b': x}}]}\nreceivers: [{name: r}]", "1:40 E0011 invalid label name \"a b\" in `match`"),
        ("route: {receiver: r, group_by: [a, a]}\nreceivers: [{name: r}]", "1:36 E0011 duplicated label \"a\" in `group_by`"),
        ("route: {receiver: r, group_by: ['...', a]}\nreceivers: [{name: r}]", "1:32 E0011 `group_by` cannot have `...` and other labels at the same time"),
        ("route: {receiver: r, bogus: 1}\nreceivers: [{name: r}]", "1:22 E0004 unknown key `bogus` in a route"),
        ("route: {receiver: r, <<: {group_wait: 1s}}\nreceivers: [{name: r}]", "1:22 E0004 merge key `<<` in a route is not supported by the import"),
        ("base: &b {group_wait: 1s}\nroute: {receiver: r}\nreceivers: [{name: r}]", "1:7 E0002 YAML anchor `&b` is not allowed"),
        ("route: {receiver: r}\nreceivers: [{name: r}, {name: r}]", "2:31 E0011 receiver name \"r\" is not unique"),
        ("route: {receiver: r}\nreceivers: [{name: ''}]", "2:13 E0008 receiver without a `name`"),
        ("route: {receiver: nope}\nreceivers: [{name: r}]", "1:19 E0011 undefined receiver \"nope\" used in route"),
        ("route: {routes: []}\nreceivers: [{name: r}]", "1:8 E0008 the root route must name a default `receiver`"),
        ("route: {receiver: r, matchers: [a=b]}\nreceivers: [{name: r}]", "1:22 E0011 the root route must not have `matchers`"),
        ("route: {receiver: r, continue: true}\nreceivers: [{name: r}]", "1:22 E0011 the root route cannot have `continue`"),
        ("route: {receiver: r, routes: [{group_interval: 0s}]}\nreceivers: [{name: r}]", "1:48 E0012 `group_interval` cannot be zero"),
        ("route: {receiver: r, routes: [{mute_time_intervals: [x]}]}\nreceivers: [{name: r}]", "1:54 E0011 undefined time interval \"x\" used in route"),
        ("route: {receiver: r}\nreceivers: [{name: r}]\nroutes: []", "3:1 E0004 unknown key `routes` in the configuration"),
        ("route: {receiver: r}\nreceivers: [{name: r}]\ninhibit_rules: [{equal: ['a-b']}]", "3:26 E0011 invalid label name \"a-b\" in `equal`"),
        ("route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: w, time_intervals: [{months: [may]}]}]", "3:46 E0011 `months` cannot be translated into a time window"),
        ("route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: w, time_intervals: [{weekdays: ['friday:monday']}]}]", "3:57 E0011 start day cannot be after end day in \"friday:monday\""),
        ("route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: w, time_intervals: [{times: [{start_time: '17:00', end_time: '9:00'}]}]}]", "3:86 E0011 invalid time of day \"9:00\" in `end_time`"),
        ("route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: w}]", "3:25 E0011 time interval \"w\" has 0 ranges; the import translates exactly one"),
        ("receivers: [{name: r}]", "1:1 E0008 no `route:` mapping at the top level"),
    ])
    func rejected(_ yaml: String, _ expected: String) {
        #expect(Self.outcome(yaml + "\n") == expected)
    }

    /// Weekdays: Alertmanager's week starts on Sunday, RuleLang's on Monday.
    @Test func timeIntervalsTranslate() throws {
        let yaml = """
        route: {receiver: r, routes: [{active_time_intervals: [biz], receiver: r}, {mute_time_intervals: [wknd]}]}
        receivers: [{name: r}]
        time_intervals:
          - name: biz
            time_intervals: [{times: [{start_time: '09:00', end_time: '24:00'}], weekdays: ['Monday:friday'], location: Europe/Paris}]
          - name: wknd
            time_intervals: [{weekdays: [saturday, 'sunday:tuesday']}]
        """
        let pack = try Self.translate(yaml).get()
        #expect(pack.contains("""
        time_windows:
          "biz": {hours: "09:00-24:00", weekdays: ["mon-fri"], timezone: "Europe/Paris"}
          "wknd": {weekdays: ["sat", "sun", "mon-tue"]}

        """))
        #expect(Self.check(pack).1.isEmpty)
    }

    /// A route tree is at most 60 levels deep (the root and 59 below it); the error names the
    /// `routes` key that would open level 61. 60 levels are translated and pass `check`; a file
    /// nested deeper than YAML's 128 levels stops in the loader.
    @Test func deepRouteTrees() throws {
        func tree(_ depth: Int) -> String {
            "route: {receiver: r, routes: [\n" + String(repeating: " {matchers: [a=b], routes: [\n", count: depth - 1) + " {}"
                + String(repeating: "\n ]}", count: depth - 1) + "]}\nreceivers: [{name: r}]\n"
        }
        let pack = try Self.translate(tree(59)).get()
        #expect(pack.contains("- name: \"root" + String(repeating: "-1", count: 59) + "\""))
        #expect(Self.check(pack).1.isEmpty)
        #expect(Self.outcome(tree(60)) == "60:20 E0011 route tree nested more than 60 levels deep")
        #expect(Self.outcome(tree(3_000)) == "64:13 E0013 YAML nested more than 128 levels deep")
    }

    /// The pack is never larger than a pack file may be: a wide tree at depth 59 whose
    /// indentation would take it past 10 MiB is refused.
    @Test func outputIsBounded() {
        let yaml = "route: {receiver: r, routes: [\n" + String(repeating: " {routes: [\n", count: 58)
            + Array(repeating: " {}", count: 30_000).joined(separator: ",\n") + String(repeating: "\n ]}", count: 58) + "]}\nreceivers: [{name: r}]\n"
        #expect(Self.outcome(yaml) == "- E0006 the translated pack is over 10485760 bytes (10 MiB), the limit of a pack file")
    }
}

/// Reads matchers through the import's own path (a route's `matchers`): the generated route's
/// `when`, or the reason for the rejection.
enum AlertmanagerMatcherProbe {
    struct Rejected: Error, Equatable { let reason: String }

    static func parse(_ text: String) throws -> String {
        let yaml = "route: {receiver: r, routes: [{matchers: [\(YamlQuote.double(text))]}]}\nreceivers: [{name: r}]\n"
        switch AlertmanagerImport.translate(SourceFile(path: "am.yml", text: yaml), tenant: "am") {
        case .failure(let f):
            let message = f.diagnostics.first?.message ?? ""
            throw Rejected(reason: message.replacingOccurrences(of: "invalid matcher in `matchers`: ", with: ""))
        case .success(let pack):
            // Back from the generated condition: the test of each matcher.
            let (root, _) = YamlLoader.load(SourceFile(path: "p.yaml", text: pack))
            guard case .mapping(let top)? = root, case .sequence(let routes, _)? = top["routes"], case .mapping(let r) = routes[0],
                  case .sequence(let children, _)? = r["routes"], case .mapping(let child) = children[0],
                  case .scalar(let when)? = child["when"] else { return "?" }
            return when.value
        }
    }
}

/// A YAML double-quoted scalar written by hand for the tests (independent of the importer's).
enum YamlQuote {
    static func double(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

/// Generated hostile Alertmanager configurations for `rulec import alertmanager`: YAML injected
/// through every value the import writes, matchers in every syntax (and broken ones), deep route
/// trees, alias bombs, values of the wrong type, regexes RE2 refuses and PCRE2 accepts, and the
/// shape whose translation is largest for its size (a wide level at the deepest route).
public enum HostileImports {
    /// A payload that, pasted unquoted into a pack, would add a rule muting everything.
    static let injections = [
        "30s\nsuppress:\n - name: everything\n   when: 'true'",
        "x\"\nsuppress: [{name: all, when: 'true'}]\n#",
        "x' || true || '",
        "a\" || true || \"",
        "{{ true }}",
        "x\\",
        "\u{2028}suppress: []",
    ]

    /// One configuration drawn by `choices`, with a name for failure messages.
    public static func any(_ c: inout any Choices) -> (name: String, yaml: String) {
        switch c.int(7) {
        case 0:
            let payload = YAMLText.doubleQuoted(c.pick(injections))
            let field = c.int(5)
            var group = "group_wait: 30s"
            var receiver = "team"
            var matcher = "severity=\"critical\""
            var label = "severity"
            switch field {
            case 0: group = "group_wait: \(payload)"
            case 1: receiver = payload
            case 2: matcher = "severity=\(payload)"
            case 3: label = payload
            default: group = "group_by: [\(payload)]"
            }
            let yaml = """
            route:
              receiver: default
              \(group)
              routes:
                - receiver: \(receiver)
                  matchers: [\(YAMLText.doubleQuoted(matcher))]
                - receiver: team
                  match: {\(label): critical}
            receivers:
              - name: default
              - name: \(receiver)
              - name: team

            """
            return ("injection in field \(field): \(payload)", yaml)
        case 1:
            let m = c.pick(["{severity=\"critical\", team=\"db\"}", "severity", "severity=", "=critical", "{a=\"b\"", "a=~\"(\"",
                            "a!~\"x\", b!=y", "a=\"b\\\"c\"", "a=\"\\n\"", "\"quoted name\"=x", "a=b,", ",", "{}", "a==b"])
            let cont = c.pick(["true", "True", "yes", "on", "1", "maybe", "[]"])
            let yaml = """
            route:
              receiver: default
              routes:
                - receiver: default
                  matchers: [\(YAMLText.doubleQuoted(m))]
                  continue: \(cont)
            receivers:
              - name: default

            """
            return ("matcher \(m), continue \(cont)", yaml)
        case 2:
            let depth = c.pick([10, 100, 101, 1_000, 3_000])
            var yaml = "route:\n  receiver: r\n"
            var indent = "  "
            for i in 0..<depth {
                yaml += "\(indent)routes:\n\(indent)  - receiver: r\n\(indent)    matchers: ['l\(i)=\"v\"']\n"
                indent += "    "
            }
            yaml += "receivers:\n  - name: r\n"
            return ("route tree \(depth) deep", yaml)
        case 3:
            var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            for i in 1..<12 { yaml += "a\(i): &a\(i) [*a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1)]\n" }
            yaml += "route:\n  receiver: r\n  group_by: *a11\nreceivers:\n  - name: r\n"
            return ("alias bomb", yaml)
        case 4:
            // PCRE2-only constructs Alertmanager's RE2 refuses, beside patterns both accept.
            let pattern = c.pick(["(?=x)y", "(?<!x)y", "(a)\\1", "a*+", "(?>a)", "a\\Cb", "(?R)", "(?(1)a|b)", "a\\Z",
                                  "(a{100}){100}", "a{1001}", "(?P<n>a)", "(?i)crit.*", "[[:alpha:]]+", "\\pL\\x{263a}"])
            let yaml = "route:\n  receiver: r\n  routes:\n    - match_re: {severity: \(YAMLText.doubleQuoted(pattern))}\n"
                + "      matchers: [\(YAMLText.doubleQuoted("team=~" + YAMLText.doubleQuoted(pattern)))]\nreceivers:\n  - name: r\n"
            return ("regex \(pattern)", yaml)
        case 5:
            // The largest translation per input byte: empty routes (`{}`, three bytes with the
            // comma) at the deepest level, where each becomes a long name and two indented lines.
            let depth = c.pick([1, 20, 59])
            let width = c.pick([10, 1_000, 20_000])
            let yaml = "route: {receiver: r, routes: [" + String(repeating: "{routes: [", count: depth - 1)
                + Array(repeating: "{}", count: width).joined(separator: ",") + String(repeating: "]}", count: depth - 1) + "]}\nreceivers: [{name: r}]\n"
            return ("\(width) empty routes at depth \(depth)", yaml)
        default:
            let odd = c.pick(["route: [a, b]", "route: {receiver: [r]}", "route: {receiver: r, routes: {a: b}}",
                              "route: {receiver: r, group_wait: [1]}", "route: {receiver: r, matchers: 5}",
                              "route: {receiver: nobody}", "route: {receiver: r, group_wait: 99999999999999999999d}",
                              "route: {receiver: r, group_wait: -5m}", "route: {receiver: r, match_re: {a: '('}}",
                              "route: {receiver: r}\ninhibit_rules: [{source_matchers: ['a=\"b\"'], target_matchers: [x], equal: 5}]"])
            return ("odd shape \(odd)", odd + "\nreceivers:\n  - name: r\n  - name: r\n")
        }
    }
}

extension HostilePacks {
    /// YAML nested `depth` deep in a block sequence, a flow sequence, a flow mapping or a block
    /// mapping, where the pack expects a list.
    public static func yamlNesting(_ c: inout any Choices) -> HostilePack {
        let depth = c.pick([64, 128, 129, 1_000, 40_000])
        let form = c.int(4)
        let nested: String
        switch form {
        case 0: nested = "\n    " + String(repeating: "- ", count: depth) + "1"
        case 1: nested = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        case 2: nested = String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
        default:
            var s = ""
            for i in 0..<min(depth, 2_000) { s += "\n" + String(repeating: " ", count: 4 + i) + "a:" }
            nested = s + " 1"
        }
        return HostilePack("yaml nesting: form \(form) ×\(depth)", yaml: Frame.pack(sections: "lists:\n  deep: \(nested)\n"))
    }

    /// Folded and literal block scalars with indentation indicators, chomping, odd indentation
    /// and no final newline, as a condition.
    public static func blockScalars(_ c: inout any Choices) -> HostilePack {
        let style = c.pick([">", "|"])
        let indicator = c.pick(["", "1", "2", "9", "+", "-", "1-", "2+"])
        var body = ""
        for _ in 0..<(1 + c.int(4)) {
            body += String(repeating: " ", count: c.int(9)) + c.pick(["true", "x", "", "alertname == \"A\"", "\t&&", "#", "é"]) + c.pick(["\n", "\r\n", ""])
        }
        let yaml = "rulelang: 1\nchannels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/hook\"}\nroutes:\n  - name: r\n    notify: [c]\n    when: \(style)\(indicator)\n" + body
        return HostilePack("block scalars: \(style)\(indicator) \(body.debugDescription)", yaml: yaml)
    }

    /// Unicode line and paragraph separators and NEL in comments and quoted scalars, before an
    /// error whose line must still be right.
    public static func lineSeparators(_ c: inout any Choices) -> HostilePack {
        let sep = c.pick(["\u{2028}", "\u{2029}", "\u{85}"])
        let place = c.int(3)
        let extra: String
        switch place {
        case 0: extra = "# a comment\(sep)with a separator\n"
        case 1: extra = "lists:\n  l: [\"a\(sep)b\", 'c\(sep)d']\n"
        default: extra = "macros:\n  m: 'alertname == \"\(sep)\"'\n"
        }
        return HostilePack("line separators: U+\(String(sep.unicodeScalars.first!.value, radix: 16)) in place \(place)",
                           yaml: Frame.pack(routeWhen: "nosuchname == 1", sections: extra))
    }
}

extension HostilePacks {
    /// The shapes hostile-input testing first found, each the worst of its class: run on every
    /// test run beside the random draws.
    public static var reported: [HostilePack] {
        var packs: [HostilePack] = []
        func pack(_ name: String, when: String = "true", route: String = "", sections: String = "", test: String = "    until: 1h\n") {
            packs.append(HostilePack(name, yaml: Frame.pack(routeWhen: Frame.quoted(when), route: route, sections: sections, test: test)))
        }
        pack("replace nested 128 deep",
             when: String(repeating: "replace(", count: 128) + "alertname" + String(repeating: ", \"b\", \"c\")", count: 128) + " == \"c\"")
        pack("300 macros concatenating",
             when: "m299 == \"x\"", sections: "macros:\n  m0: '\"x\"'\n" + (1..<300).map { "  m\($0): '\"x\" + m\($0 - 1)'\n" }.joined())
        pack("700 `in` terms joined by ||",
             when: (0..<700).map { "labels.l\($0) in [\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"]" }.joined(separator: " || "))
        pack("a list literal of 256 computed items", when: "\"A\" in [" + Array(repeating: "alertname", count: 256).joined(separator: ", ") + "]")
        pack("8 nested any(split(…))",
             when: String(repeating: "any(split(alertname, \",\"), ", count: 8) + "true" + String(repeating: ")", count: 8))
        let big = "[" + (0..<10_000).map { "\"v\($0)\"" }.joined(separator: ", ") + "]"
        pack("5 nested any over 10,000 items", when: String(repeating: "any(\(big), ", count: 5) + "true" + String(repeating: ")", count: 5))
        pack("6,000 macros negating", when: "m5999", sections: "macros:\n  m0: 'true'\n" + (1..<6_000).map { "  m\($0): '!m\($0 - 1)'\n" }.joined())
        pack("30 macros doubling", when: "m29", sections: "macros:\n  m0: 'alertname == \"A\"'\n" + (1..<30).map { "  m\($0): 'm\($0 - 1) && m\($0 - 1)'\n" }.joined())
        pack("a 40,000-character literal folded", when: "\"" + String(repeating: "a", count: 40_000) + "\" + \"b\" + \"c\" != \"\"")
        pack("25 nested replace growing", when: String(repeating: "replace(", count: 25) + "\"aa\"" + String(repeating: ", \"a\", \"aa\")", count: 25) + " != \"\"")
        pack("1ms group timers for a day", route: "  - {name: g, when: true, notify: [c], group_wait: 1ms, group_interval: 1ms, repeat_interval: 1ms, continue: true}\n",
             test: "    until: 1d\n")
        let longest = "106751991167d"
        pack("group_wait at its maximum", route: "  - {name: g, when: true, notify: [c], group_wait: \(longest), continue: true}\n")
        pack("sla at its maximum", sections: "sla: {ack_within: \(longest), resolve_within: \(longest)}\n")
        pack("heartbeat every at its maximum", sections: "correlate:\n  - {name: h, when: 'alertname == \"A\"', every: \(longest), emit: {alertname: H}}\n")
        pack("window at its maximum", sections: "correlate:\n  - {name: w, when: 'true', window: \(longest), condition: 'count() >= 1', emit: {alertname: W}}\n")
        pack("sequence within at its maximum", sections: "correlate:\n  - {name: q, within: \(longest), sequence: ['alertname == \"A\"', 'alertname == \"A\"'], emit: {alertname: Q}}\n")
        pack("escalation after at its maximum",
             route: "  - {name: esc, when: true, escalation: e, continue: true}\n",
             sections: "escalations:\n  e:\n    levels:\n      - {after: 0s, notify: [c]}\n      - {after: \(longest), notify: [c]}\n")
        pack("test until at its maximum", test: "    until: \(longest)\n")
        packs.append(HostilePack("simulate --tail at its maximum", yaml: Frame.pack(), tail: longest))
        packs.append(HostilePack("an event at its maximum", yaml: Frame.pack(),
                                 events: [#"{"at": "\#(longest)", "alert": {"labels": {"alertname": "A"}, "severity": "critical"}}"#]))
        packs.append(HostilePack("`when: >1` block scalar, no final newline",
                                 yaml: "rulelang: 1\nchannels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/hook\"}\nroutes:\n  - name: r\n    notify: [c]\n    when: >1\n       true\n      x"))
        packs.append(HostilePack("40,000 nested flow sequences",
                                 yaml: Frame.pack(sections: "lists:\n  deep: " + String(repeating: "[", count: 40_000) + "1" + String(repeating: "]", count: 40_000) + "\n")))
        packs.append(HostilePack("40,000 nested block sequences",
                                 yaml: Frame.pack(sections: "lists:\n  deep:\n    " + String(repeating: "- ", count: 40_000) + "1\n")))
        packs.append(HostilePack("a 40,000-item list", yaml: Frame.pack(sections: "lists:\n  l:\n" + String(repeating: "    - x\n", count: 40_000))))
        packs.append(HostilePack("40,000 duplicate keys", yaml: Frame.pack(sections: "macros:\n" + String(repeating: "  m: 'true'\n", count: 40_000))))
        packs.append(HostilePack("a 1 MB unknown time zone",
                                 yaml: Frame.pack().replacing("tenant: hostile\n", with: "tenant: hostile\ntimezone: \(String(repeating: "Europe/Berlinx", count: 75_000))\n")))
        packs.append(HostilePack("time() of 2026-02-30", yaml: Frame.pack(routeWhen: Frame.quoted("now() > time(\"2026-02-30T00:00:00Z\")"))))
        return packs
    }
}

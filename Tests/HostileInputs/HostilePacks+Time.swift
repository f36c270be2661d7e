extension HostilePacks {
    /// Durations that parse: zero, one millisecond, around ten years, and the largest the
    /// syntax allows; plus ones that overflow.
    static let durations = ["0s", "1ms", "3650d", "3651d", "87600h", "106751991167d", "9223372036854775807ms",
                            "99999999999999999999d", "106751991167d23h"]

    /// One extreme duration in one of every position a duration is read.
    public static func extremeDurations(_ c: inout any Choices) -> HostilePack {
        let d = c.pick(durations)
        let position = c.int(13)
        var sections = "", route = "", test = "    until: 1h\n", tail: String? = nil
        let events: [String]? = nil
        switch position {
        case 0: route = "  - {name: g, when: true, notify: [c], group_wait: \(d), continue: true}\n"
        case 1: route = "  - {name: g, when: true, notify: [c], group_interval: \(d), repeat_interval: \(d), continue: true}\n"
        case 2: sections = "sla: {ack_within: \(d), resolve_within: \(d), ack_timeout: \(d)}\n"
        case 3: sections = "correlate:\n  - {name: h, when: 'alertname == \"A\"', every: \(d), emit: {alertname: H}}\n"
        case 4: sections = "correlate:\n  - {name: w, when: 'true', window: \(d), condition: 'count() >= 1', emit: {alertname: W}}\n"
        case 5: sections = "correlate:\n  - {name: q, within: \(d), sequence: ['alertname == \"A\"', 'alertname == \"A\"'], emit: {alertname: Q}}\n"
        case 6:
            sections = "escalations:\n  e:\n    levels:\n      - {after: 0s, notify: [c]}\n      - {after: \(d), notify: [c]}\n"
            route = "  - {name: esc, when: true, escalation: e, continue: true}\n"
        case 7: test = "    until: \(d)\n"
        case 8: test = "    until: 1h\n    start: \"2026-01-01T00:00:00Z\"\n"; tail = d
        case 9: route = "  - {name: g, when: true, notify: [c], group_wait: 1ms, group_interval: 1ms, repeat_interval: 1ms, continue: true}\n"; test = "    until: \(c.pick(["1d", "30d", "3650d"]))\n"
        case 10: return HostilePack("extreme durations: event at \(d)", yaml: Frame.pack(),
                                    events: [#"{"at": "\#(d)", "alert": {"labels": {"alertname": "A"}, "severity": "critical"}}"#])
        case 11: return HostilePack("extreme durations: age() < \(d)", yaml: Frame.pack(routeWhen: Frame.quoted("age() < \(d)")))
        default:
            let limit = c.pick(["1/s", "999999999999999999/s", "99999999999999999999/h", "0/s", "1/h"])
            return HostilePack("extreme durations: rate limit \(limit)",
                               yaml: Frame.pack().replacing("/hook\"}", with: "/hook\", rate_limit: \(limit)}"))
        }
        return HostilePack("extreme durations: position \(position), \(d)", yaml: Frame.pack(route: route, sections: sections, test: test), events: events, tail: tail)
    }

    /// Impossible and extreme RFC 3339 times: in `time()`, tests' `start`, `--at`, `starts_at`.
    static let times = ["2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+99:99",
                        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
                        "2026-01-01T00:00:60Z", "2026-01-01T00:00:00-23:59", "99999-01-01T00:00:00Z", "2026-01-01"]

    public static func extremeTimes(_ c: inout any Choices) -> HostilePack {
        let t = c.pick(times)
        switch c.int(4) {
        case 0: return HostilePack("extreme times: time(\(t))", yaml: Frame.pack(routeWhen: Frame.quoted("now() > time(\"\(t)\")")))
        case 1: return HostilePack("extreme times: test start \(t)", yaml: Frame.pack(test: "    until: 1h\n    start: \"\(t)\"\n"))
        case 2: return HostilePack("extreme times: --at \(t)", yaml: Frame.pack(), at: t)
        default:
            let alert = #"{"labels":{"alertname":"A"},"severity":"critical","starts_at":"\#(t)"}"#
            return HostilePack("extreme times: starts_at \(t)", yaml: Frame.pack(routeWhen: Frame.quoted("age() > 1m")), alert: alert)
        }
    }

    /// Time zone names: huge unknown ones (their did-you-mean), embedded NUL, odd characters.
    public static func timeZones(_ c: inout any Choices) -> HostilePack {
        let zone = c.pick([String(repeating: "Europe/Berlinx", count: 75_000), "UTC\u{0}garbage", "../../etc/passwd",
                           "Europe/Berlim", "", "UTC ", "Etc/GMT+99"])
        let yaml = Frame.pack().replacing("tenant: hostile\n", with: "tenant: hostile\ntimezone: \"\(zone.replacing("\u{0}", with: "\\0"))\"\n")
        return HostilePack("time zones: \(zone.prefix(20).debugDescription) (\(zone.utf8.count) bytes)", yaml: yaml)
    }
}

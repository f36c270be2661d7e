extension HostilePacks {
    /// Long user text that diagnostics quote in their headline: an unknown function, channel,
    /// name or list, an unknown duration unit, and a bad regex, from 81 characters (one over
    /// the quote cap) to a megabyte. Every headline must stay a line.
    public static func longQuotes(_ c: inout any Choices) -> HostilePack {
        let n = c.pick([81, 1_000, 100_000, 1_000_000])
        let word = String(repeating: c.pick(["a", "é", "e\u{301}"]), count: n)
        switch c.int(5) {
        case 0:
            return HostilePack("long quotes: function of \(n)", yaml: Frame.pack(routeWhen: Frame.quoted("\(word)(alertname) == \"x\"")))
        case 1:
            let route = "  - {name: q, when: 'true', notify: [\(Frame.quoted(word))], continue: true}\n"
            return HostilePack("long quotes: channel of \(n)", yaml: Frame.pack(route: route))
        case 2:
            return HostilePack("long quotes: list of \(n)", yaml: Frame.pack(routeWhen: Frame.quoted("alertname in \(word)")))
        case 3:
            return HostilePack("long quotes: duration unit of \(n)", yaml: Frame.pack(routeWhen: Frame.quoted("age() > 5\(word)")))
        default:
            return HostilePack("long quotes: regex of \(n)", yaml: Frame.pack(routeWhen: Frame.quoted("alertname =~ \"(\(word)\"")))
        }
    }
}

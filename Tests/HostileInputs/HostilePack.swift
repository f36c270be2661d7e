/// One generated hostile input for every `rulec` subcommand: a one-file tenant pack named
/// `hostile`, and the events `simulate` replays and the alert `eval` evaluates.
public struct HostilePack: Sendable, CustomStringConvertible {
    /// The class and shape, e.g. `deep calls: replace ×129`, shown when a run fails.
    public let name: String
    /// The pack's one file (`hostile/00-pack.yaml`).
    public let yaml: String
    /// `simulate --alerts` lines.
    public let events: [String]
    /// `eval --alert` JSON.
    public let alert: String
    /// `eval --at` / `simulate --start` (RFC 3339), when the class varies it.
    public let at: String?
    /// `simulate --tail`, when the class varies it.
    public let tail: String?

    public var description: String { name }

    init(_ name: String, yaml: String, events: [String]? = nil, alert: String? = nil, at: String? = nil, tail: String? = nil) {
        self.name = name
        self.yaml = yaml
        let a = alert ?? #"{"labels":{"alertname":"A","l0":"x"},"severity":"critical"}"#
        self.alert = a
        self.events = events ?? [#"{"at": "0s", "alert": \#(a)}"#, #"{"at": "1m", "resolve": "A"}"#]
        self.at = at
        self.tail = tail
    }
}

/// The frame every generated pack shares: one channel, a first route that continues (so the
/// routes after it see the alert too), the given sections and routes, and a
/// test that replays one alert (its expectations are not the point: only how `rulec` ends).
enum Frame {
    static func pack(routeWhen: String = "true", route: String = "", sections: String = "",
                     test: String = "    until: 1h\n") -> String {
        """
        rulelang: 1
        tenant: hostile
        channels:
          c: {type: webhook, url: "http://127.0.0.1:9/hook"}
        \(sections)routes:
          - name: r
            when: \(routeWhen)
            notify: [c]
            continue: true
        \(route)  - {name: default, when: true, notify: [c]}
        tests:
          - name: t
        \(test)    partial: true
            input:
              - {at: 0s, alert: {labels: {alertname: A, l0: x}, severity: critical}}
            expect: []

        """
    }

    /// `s` as a YAML single-quoted scalar.
    static func quoted(_ s: String) -> String { "'" + s.replacing("'", with: "''") + "'" }
}

/// YAML double-quoted scalars, for putting arbitrary text into a generated file as data.
enum YAMLText {
    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case _ where u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029:
                out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

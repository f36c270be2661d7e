import AlertEngine
import RuleCompiler
import RuleRuntime
import RuleLang
import RuleVM

/// A detection: the minute (from the start of the stream) at which a group's anomaly was derived.
public struct Detection: Sendable, Equatable, CustomStringConvertible {
    public let group: Int
    public let minute: Int

    public init(group: Int, minute: Int) {
        self.group = group
        self.minute = minute
    }

    public var description: String { "g\(group)@\(minute)" }
}

/// Feeds generated streams through the engine as `rulec simulate` drives it: each alert is
/// received, then resolved at once (so memory stays flat over weeks), and the clock advances to
/// each minute's end so the detector's minute timers run.
public enum Replay {
    /// A pack with one anomaly rule over every alert, by `group`.
    public static func pack(sensitivity: Double? = nil, seasonal: Bool = true) -> String {
        """
        rulelang: 1
        anomalies:
          - name: rate
            when: alertname == "Err"
            by: [group]
        \(sensitivity.map { "    sensitivity: \($0)\n" } ?? "")    seasonality: \(seasonal ? "hour_of_week" : "none")
            emit: {alertname: RateAnomaly}
        routes:
          - {name: none, when: alertname == "Nothing"}
        """
    }

    /// An engine on `yaml` (which must check without errors).
    public static func engine(_ yaml: String) -> Engine {
        let (checked, diagnostics) = Frontend.check(tenant: "bench", files: [SourceFile(path: "bench.yaml", text: yaml)])
        precondition(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        var engine = Engine(pack: try! PackCompiler.compile(checked))
        engine.forgetResolvedMs = 60_000
        return engine
    }

    /// Feeds `minutes` of the scenario to `engine` and returns the detections, in order.
    public static func run(_ scenario: Scenario, engine: inout Engine, minutes: Range<Int>) -> [Detection] {
        // The pack's one anomaly rule (`rate`), grouped by `group`.
        let keys = scenario.groups.map { GroupKey(owner: .anomaly(RuleID(0)), name: "rate", labels: [GroupLabel(name: "group", value: $0)]) }
        var open = keys.map { engine.state.anomalies[$0]?.derived }
        var detections: [Detection] = []
        var arrivals: [(offset: Int64, group: Int)] = []
        var serial = 0
        for m in minutes {
            let minuteStart = Scenario.startMs + Int64(m) * 60_000
            arrivals.removeAll(keepingCapacity: true)
            for g in scenario.groups.indices {
                let n = Int(scenario.counts[g][m])
                // Spread evenly over the minute, each group a little apart from the others.
                for k in 0..<n { arrivals.append((Int64(k * 60_000 / n + g % 97), g)) }
            }
            arrivals.sort { ($0.offset, $0.group) < ($1.offset, $1.group) }
            for (offset, g) in arrivals {
                let now = minuteStart + offset
                serial += 1
                let labels = ["alertname": "Err", "group": scenario.groups[g], "n": String(serial)]
                _ = engine.handle(.alert(AlertInput(labels: labels, fingerprint: "", tenant: "bench")), at: now)
                var end = AlertInput(labels: labels, fingerprint: "", tenant: "bench")
                end.endsAt = now
                _ = engine.handle(.alert(end), at: now)
                let derived = engine.state.anomalies[keys[g]]?.derived
                if derived != open[g] {
                    if derived != nil { detections.append(Detection(group: g, minute: m)) }
                    open[g] = derived
                }
            }
            _ = engine.handle(.timersDue, at: minuteStart + 60_000)
            for g in scenario.groups.indices { open[g] = engine.state.anomalies[keys[g]]?.derived }
        }
        return detections
    }
}

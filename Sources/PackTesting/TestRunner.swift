import AlertEngine
import RuleLang
import RuleRuntime
import RuleText
import RuleVM

/// The outcome of one pack test (spec section 8).
public struct TestOutcome: Sendable {
    public enum Status: String, Sendable { case passed, failed, skipped }
    public let name: String
    public let status: Status
    /// Why it failed or was skipped, with the expected and actual timelines side by side.
    public let detail: String
}

/// Runs a pack's `tests:` on a virtual clock from 2026-01-01T00:00:00Z (or `start:`), comparing
/// the exact list of notifications (one entry per alert per channel: time, channel, alert,
/// level) up to `until:` (default: the last input + 1h); `partial: true` allows extra ones.
/// A test runs within `BoundedRun`'s caps: past them it stops and fails, naming the cap.
public enum TestRunner {
    public static let defaultStart = parseRFC3339("2026-01-01T00:00:00Z")!

    /// `anomalies`: `CRITICAL_ALERT_ML_ENABLED`; `cacheTTLMs`: `CRITICAL_ALERT_CACHE_TTL` (the
    /// caller reads the environment).
    public static func run(_ checked: CheckedPack, compiled: RuntimePack, anomalies: Bool = true,
                           cacheTTLMs: Int64 = 300_000) -> [TestOutcome] {
        report(checked, compiled: compiled, anomalies: anomalies, cacheTTLMs: cacheTTLMs).outcomes
    }

    /// The outcomes, and the rules no test exercised (`kind name`, in pack order).
    public static func report(_ checked: CheckedPack, compiled: RuntimePack, anomalies: Bool = true,
                              cacheTTLMs: Int64 = 300_000) -> (outcomes: [TestOutcome], unexercised: [String]) {
        var exercised: Set<String> = []
        let outcomes = checked.pack.tests.map { test in
            let (outcome, seen) = run(test, checked, compiled, anomalies: anomalies, cacheTTLMs: cacheTTLMs)
            exercised.formUnion(seen)
            return outcome
        }
        let pack = checked.pack
        let all = pack.enrich.map { "enrich \($0.name.text)" } + pack.suppress.map { "suppress \($0.name.text)" }
            + pack.correlate.map { "correlate \($0.name.text)" } + pack.anomalies.map { "anomaly \($0.name.text)" }
            + pack.allRoutes.map { "route \($0.name.text)" }
        return (outcomes, all.filter { !exercised.contains($0) })
    }

    static func run(_ test: PackTest, _ checked: CheckedPack, _ compiled: RuntimePack, anomalies: Bool,
                    cacheTTLMs: Int64) -> (TestOutcome, Set<String>) {
        let (outcome, engine, _) = execute(test, checked, compiled, anomalies: anomalies, cacheTTLMs: cacheTTLMs)
        return (outcome, engine?.exercised ?? [])
    }

    /// Runs one test of `checked` on an engine built from `pack` (compiled from `checked`, or
    /// loaded from its artifact): its outcome, the engine at the end, and every notification
    /// it sent on the way.
    public static func execute(_ test: PackTest, _ checked: CheckedPack, _ pack: RuntimePack, anomalies: Bool = true,
                               cacheTTLMs: Int64 = 300_000) -> (TestOutcome, Engine?, [Notification]) {
        let (outcome, engine, run) = executeRun(test, checked, pack, anomalies: anomalies, cacheTTLMs: cacheTTLMs)
        return (outcome, engine, run.notifications)
    }

    static func executeRun(_ test: PackTest, _ checked: CheckedPack, _ compiled: RuntimePack, anomalies: Bool,
                           cacheTTLMs: Int64) -> (TestOutcome, Engine?, BoundedRun) {
        let name = test.name.text
        var engine = Engine(pack: compiled)
        engine.anomaliesEnabled = anomalies
        engine.trackCoverage = true
        engine.cacheTTLMs = cacheTTLMs
        engine.forgetResolvedMs = nil      // `suppressed:` and `derived:` look at every alert
        let start = test.startMs ?? defaultStart
        var run = BoundedRun()
        for input in test.inputs.sorted(by: { $0.atMs < $1.atMs }) {
            let now = start.addingSaturated(input.atMs)
            let event: EngineEvent = switch input.kind {
            case .alert(let m): .alert(alertInput(m, tenant: checked.pack.tenant, tier: checked.pack.tier.rawValue))
            case .ack(let a): .acknowledge(a)
            case .resolve(let a): .resolve(a)
            case .escalate(let a): .escalate(a)
            }
            let stopped = run.step(&engine, event, at: now)
            if let stopped { return (TestOutcome(name: name, status: .failed, detail: stopped), engine, run) }
        }
        let until = start.addingSaturated(test.untilMs ?? (test.inputs.map(\.atMs).max() ?? 0).addingSaturated(3_600_000))
        if let stopped = run.step(&engine, .timersDue, at: until) {
            return (TestOutcome(name: name, status: .failed, detail: stopped), engine, run)
        }
        // Timelines in time order (then channel, alert): the entries are compared as text. Pages
        // only, unless the test expects an acknowledgement or a resolution notification: then
        // every notification (docs/engine.md, lifecycle notifications).
        let actual = run.notifications
        let lifecycle = test.expect.contains { $0.kind != .firing }
        let sent = actual.filter { $0.at <= until }.sorted { ($0.at, $0.channel, $0.alert) < ($1.at, $1.channel, $1.alert) }
        let got = sent.filter { lifecycle || $0.kind == .firing }
            .map { line(at: $0.at.subtractingSaturated(start), channel: $0.channel, alert: $0.alert, level: shown($0.level), kind: $0.kind) }
        let want = test.expect.sorted { ($0.atMs, $0.channel.text, $0.alert) < ($1.atMs, $1.channel.text, $1.alert) }
            .map { line(at: $0.atMs, channel: $0.channel.text, alert: $0.alert, level: shown($0.level), kind: $0.kind) }
        var problems: [String] = []
        if test.partial {
            var pool = got
            for w in want {
                if let i = pool.firstIndex(of: w) { pool.remove(at: i) } else { problems.append("missing: \(w)") }
            }
        } else if got != want {
            problems.append("the notifications differ")
        }
        for x in test.notExpect {
            for n in sent where excludes(x, n, start: start) {
                let text = line(at: n.at.subtractingSaturated(start), channel: n.channel, alert: n.alert, level: shown(n.level), kind: n.kind)
                problems.append("not expected: " + text.drop { $0 == " " })
            }
        }
        for s in test.suppressed {
            let muted = engine.state.alerts.values.contains { $0.alertname == s.alert && $0.suppressedBy == s.rule.text }
            if !muted { problems.append("`\(s.alert)` was not suppressed by `\(s.rule.text)`") }
        }
        for d in test.derived {
            let found = engine.state.alerts.values.contains { a in
                a.derivedBy == d.rule.text && (d.alert.isEmpty || a.alertname == d.alert) && (d.atMs.map { a.startsAt.subtractingSaturated(start) == $0 } ?? true)
            }
            if !found {
                let got = engine.state.alerts.values.filter { $0.derivedBy != nil }.sorted { $0.id < $1.id }
                    .map { "\($0.alertname) by \($0.derivedBy!) at \(formatDuration($0.startsAt.subtractingSaturated(start)))" }
                problems.append("`\(d.rule.text)` did not derive `\(d.alert)`" + (d.atMs.map { " at \(formatDuration($0))" } ?? "")
                                + (got.isEmpty ? " (nothing was derived)" : " (derived: \(got.joined(separator: "; ")))"))
            }
        }
        if problems.isEmpty { return (TestOutcome(name: name, status: .passed, detail: ""), engine, run) }
        return (TestOutcome(name: name, status: .failed, detail: problems.joined(separator: "\n") + "\n" + sideBySide(want, got)), engine, run)
    }

    static func line(at ms: Int64, channel: String, alert: String, level: Int?, kind: NotificationKind = .firing) -> String {
        let time = ms == 0 ? "0s" : formatDuration(ms)
        return "\(String(repeating: " ", count: max(0, 8 - time.count)))\(time)  \(channel)  \(alert)" + (level.map { "  level \($0)" } ?? "")
            + (kind == .firing ? "" : "  \(kind.rawValue)")
    }

    /// A level as tests read it: level 0 (the group's) is no level.
    static func shown(_ level: Int?) -> Int? { level == 0 ? nil : level }

    /// Whether notification `n` matches every field `x` gives (`level: 0` and no level alike).
    static func excludes(_ x: TestExclusion, _ n: Notification, start: Int64) -> Bool {
        if let at = x.atMs, n.at.subtractingSaturated(start) != at { return false }
        if let c = x.channel, c.text != n.channel { return false }
        if let a = x.alert, a != n.alert { return false }
        if let l = x.level, shown(l) != shown(n.level) { return false }
        if let k = x.kind, k != n.kind { return false }
        return true
    }

    /// Expected and actual timelines in two columns.
    static func sideBySide(_ want: [String], _ got: [String]) -> String {
        let width = max(24, (want.map(\.count).max() ?? 0) + 2)
        var out = "    " + "expected".padding(width) + "actual\n"
        for i in 0..<max(want.count, got.count) {
            let w = i < want.count ? want[i] : "", g = i < got.count ? got[i] : ""
            out += (w == g ? "    " : "  ≠ ") + w.padding(width) + g + "\n"
        }
        return out
    }

    /// A test input's alert (its YAML mapping was checked against spec section 2 already).
    public static func alertInput(_ m: YamlMapping, tenant: String, tier: String) -> AlertInput {
        func strings(_ key: String) -> [String: String] {
            guard case .mapping(let map)? = m[key] else { return [:] }
            var out: [String: String] = [:]
            for (k, v) in map.entries { if case .scalar(let s) = v { out[k.value] = s.value } }
            return out
        }
        func scalar(_ key: String) -> String? { if case .scalar(let s)? = m[key] { return s.value }; return nil }
        let labels = strings("labels")
        let names = CanonicalText.severityNames
        let severity = (scalar("severity") ?? labels["severity"]).flatMap { names.firstIndex(of: $0) }.map(UInt8.init) ?? 1
        return AlertInput(labels: labels, annotations: strings("annotations"), severity: severity, value: scalar("value").flatMap(Double.init),
                          startsAt: 0, source: scalar("source"), fingerprint: scalar("fingerprint") ?? "", tenant: tenant, tier: tier)
    }
}

private extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}

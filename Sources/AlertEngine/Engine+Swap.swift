import RuleCompiler
import RuleLang
import RuleVM

/// Pack swap (spec service "Hot reload"; issue 4): new alerts are routed by the new pack at once;
/// escalations in flight keep their frozen plans; groups keep their alerts and timers (a group
/// whose route is gone stops at its next check); correlation and anomaly state carries over for
/// rules whose compiled form did not change and is dropped for the others.
extension Engine {
    mutating func swap(to newChecked: CheckedPack, compiled newCompiled: CompiledPack) {
        let unchanged = Set(newCompiled.correlate.map(\.name).filter { name in
            Self.fingerprint(of: name, checked, compiled) == Self.fingerprint(of: name, newChecked, newCompiled)
        } + newCompiled.anomalies.map(\.name).filter { name in
            Self.fingerprint(of: name, checked, compiled) == Self.fingerprint(of: name, newChecked, newCompiled)
        })
        state.windows = state.windows.filter { unchanged.contains($0.value.rule) }
        state.heartbeats = state.heartbeats.filter { unchanged.contains($0.value.rule) }
        state.anomalies = state.anomalies.filter { unchanged.contains($0.value.rule) }
        state.sequences = state.sequences.filter { unchanged.contains($0.value.rule) }
        let inhibitions = Set(newCompiled.suppress.filter { $0.whileActive != nil }.map(\.name))
        let reindexed = inhibitions.filter { Self.inhibition(of: $0, checked) != Self.inhibition(of: $0, newChecked) }
        checked = newChecked
        compiled = newCompiled
        state.admittedBeforeSwap = state.nextID
        evaluator = PackEvaluator(pack: newCompiled)
        policies = RoutePolicy.table(newChecked.pack)
        escalationPlans = Self.plans(newChecked.pack)
        indexRoutes()
        longestCorrelationMs = Self.longestCorrelation(newChecked.pack)
        vm = VM(program: newCompiled.verified)
        // The silences compile against the new pack (as in an engine restored with it).
        silencePrograms = [:]
        reindexInhibitors(keeping: inhibitions.subtracting(reindexed))
    }

    /// What an inhibition is, as the index sees it: its `while_active` printed and its `equal`
    /// names (nil when the pack has no such inhibition).
    static func inhibition(of rule: String, _ checked: CheckedPack) -> String? {
        guard let decl = checked.pack.suppress.first(where: { $0.name.text == rule && $0.whileActive != nil }),
              let typed = checked.rules.first(where: { $0.kind == .suppress && $0.name.text == rule }),
              let whileActive = typed.expressions.first(where: { $0.role == "while_active" })?.expr else { return nil }
        return TypedPrinter.print(whileActive) + "|equal=\(decl.equal.map(\.text))"
    }

    /// After a swap: the index keeps the inhibitions in `kept` (the same `while_active` and
    /// `equal`); an inhibition that is new or changed is indexed again over the active,
    /// unsuppressed alerts (each bound once, with the new pack); one that is gone is dropped.
    mutating func reindexInhibitors(keeping kept: Set<String>) {
        state.inhibitors = state.inhibitors.filter { kept.contains($0.key) }
        let fresh = compiled.suppress.compactMap { r in r.whileActive.flatMap { kept.contains(r.name) ? nil : (r.name, $0) } }
        guard !fresh.isEmpty else { return }
        for alert in state.alerts.values where alert.status != .resolved && alert.suppressedBy == nil {
            bind(alert, at: alert.startsAt)
            for (rule, entry) in fresh where vm.matches(entry: entry) {
                state.inhibitors[rule, default: [:]][equalKey(alert.labels, rule), default: []].insert(alert.id)
            }
        }
    }

    /// What a correlation or anomaly rule is, compiled: its typed expressions and settings.
    static func fingerprint(of rule: String, _ checked: CheckedPack, _ compiled: CompiledPack) -> String? {
        guard let typed = checked.rules.first(where: { ($0.kind == .correlate || $0.kind == .anomaly) && $0.name.text == rule }) else { return nil }
        var out = typed.expressions.map { "\($0.role)=\(TypedPrinter.print($0.expr))" }.joined(separator: ";")
        if let c = checked.pack.correlate.first(where: { $0.name.text == rule }) {
            let kind: String
            switch c.kind {
            case .window(let w, _): kind = "window \(w)"
            case .sequence(let w, let steps): kind = "sequence \(w) \(steps.count)"
            case .heartbeat(let e): kind = "heartbeat \(e)"
            }
            out += "|by=\(c.by.map(\.text))|\(kind)|emit=\(c.emit.map { $0.0.text })"
        }
        if let a = checked.pack.anomalies.first(where: { $0.name.text == rule }) {
            out += "|by=\(a.by.map(\.text))|\(String(describing: a.sensitivity))|\(String(describing: a.minRate))|\(a.seasonal)"
        }
        return out
    }
}

import RuleCompiler
import RuleVM

/// Inhibition (spec 5.2): an alert is muted while another active, unsuppressed alert of the
/// tenant satisfies the rule's `while_active` and agrees on every `equal` label. Each new
/// unsuppressed alert is tested against every inhibition's `while_active` once, and indexed by
/// its `equal` values, so checking an alert is a lookup, not a scan of the active alerts.
extension Engine {
    func equalKey(_ labels: LabelSet, _ rule: String) -> String {
        let equal = checked.pack.suppress.first { $0.name.text == rule }?.equal.map(\.text) ?? []
        // `=value` (escaped) for a label the alert has, nothing for one it lacks: two alerts
        // share a key only when they agree on every `equal` label, absent ones included.
        return equal.map { labels[$0].map { "=" + RoutePolicy.escaped($0) } ?? "" }.joined(separator: ",")
    }

    /// The first inhibition among `candidates` (rules whose `when` the alert matched) that an
    /// active alert holds.
    func inhibitor(of id: Int, labels: LabelSet, candidates: [String]) -> String? {
        // Most of the time no alert inhibits anything: no rule name hashed to find that out.
        guard !state.inhibitors.isEmpty else { return nil }
        for name in candidates {
            let ids = state.inhibitors[name]?[equalKey(labels, name)] ?? []
            if ids.contains(where: { $0 != id && state.alerts.status(of: $0) != .resolved }) { return name }
        }
        return nil
    }

    /// Registers an unsuppressed alert under every inhibition whose `while_active` it satisfies
    /// (`Decision.whileActive`, evaluated with the alert's rules: no second bind).
    mutating func registerInhibitor(_ id: Int, matched rules: [String]) {
        guard !rules.isEmpty, let alert = state.alerts[id] else { return }
        for rule in rules {
            let key = equalKey(alert.labels, rule)
            state.inhibitors[rule, default: [:]][key, default: []].insert(id)
        }
    }

    /// Removes a resolved alert from the inhibitor index.
    /// Emptied entries go, so a rule without active inhibitors has none (nothing to look up;
    /// most resolved alerts never inhibited anything).
    mutating func unregisterInhibitor(_ id: Int) {
        for rule in compiled.suppress where rule.whileActive != nil {
            guard state.inhibitors[rule.name] != nil, let labels = state.alerts.labels(of: id) else { continue }
            let key = equalKey(labels, rule.name)
            guard state.inhibitors[rule.name]?[key]?.remove(id) != nil else { continue }
            if state.inhibitors[rule.name]?[key]?.isEmpty == true { state.inhibitors[rule.name]?[key] = nil }
            if state.inhibitors[rule.name]?.isEmpty == true { state.inhibitors[rule.name] = nil }
        }
    }
}

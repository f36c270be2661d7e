import RuleRuntime
import RuleVM

/// Inhibition (spec 5.2): an alert is muted while another active, unsuppressed alert of the
/// tenant satisfies the rule's `while_active` and agrees on every `equal` label. Each new
/// unsuppressed alert is tested against every inhibition's `while_active` once, and indexed by
/// its `equal` values, so checking an alert is a lookup, not a scan of the active alerts.
extension Engine {
    /// The inhibitor index's key of `labels` for inhibition `rule` (its number in `pack.suppress`).
    func equalKey(_ labels: LabelSet, _ rule: Int) -> String {
        let equal = pack.suppress[rule].equal
        // `=value` (escaped) for a label the alert has, nothing for one it lacks: two alerts
        // share a key only when they agree on every `equal` label, absent ones included.
        return equal.map { labels[$0].map { "=" + RoutePolicy.escaped($0) } ?? "" }.joined(separator: ",")
    }

    /// The first inhibition among `candidates` (rules whose `when` the alert matched) that an
    /// active alert holds.
    func inhibitor(of id: Int, labels: LabelSet, candidates: [Int]) -> String? {
        // Most of the time no alert inhibits anything: no key made to find that out.
        guard !state.inhibitors.isEmpty else { return nil }
        for rule in candidates {
            let ids = state.inhibitors[RuleID(rule)]?[equalKey(labels, rule)] ?? []
            if ids.contains(where: { $0 != id && state.alerts.status(of: $0) != .resolved }) { return pack.suppress[rule].name }
        }
        return nil
    }

    /// Registers an unsuppressed alert under every inhibition whose `while_active` it satisfies
    /// (`Decision.whileActive`, evaluated with the alert's rules: no second bind).
    mutating func registerInhibitor(_ id: Int, matched rules: [Int]) {
        guard !rules.isEmpty, let alert = state.alerts[id] else { return }
        for rule in rules {
            let key = equalKey(alert.labels, rule)
            state.inhibitors[RuleID(rule), default: [:]][key, default: []].insert(id)
        }
    }

    /// Removes a resolved alert from the inhibitor index.
    /// Emptied entries go, so a rule without active inhibitors has none (nothing to look up;
    /// most resolved alerts never inhibited anything).
    mutating func unregisterInhibitor(_ id: Int) {
        for (i, rule) in pack.suppress.enumerated() where rule.whileActive != nil {
            let r = RuleID(i)
            guard state.inhibitors[r] != nil, let labels = state.alerts.labels(of: id) else { continue }
            let key = equalKey(labels, i)
            guard state.inhibitors[r]?[key]?.remove(id) != nil else { continue }
            if state.inhibitors[r]?[key]?.isEmpty == true { state.inhibitors[r]?[key] = nil }
            if state.inhibitors[r]?.isEmpty == true { state.inhibitors[r] = nil }
        }
    }
}

import RuleRuntime
import RuleVM

/// Pack swap (spec service "Hot reload"; issue 4): new alerts are routed by the new pack at once;
/// escalations in flight keep their frozen plans; groups keep their alerts and timers (a group
/// whose route is gone stops at its next check); correlation and anomaly state carries over for
/// rules whose compiled form did not change and is dropped for the others.
extension Engine {
    /// Replaces the pack: a correlation or anomaly rule keeps its state when the new pack has a
    /// rule of that name with the same fingerprint (`RuntimeRule.fingerprint`, computed by the
    /// compiler), and so does an inhibition's index.
    mutating func swap(to newPack: RuntimePack) {
        func fingerprints(_ rules: [RuntimeRule]) -> [String: UInt64] {
            Dictionary(rules.map { ($0.name, $0.fingerprint) }, uniquingKeysWith: { a, _ in a })
        }
        let old = fingerprints(pack.correlate + pack.anomalies)
        let unchanged = Set((newPack.correlate + newPack.anomalies).filter { old[$0.name] == $0.fingerprint }.map(\.name))
        state.windows = state.windows.filter { unchanged.contains($0.value.rule) }
        state.heartbeats = state.heartbeats.filter { unchanged.contains($0.value.rule) }
        state.anomalies = state.anomalies.filter { unchanged.contains($0.value.rule) }
        state.sequences = state.sequences.filter { unchanged.contains($0.value.rule) }
        let oldInhibitions = fingerprints(pack.suppress.filter { $0.whileActive != nil })
        let kept = Set(newPack.suppress.filter { $0.whileActive != nil && oldInhibitions[$0.name] == $0.fingerprint }.map(\.name))
        pack = newPack
        state.admittedBeforeSwap = state.nextID
        evaluator = PackEvaluator(pack: newPack)
        escalationPlans = Self.plans(newPack)
        policies = RoutePolicy.table(newPack, plans: escalationPlans)
        indexRules()
        indexRoutes()
        longestCorrelationMs = newPack.longestCorrelationMs
        vm = VM(program: newPack.verified)
        reindexInhibitors(keeping: kept)
    }

    /// After a swap: the index keeps the inhibitions in `kept` (the same `while_active` and
    /// `equal`); an inhibition that is new or changed is indexed again over the active,
    /// unsuppressed alerts (each bound once, with the new pack); one that is gone is dropped.
    mutating func reindexInhibitors(keeping kept: Set<String>) {
        state.inhibitors = state.inhibitors.filter { kept.contains($0.key) }
        let fresh = pack.suppress.enumerated().compactMap { i, r in r.whileActive.flatMap { kept.contains(r.name) ? nil : (i, $0) } }
        guard !fresh.isEmpty else { return }
        for alert in state.alerts.values where alert.status != .resolved && alert.suppressedBy == nil {
            bind(alert, at: alert.startsAt)
            for (rule, entry) in fresh where vm.matches(entry: entry) {
                state.inhibitors[pack.suppress[rule].name, default: [:]][equalKey(alert.labels, rule), default: []].insert(alert.id)
            }
        }
    }
}

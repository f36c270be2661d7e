import RuleRuntime
import RuleVM

/// Pack swap (spec service "Hot reload"; issue 4): new alerts are routed by the new pack at once;
/// escalations in flight keep their frozen plans; groups of the routes the new pack keeps (by
/// path) keep their alerts and timers, the others end; correlation and anomaly state carries
/// over for rules whose compiled form did not change and is dropped for the others. The state
/// names routes and rules by number: what it keeps is renumbered to the new pack's numbers.
extension Engine {
    /// Replaces the pack: a correlation or anomaly rule keeps its state when the new pack has a
    /// rule of that name with the same fingerprint (`RuntimeRule.fingerprint`, computed by the
    /// compiler), and so does an inhibition's index.
    mutating func swap(to newPack: RuntimePack) {
        let correlations = Self.renumbering(pack.correlate, to: newPack.correlate)
        let anomalies = Self.renumbering(pack.anomalies, to: newPack.anomalies)
        let inhibitions = Self.renumbering(pack.suppress, to: newPack.suppress) { $0.whileActive != nil }
        pack = newPack
        state.admittedBeforeSwap = state.nextID
        evaluator = PackEvaluator(pack: newPack)
        escalationPlans = Self.plans(newPack)
        policies = RoutePolicy.table(newPack, plans: escalationPlans)
        indexRoutes()
        longestCorrelationMs = newPack.longestCorrelationMs
        vm = VM(program: newPack.verified)

        // The key under the new pack's numbers; nil when its route or rule is gone or changed.
        func renumbered(_ key: GroupKey) -> GroupKey? {
            var key = key
            switch key.owner {
            case .route:
                guard let n = routeNumbers[key.name], routePolicies[n] != nil else { return nil }
                key.owner = .route(n)
            case .correlation(let r):
                guard let n = correlations[r.index] else { return nil }
                key.owner = .correlation(RuleID(n))
            case .anomaly(let r):
                guard let n = anomalies[r.index] else { return nil }
                key.owner = .anomaly(RuleID(n))
            case .escalation, .lifecycle:
                break
            }
            return key
        }
        func carried<G>(_ table: [GroupKey: G], _ renumber: (inout G, RuleID) -> Void) -> [GroupKey: G] {
            var out: [GroupKey: G] = [:]
            for (key, group) in table {
                guard let new = renumbered(key), let rule = new.ruleID else { continue }
                var group = group
                renumber(&group, rule)
                out[new] = group
            }
            return out
        }
        state.groups.renumber { renumbered($0)?.owner }
        state.windows = carried(state.windows) { $0.rule = $1 }
        state.heartbeats = carried(state.heartbeats) { $0.rule = $1 }
        state.anomalies = carried(state.anomalies) { $0.rule = $1 }
        state.sequences = carried(state.sequences) { _, _ in }
        state.timers.rewrite { $0.renumbered(renumbered) }
        for alert in state.alerts.values {
            guard let key = alert.derivedGroup else { continue }
            _ = state.alerts.update(alert.id) { $0.derivedGroup = renumbered(key) }
        }
        var kept: [RuleID: [String: Set<Int>]] = [:]
        for (rule, index) in state.inhibitors { if let n = inhibitions[rule.index] { kept[RuleID(n)] = index } }
        state.inhibitors = kept
        reindexInhibitors(keeping: Set(kept.keys))
    }

    /// Old rule number → new rule number, for the rules of `old` (those `included`) that `new`
    /// has under the same name with the same fingerprint (the first of a duplicated name).
    static func renumbering(_ old: [RuntimeRule], to new: [RuntimeRule],
                            included: (RuntimeRule) -> Bool = { _ in true }) -> [Int: Int] {
        var newByName: [String: Int] = [:]
        for (j, rule) in new.enumerated() where included(rule) && newByName[rule.name] == nil { newByName[rule.name] = j }
        var out: [Int: Int] = [:]
        var seen: Set<String> = []
        for (i, rule) in old.enumerated() where included(rule) && seen.insert(rule.name).inserted {
            if let j = newByName[rule.name], new[j].fingerprint == rule.fingerprint { out[i] = j }
        }
        return out
    }

    /// After a swap: the index keeps the inhibitions in `kept` (the same `while_active` and
    /// `equal`); an inhibition that is new or changed is indexed again over the active,
    /// unsuppressed alerts (each bound once, with the new pack); one that is gone is dropped.
    mutating func reindexInhibitors(keeping kept: Set<RuleID>) {
        let fresh = pack.suppress.enumerated().compactMap { i, r in r.whileActive.flatMap { kept.contains(RuleID(i)) ? nil : (i, $0) } }
        guard !fresh.isEmpty else { return }
        for alert in state.alerts.values where alert.status != .resolved && alert.suppressedBy == nil {
            bind(alert, at: alert.startsAt)
            for (rule, entry) in fresh where vm.matches(entry: entry) {
                state.inhibitors[RuleID(rule), default: [:]][equalKey(alert.labels, rule), default: []].insert(alert.id)
            }
        }
    }
}

import RuleRuntime
import RuleText

/// Anomalies (spec 5.4): each group's `AnomalyDetector` counts the alerts of each minute
/// against its learnt expected rate; the alert that opens an episode derives the rule's alert,
/// and the episode's end resolves it. State is bounded per group (docs/anomalies.md).
extension Engine {
    /// `matched`: the rules' numbers in `pack.anomalies`, in order.
    mutating func detectAnomalies(_ id: Int, matched: [Int], at now: Int64) -> [Notification] {
        guard anomaliesEnabled, !matched.isEmpty, let labels = state.alerts.labels(of: id) else { return [] }
        var out: [Notification] = []
        for ruleID in matched {
            let decl = pack.anomalies[ruleID]
            guard let entries = decl.correlation, let settings = decl.anomaly else { continue }
            let key = GroupKey.rule(.anomaly(RuleID(ruleID)), name: decl.name, by: decl.by) { labels[$0] }
            // Changed in place: taken out of the state, its detector is not copied.
            var group = state.anomalies.removeValue(forKey: key) ?? {
                var group = AnomalyGroup(rule: RuleID(ruleID), detector: AnomalyDetector(seasonal: settings.seasonal))
                group.expiry = state.timers.schedule(.anomalyExpiry(key: key), at: now.addingSaturated(anomalyIdleMs(seasonal: settings.seasonal)))
                return group
            }()
            let minute = now / 60_000
            if group.detector.roll(to: minute, settings), let d = group.derived {
                resolveDerived(d, at: minute.multipliedSaturated(60_000))
                group.derived = nil
            }
            if group.detector.count(settings), group.derived == nil, let alert = state.alerts[id] {
                state.anomalies[key] = group
                bind(alert, at: now)
                vm.bindAggregates([])
                let derived = derive(decl.name, entries, by: key.labelDictionary, key: key, at: now)
                out.add(derived.sent)
                group.derived = derived.id
                if group.derived != nil { group.timer = state.timers.schedule(.anomaly(key: key), at: Self.minuteEnd(minute)) }
            }
            state.anomalies[key] = group
        }
        return out
    }

    /// A minute of a group with an open anomaly ended: it is folded in (with the quiet minutes
    /// before it), which may resolve the derived alert; if not, the next minute is looked at too.
    mutating func anomalyMinuteEnded(_ key: GroupKey, token: UInt64, at now: Int64) {
        guard var group = state.anomalies[key], group.derived != nil, group.timer == token,
              let settings = pack.anomalies[group.rule.index].anomaly else { return }
        let minute = now / 60_000
        if group.detector.roll(to: minute, settings), let d = group.derived {
            resolveDerived(d, at: minute.multipliedSaturated(60_000))
            group.derived = nil
        }
        group.timer = group.derived == nil ? nil : state.timers.schedule(.anomaly(key: key), at: Self.minuteEnd(minute))
        state.anomalies[key] = group
    }

    /// How long an anomaly group may go without alerts before it is dropped: the variable
    /// `CRITICAL_ALERT_CACHE_TTL`, but at least what its baseline remembers — a day, a week
    /// with seasonality (its weekday factors).
    func anomalyIdleMs(seasonal: Bool) -> Int64 {
        max(cacheTTLMs, seasonal ? 7 * 86_400_000 : 86_400_000)
    }

    /// When a group that counts no more alerts may be dropped: `anomalyIdleMs` after the end of
    /// its last counted minute.
    func expiryDue(_ group: AnomalyGroup, seasonal: Bool) -> Int64 {
        Self.minuteEnd(group.minute).addingSaturated(anomalyIdleMs(seasonal: seasonal))
    }

    /// An anomaly group's expiry timer: dropped when it has counted no alert for
    /// `anomalyIdleMs` and has no open derived alert; otherwise looked at again then.
    mutating func expireAnomalyGroup(_ key: GroupKey, token: UInt64, at now: Int64) {
        guard var group = state.anomalies[key], group.expiry == token,
              let settings = pack.anomalies[group.rule.index].anomaly else { return }
        let due = expiryDue(group, seasonal: settings.seasonal)
        if group.derived == nil && due <= now {
            state.anomalies[key] = nil
        } else {
            group.expiry = state.timers.schedule(.anomalyExpiry(key: key), at: max(due, now.addingSaturated(60_000)))
            state.anomalies[key] = group
        }
    }

    /// The first instant after `minute` (minutes since the epoch), saturated.
    static func minuteEnd(_ minute: Int64) -> Int64 { minute.addingSaturated(1).multipliedSaturated(60_000) }
}

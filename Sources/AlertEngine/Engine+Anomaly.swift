import RuleRuntime
import RuleText

/// Anomalies (spec 5.4): per group, the alert rate per minute against an exponentially weighted
/// mean and variance (α = `anomalyAlpha`), with an optional hour-of-week seasonal baseline.
/// When the current minute's z-score exceeds the rule's `sensitivity` (and the rate is at least
/// `min_rate` per minute), the derived alert is emitted once; a later minute back under the
/// threshold resolves it. A baseline needs `anomalyWarmup` minutes before it can fire. State is
/// bounded per group: one baseline (168 with seasonality) and one counter.
extension Engine {
    public static let anomalyAlpha = 0.1
    public static let anomalyWarmup = 10

    /// `matched`: the rules' numbers in `pack.anomalies`, in order.
    mutating func detectAnomalies(_ id: Int, matched: [Int], at now: Int64) -> [Notification] {
        guard anomaliesEnabled, !matched.isEmpty, let labels = state.alerts.labels(of: id) else { return [] }
        var out: [Notification] = []
        for ruleID in matched {
            let decl = pack.anomalies[ruleID]
            guard let entries = decl.correlation, let settings = decl.anomaly else { continue }
            let key = groupKey(decl.name, by: decl.by) { labels[$0] }
            // Changed in place: taken out of the state, its baselines are not copied.
            var group = state.anomalies.removeValue(forKey: key) ?? {
                var group = AnomalyGroup(rule: decl.name, baselines: Array(repeating: .init(), count: settings.seasonal ? 168 : 1))
                group.expiry = state.timers.schedule(.anomalyExpiry(key: key), at: now.addingSaturated(anomalyIdleMs(seasonal: settings.seasonal)))
                return group
            }()
            let minute = now / 60_000
            if group.minute != minute {
                if group.minute != 0 { close(&group, through: minute, seasonal: settings.seasonal) }
                group.minute = minute
                group.count = 0
            }
            group.count += 1
            let slot = settings.seasonal ? Self.hourOfWeek(minute) : 0
            let b = group.baselines[slot]
            let x = Double(group.count)
            let z = (x - b.mean) / max(b.variance, 0.25).squareRoot()
            if b.samples >= Self.anomalyWarmup, x >= (settings.minRate ?? 0), z > settings.sensitivity, group.derived == nil, let alert = state.alerts[id] {
                state.anomalies[key] = group
                bind(alert, at: now)
                vm.bindAggregates([])
                let derived = derive(decl.name, entries, by: Self.groupLabels(decl.by) { labels[$0] }, key: key, at: now)
                out.add(derived.sent)
                group.derived = derived.id
                if group.derived != nil { group.timer = state.timers.schedule(.anomaly(key: key), at: Self.minuteEnd(minute)) }
            }
            state.anomalies[key] = group
        }
        return out
    }

    /// Folds the counted minute, and the empty minutes after it, into the baseline.
    mutating func close(_ group: inout AnomalyGroup, through minute: Int64, seasonal: Bool) {
        let a = Self.anomalyAlpha
        func fold(_ m: Int64, _ x: Double) {
            let slot = seasonal ? Self.hourOfWeek(m) : 0
            var b = group.baselines[slot]
            let d = x - b.mean
            b.mean += a * d
            b.variance = (1 - a) * (b.variance + a * d * d)
            b.samples += 1
            group.baselines[slot] = b
        }
        fold(group.minute, Double(group.count))
        // Quiet minutes count as zeros; past a day of them the baseline has forgotten the rest.
        let gap = min(minute.subtractingSaturated(group.minute).subtractingSaturated(1), 1440)
        if gap > 0 { for k in 1...gap { fold(group.minute + k, 0) } }
        if let d = group.derived {
            // The last minute folded in (a quiet one counts 0) back at or under its baseline.
            let last = gap > 0 ? group.minute + gap : group.minute
            let value = gap > 0 ? 0 : Double(group.count)
            if value <= group.baselines[seasonal ? Self.hourOfWeek(last) : 0].mean {
                resolveDerived(d, at: minute.multipliedSaturated(60_000))
                group.derived = nil
            }
        }
    }

    /// A minute of a group with an open anomaly ended: it is folded in (with the quiet minutes
    /// before it), which may resolve the derived alert; if not, the next minute is looked at too.
    mutating func anomalyMinuteEnded(_ key: String, token: UInt64, at now: Int64) {
        guard var group = state.anomalies[key], group.derived != nil, group.timer == token,
              let settings = anomalyIDs[group.rule].flatMap({ pack.anomalies[$0].anomaly }) else { return }
        let minute = now / 60_000
        if group.minute < minute {
            close(&group, through: minute, seasonal: settings.seasonal)
            group.minute = minute
            group.count = 0
        }
        group.timer = group.derived == nil ? nil : state.timers.schedule(.anomaly(key: key), at: Self.minuteEnd(minute))
        state.anomalies[key] = group
    }

    /// How long an anomaly group may go without alerts before it is dropped: the variable
    /// `CRITICAL_ALERT_CACHE_TTL`, but at least what its baseline remembers — a day of quiet
    /// minutes (the most `close` folds in), a week with seasonality (one baseline per hour of
    /// the week).
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
    mutating func expireAnomalyGroup(_ key: String, token: UInt64, at now: Int64) {
        guard var group = state.anomalies[key], group.expiry == token,
              let settings = anomalyIDs[group.rule].flatMap({ pack.anomalies[$0].anomaly }) else { return }
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

    /// Hour of the week (0 = Thursday 00:00 UTC, the epoch's weekday) of a minute since the epoch.
    static func hourOfWeek(_ minute: Int64) -> Int { Int((minute / 60) % 168) }
}

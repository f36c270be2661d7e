import RuleRuntime
import RuleText
import RuleVM

/// Correlations (spec 5.3): window rules with aggregates, sequences and heartbeats. They see
/// every alert that is not itself derived (so there are no loops), suppressed or not; the
/// alerts they derive go through enrich, suppress and routing like any other.
extension Engine {
    /// The `by` values of a rule for an alert's labels.
    /// The `by` labels an alert has, by their value look-up.
    static func groupLabels(_ by: [String], _ value: (String) -> String?) -> [String: String] {
        var out: [String: String] = [:]
        for n in by { if let v = value(n) { out[n] = v } }
        return out
    }

    /// `groupKey(rule, groupLabels(by, value))`, without the dictionary: the names in the
    /// dictionary's key order (`<`), each once, those with a value.
    func groupKey(_ rule: String, by names: [String], _ value: (String) -> String?) -> String {
        var key = rule + "|", first = true
        func add(_ name: String) {
            guard let v = value(name) else { return }
            Self.appendPair(&key, name, v, first: first)
            first = false
        }
        if names.count == 1 {
            add(names[0])
        } else {
            var previous: String?
            for name in names.sorted() where name != previous {
                add(name)
                previous = name
            }
        }
        return key
    }

    /// `rule|name=value,…`, names in order, escaped as route group keys are; built in one string.
    func groupKey(_ rule: String, _ labels: [String: String]) -> String {
        var key = rule
        key.reserveCapacity(rule.utf8.count + 1 + labels.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 })
        key += "|"
        if labels.count == 1, let only = labels.first {
            Self.appendPair(&key, only.key, only.value, first: true)
        } else {
            for (i, name) in labels.keys.sorted().enumerated() { Self.appendPair(&key, name, labels[name]!, first: i == 0) }
        }
        return key
    }

    /// `name=value` (each escaped) at the end of a group key, after a `,` unless `first`.
    static func appendPair(_ key: inout String, _ name: String, _ value: String, first: Bool) {
        if !first { key += "," }
        key += RoutePolicy.escaped(name)
        key += "="
        key += RoutePolicy.escaped(value)
    }

    /// Feeds a new alert to the correlations whose `when` (or a sequence step) it matched.
    /// `matched`: the rules' numbers in `pack.correlate`, in order.
    mutating func correlate(_ id: Int, matched: [Int], at now: Int64) -> [Notification] {
        guard !matched.isEmpty, let alert = state.alerts[id] else { return [] }
        var out: [Notification] = []
        for ruleID in matched {
            let rule = pack.correlate[ruleID]
            guard let entries = rule.correlation, let form = rule.form else { continue }
            // (The `by` labels are made a dictionary only where they are kept or emitted.)
            let key = groupKey(rule.name, by: rule.by) { alert.labels[$0] }
            var by: [String: String] { Self.groupLabels(rule.by) { alert.labels[$0] } }
            switch form {
            case .window(let window):
                let event = WindowGroup.Event(at: now, alert: id, values: aggregateArguments(entries, alert, at: now))
                out.add(evaluateWindow(key, rule, entries, window: window, by: by, arriving: event, at: now))
            case .heartbeat(let every):
                beat(key, rule: rule.name, by: by, every: every, at: now)
            case .sequence(let within):
                var progress = state.sequences[key] ?? SequenceProgress()
                if progress.step > 0 && now.subtractingSaturated(progress.start) > within { progress = SequenceProgress() }
                bind(alert, at: now)
                if progress.step < entries.steps.count, vm.matches(entry: entries.steps[progress.step]) {
                    if progress.step == 0 { progress.start = now }
                    progress.step += 1
                } else if progress.step > 0, vm.matches(entry: entries.steps[0]) {
                    progress = SequenceProgress(step: 1, start: now)
                }
                if progress.step == entries.steps.count {
                    progress = SequenceProgress()
                    vm.bindAggregates([])
                    out.add(derive(rule.name, entries, by: by, key: key, at: now).sent)
                }
                // Only a started sequence is kept, until its `within` has passed (its last step
                // may still arrive exactly `within` after the first).
                if progress.step == 0 {
                    state.sequences[key] = nil
                } else {
                    progress.rule = rule.name
                    if progress.expiry == nil {
                        progress.expiry = state.timers.schedule(.sequenceExpiry(key: key), at: progress.expiryDue(within: within))
                    }
                    state.sequences[key] = progress
                }
            }
        }
        return out
    }

    /// A heartbeat arrives: the group's quiet timer restarts and its derived alert resolves.
    mutating func beat(_ key: String, rule: String, by: [String: String], every: Int64, at now: Int64) {
        var group = state.heartbeats[key] ?? HeartbeatGroup(rule: rule)
        group.labels = by
        group.timer = state.timers.schedule(.heartbeat(key: key), at: now.addingSaturated(every))
        if let d = group.derived {
            resolveDerived(d, at: now)
            group.derived = nil
        }
        state.heartbeats[key] = group
    }

    /// A sequence's expiry timer (the live one: a restart starts another): `within` has passed
    /// since its first step, so the progress is dropped (a later event would start it again).
    mutating func expireSequence(_ key: String, token: UInt64, at now: Int64) {
        if state.sequences[key]?.expiry == token { state.sequences[key] = nil }
    }

    /// A heartbeat's derived alert was resolved by someone (an operator, a pack's test): the
    /// group is dropped, so a heartbeat group lives while it waits for its next beat or while
    /// its "silent" alert is open. The next beat starts it again.
    mutating func endHeartbeat(_ key: String, derived id: Int) {
        if state.heartbeats[key]?.derived == id { state.heartbeats[key] = nil }
    }

    /// A repeat of an open alert (same fingerprint) is a heartbeat too: watchdogs send the same
    /// labels again and again. The heartbeat rules whose `when` the alert as kept (enriched when
    /// it arrived, with the repeat's severity) matches now beat again, in the groups of its
    /// labels as kept. Windows and sequences count alerts, not repeats.
    mutating func beatRepeat(_ id: Int, at now: Int64) {
        var alert: EngineAlert?
        for rule in pack.correlate {
            guard case .heartbeat(let every)? = rule.form else { continue }
            if alert == nil {
                alert = state.alerts[id]
                guard alert != nil else { return }
            }
            // Most repeats are no heartbeat's: the rule's index guard, read off the stored labels,
            // rules them out without binding the alert.
            guard let alert, rule.guardTest.map({ Self.passes($0, alert.labels) }) ?? true else { continue }
            bind(alert, at: now)
            guard vm.matches(entry: rule.entry) else { continue }
            let by = Self.groupLabels(rule.by) { alert.labels[$0] }
            beat(groupKey(rule.name, by), rule: rule.name, by: by, every: every, at: now)
        }
    }

    /// Whether `labels` meet a rule's index guard (a necessary condition of its `when`): the
    /// guarded label's value is one of the guard's, byte for byte, as the VM compares.
    static func passes(_ guardTest: RuleGuard, _ labels: LabelSet) -> Bool {
        let value = guardTest.label == Program.alertnameFieldSlot ? labels["alertname"] ?? "" : labels[guardTest.label]
        guard let value else { return false }
        return guardTest.values.contains { NameTable.sameBytes($0, value) }
    }

    /// Re-evaluates a window group: prunes old events, evaluates the condition over the window's
    /// aggregates, emits the derived alert once, and resolves it when the condition has been
    /// false for a whole window. Keeps one timer for the next moment to look again: when the
    /// oldest event leaves, or when a false condition has lasted a window.
    mutating func evaluateWindow(_ key: String, _ rule: RuntimeRule, _ entries: CorrelationEntries, window: Int64,
                                 by: @autoclosure () -> [String: String], arriving event: WindowGroup.Event? = nil, at now: Int64) -> [Notification] {
        // Taken out of the state while it changes, so its arrays are not copied.
        guard let condition = entries.condition else { return [] }
        var group: WindowGroup
        if let g = state.windows.removeValue(forKey: key) {
            group = g
        } else if event != nil {
            group = WindowGroup(rule: rule.name, aggregates: entries.aggregates.map { WindowAggregate($0.kind) })
        } else {
            return []
        }
        if let event {
            group.events.append(event)
            account(event, in: &group, entering: true)
        }
        let head = group.head
        let kept = group.live.firstIndex { now.subtractingSaturated($0.at) < window } ?? group.events.count
        if kept > head {
            for e in group.events[head..<kept] { account(e, in: &group, entering: false) }
            group.head = kept
            if kept >= 32 && kept * 2 >= group.events.count {
                group.events.removeFirst(kept)
                group.head = 0
            }
        }
        var out: [Notification] = []
        // (The closure reads the VM from a local: reading `self` in it, inside this mutating
        // method, had the whole engine copied at every arriving alert.)
        let vm = self.vm
        let holds = !group.live.isEmpty && withAggregates(entries, &group, at: now) {
            vm.matches(entry: condition)
        }
        var next = group.live.first.map { $0.at.addingSaturated(window) }
        if holds {
            group.falseSince = nil
            if group.derived == nil {
                // Deriving admits an alert, which reads no window group.
                let derived = derive(rule.name, entries, by: by(), key: key, at: now)
                out.add(derived.sent)
                group.derived = derived.id
            }
        } else if let d = group.derived {
            let since = group.falseSince ?? now
            group.falseSince = since
            if now.subtractingSaturated(since) >= window {
                resolveDerived(d, at: now)
                group.derived = nil
                group.falseSince = nil
            } else {
                next = min(next ?? .max, since.addingSaturated(window))
            }
        }
        if group.live.isEmpty && group.derived == nil { return out }
        if let next, next != group.timerDue || group.timer == nil {
            group.timer = state.timers.schedule(.window(key: key), at: next)
            group.timerDue = next
        }
        state.windows[key] = group
        return out
    }

    mutating func windowTimer(_ key: String, token: UInt64, at now: Int64) -> [Notification] {
        guard let i = state.windows.index(forKey: key), state.windows.values[i].timer == nil || state.windows.values[i].timer == token,
              let ruleID = correlateIDs[state.windows.values[i].rule], case let rule = pack.correlate[ruleID],
              case .window(let window)? = rule.form, let entries = rule.correlation else { return [] }
        state.windows.values[i].timer = nil
        state.windows.values[i].timerDue = nil
        let by = state.windows.values[i].live.last.flatMap { state.alerts[$0.alert] }.map { a in Self.groupLabels(rule.by) { a.labels[$0] } } ?? [:]
        return evaluateWindow(key, rule, entries, window: window, by: by, at: now)
    }

    mutating func heartbeatTimer(_ key: String, token: UInt64, at now: Int64) -> [Notification] {
        guard let group = state.heartbeats[key], group.timer == token, group.derived == nil,
              let ruleID = correlateIDs[group.rule], let entries = pack.correlate[ruleID].correlation else { return [] }
        // The emit templates see the group's labels (no alert arrived), and no aggregates.
        vm.bind(AlertInput(labels: group.labels, startsAt: now, tenant: pack.tenant, tier: pack.tier), now: now)
        vm.bindAggregates([])
        let derived = derive(group.rule, entries, by: group.labels, key: key, at: now)
        state.heartbeats[key]?.derived = derived.id
        return derived.sent
    }

    /// Binds `alert` into the engine's VM at `now`, unless it is bound there already (an alert
    /// entering a window is bound for its aggregate arguments, then as the window's newest).
    /// Only within one event: `advance`, where every event starts (before it changes any alert),
    /// clears the tag, and so does any other bind.
    func bind(_ alert: EngineAlert, at now: Int64) {
        if let tag = vm.bindTag, tag.id == alert.id, tag.at == now { return }
        // The alert being admitted is bound in the evaluator's VM as its rules left it (`admit`
        // tags it): taken from there, without its labels made a dictionary and bound again.
        if let tag = evaluator.vm.bindTag, tag.id == alert.id, tag.at == now, vm.adoptBinding(of: evaluator.vm, now: now) {
            vm.bindTag = (alert.id, now)
            return
        }
        vm.bind(input(of: alert), now: now)
        vm.bindTag = (alert.id, now)
    }

    /// An engine alert as the VM reads it.
    func input(of alert: EngineAlert) -> AlertInput {
        AlertInput(labels: alert.labels.dictionary, annotations: alert.annotations.dictionary, severity: alert.severity, value: alert.value,
                   startsAt: alert.startsAt, source: alert.source, fingerprint: alert.fingerprint, tenant: pack.tenant, tier: pack.tier)
    }

    /// The rule's aggregate arguments for `alert` at `now` (`missing` for an aggregate without
    /// one, or whose argument fails): evaluated once, when the alert enters the window.
    func aggregateArguments(_ entries: CorrelationEntries, _ alert: EngineAlert, at now: Int64) -> [PlainValue] {
        guard entries.aggregates.contains(where: { $0.argument != nil }) else { return [] }
        bind(alert, at: now)
        return entries.aggregates.map { aggregate in
            guard let argument = aggregate.argument, case .success(let v) = vm.run(entry: argument) else { return .missing }
            return vm.plain(v)
        }
    }

    /// Reduces the rule's aggregates over the window's events (their arguments as evaluated on
    /// arrival, kept running in `group.aggregates`), binds the newest alert with them, runs
    /// `body`.
    func withAggregates<T>(_ entries: CorrelationEntries, _ group: inout WindowGroup, at now: Int64, _ body: () -> T) -> T {
        var values: [PlainValue] = []
        for (i, aggregate) in entries.aggregates.enumerated() {
            values.append(group.aggregates[i].value(group.live, argument: aggregate.argument == nil ? nil : i))
        }
        if let last = group.live.last.flatMap({ state.alerts[$0.alert] }) { bind(last, at: now) }
        vm.bindAggregates(values)
        return body()
    }

    /// An event enters (`entering`) or leaves the group's running aggregates.
    func account(_ e: WindowGroup.Event, in group: inout WindowGroup, entering: Bool) {
        for i in e.values.indices where i < group.aggregates.count {
            if entering { group.aggregates[i].add(e.values[i]) } else { group.aggregates[i].remove(e.values[i]) }
        }
    }

    func derivedFingerprint(_ rule: String, _ by: [String: String]) -> String {
        Fingerprint.of(by.merging(["__derived_by": rule]) { a, _ in a })
    }

    /// Emits the derived alert of `rule` for its group `key` with labels `by` (its `emit`
    /// templates rendered with the window's aggregates), once while it is open. Returns what was
    /// sent and the open derived alert's id (the one just emitted, or the one already open).
    mutating func derive(_ rule: String, _ entries: CorrelationEntries, by: [String: String], key: String,
                         at now: Int64) -> (sent: [Notification], id: Int?) {
        let fingerprint = derivedFingerprint(rule, by)
        if let open = state.open[fingerprint] { return ([], open) }
        var labels = by
        for (label, entry) in entries.emits {
            if case .success(let v) = vm.run(entry: entry) {
                let text = vm.plain(v)
                labels[label] = if case .string(let s) = text { s } else { CanonicalText.text(text) }
            }
        }
        if labels["alertname"] == nil { labels["alertname"] = rule }
        var input = AlertInput(labels: labels, severity: 2, startsAt: now, fingerprint: fingerprint, tenant: pack.tenant, tier: pack.tier)
        if let s = labels["severity"], let i = CanonicalText.severityNames.firstIndex(of: s) { input.severity = UInt8(i) }
        let sent = admit(input, at: now, derivedBy: rule)
        let id = state.open[fingerprint]
        if let id { _ = state.alerts.update(id) { $0.derivedGroup = key } }
        return (sent, id)
    }

    mutating func resolveDerived(_ id: Int, at now: Int64) {
        // Not when it is resolved already, or resolved and forgotten.
        guard let alert = state.alerts[id], alert.status != .resolved else { return }
        resolveAlert(id, at: now)
    }
}

/// Reducing aggregate arguments over a whole window (spec 3.6): what `WindowAggregate` keeps
/// running, and its fallback for `min`/`max` over values of mixed kinds.
enum Aggregates {
    /// `kind` over the argument's values `xs` (nil when the aggregate has no argument: then
    /// `count()` is the number of alerts, `count`); a value that failed is missing.
    static func reduce(_ kind: Aggregate, _ xs: [PlainValue]?, count: Int) -> PlainValue {
        let present = (xs ?? []).filter { $0 != .missing }
        switch kind {
        case .count:
            return .int(Int64(xs.map { $0.count { $0 == .bool(true) } } ?? count))
        case .distinct:
            // By `==`, independent of hashing: the reference `WindowAggregate`'s multiset is
            // tested against.
            var seen: [PlainValue] = []
            for x in present where !seen.contains(x) { seen.append(x) }
            return .int(Int64(seen.count))
        case .sum, .avg:
            if present.allSatisfy({ if case .duration = $0 { true } else { false } }), !present.isEmpty {
                var total = DurationSum()
                for case .duration(let d) in present { total.add(d) }
                return kind == .sum ? .duration(total.saturated) : .duration(total.mean(over: present.count))
            }
            let numbers = present.compactMap(number)
            if kind == .sum { return .float(numbers.reduce(0, +)) }
            return numbers.isEmpty ? .missing : .float(numbers.reduce(0, +) / Double(numbers.count))
        case .min, .max:
            guard var best = present.first else { return .missing }
            for x in present.dropFirst() where less(x, best) == (kind == .min) && x != best { best = x }
            return best
        case .first: return present.first ?? .missing
        case .last: return present.last ?? .missing
        }
    }

    static func number(_ v: PlainValue) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .float(let d): d
        default: nil
        }
    }

    static func less(_ a: PlainValue, _ b: PlainValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.duration(let x), .duration(let y)), (.time(let x), .time(let y)): return x < y
        case (.severity(let x), .severity(let y)): return x < y
        default: return (number(a) ?? 0) < (number(b) ?? 0)
        }
    }
}

import RuleRuntime
import RuleText
import RuleVM

/// The pure, deterministic alert engine of one tenant: `(state, event, now) → (state, actions)`.
/// No I/O and no clock: `handle(_:at:)` is the one way in — every event carries its time, and
/// the timers due by then fire first, in order. The whole state is a value (`EngineState`), so
/// a snapshot is a copy; everything else the engine holds is its pack (and tables derived from
/// it), settings, or scratch space that is empty between events.
public struct Engine {
    /// The runtime pack the engine runs (the compiler's output, or an artifact loaded back).
    public internal(set) var pack: RuntimePack
    var evaluator: PackEvaluator
    var policies: [String: RoutePolicy]
    /// Each route of the evaluator (`Decision.routeIDs`) as its path string and policy, and
    /// each path's number.
    var routeNames: [String] = []
    var routeNumbers: [String: Int] = [:]
    var routePolicies: [RoutePolicy?] = []
    /// The plan of each route's escalation (inherited), by route number.
    var routePlans: [EscalationPlan?] = []
    /// Each escalation as the plan an alert freezes: built once per pack, so the alerts that
    /// freeze the same plan share its arrays.
    var escalationPlans: [String: EscalationPlan]
    /// The longest window, sequence `within` or heartbeat `every` of the pack's correlations.
    var longestCorrelationMs: Int64
    /// The VM for correlations and inhibitions (binds other alerts than the incoming one).
    var vm: VM
    /// Everything that changes from event to event, and nothing else: changed only by `handle`
    /// (and replaced whole by `restore`).
    public internal(set) var state = EngineState()

    /// `CRITICAL_ALERT_ML_ENABLED` (anomaly rules on or off).
    public var anomaliesEnabled = true
    /// `CRITICAL_ALERT_CACHE_TTL`: a group with no firing alert for this long is forgotten
    /// (its timer stops); a later alert starts a new group.
    public var cacheTTLMs: Int64 = 300_000
    /// How long a resolved alert stays in the state (for `acknowledge`/`resolve` by name, group
    /// flushes, lookups), at least as long as the pack's longest correlation window, sequence or
    /// heartbeat (their aggregates read the alerts); nil keeps every alert (`rulec test` and
    /// `rulec simulate` report on them at the end). The service's store keeps the history.
    public var forgetResolvedMs: Int64? = 3_600_000
    /// The most timers one event (`advance`, `receive`, …) fires: the rest stay due and fire at
    /// the next event, so one call does bounded work whatever the pack's intervals and the gap
    /// since the last event. `overdue(at:)` tells whether timers were left.
    public var maxTimersPerEvent = Engine.defaultMaxTimersPerEvent
    /// The default of `maxTimersPerEvent`.
    public static let defaultMaxTimersPerEvent = 100_000
    /// How many timers the last event fired (reset by each event).
    public internal(set) var timersFired = 0
    /// Record which rules held (`exercised`), for `rulec test`; off by default (it costs a
    /// string per matched rule per alert).
    public var trackCoverage = false
    /// Rules whose condition held for some alert (`kind name`): what `rulec test` reports as
    /// exercised. Observational, not part of the state.
    public private(set) var exercised: Set<String> = []
    /// A VM per runtime silence (a cache; the state keeps their text and programs).
    var silenceVMs: [String: VM] = [:]
    /// Route-path lists as alerts hold them, one copy of each distinct list (most alerts share
    /// a handful), by the route numbers of the decision: a cache, like `silenceVMs`.
    var routeLists: [[Int]: [String]] = [:]
    /// The one-route lists, by route number.
    var singleRouteLists: [[String]] = []
    /// Lifecycle notifications (`.acknowledged`, `.resolved`) made while handling the current
    /// event, merged into what it returns (`deliver`).
    var lifecycle: [Notification] = []
    /// How many names the enrich sets added to the last new alert's labels: the room the next
    /// alert's labels are built with.
    var labelsAddedLast = 0
    /// The decision every new alert is evaluated into (its lists' storage reused).
    var decisionBuffer = Decision()
    /// Alerts changed and audit entries made while `handle` runs an event (`Engine+Actions`):
    /// scratch space, emptied at the start of each event (its storage kept).
    var touched: [Int] = []
    var audit: [AuditEntry] = []

    /// An engine with an empty state over `pack`.
    public init(pack: RuntimePack) {
        self.pack = pack
        self.evaluator = PackEvaluator(pack: pack)
        self.escalationPlans = Self.plans(pack)
        self.policies = RoutePolicy.table(pack, plans: escalationPlans)
        self.longestCorrelationMs = pack.longestCorrelationMs
        self.vm = VM(program: pack.verified)
        indexRoutes()
    }

    /// Fires every timer due at or before `now`, in (time, order) order.
    mutating func advance(to now: Int64) -> [Notification] {
        // Every event starts here: a binding kept from an earlier one (whose alert may have
        // changed since, or a state put in place by hand) is never reused.
        vm.bindTag = nil
        evaluator.vm.bindTag = nil
        timersFired = 0
        return deliver(fireTimers(to: now))
    }

    /// `advance(to:)` inside an event already started: the timers it fires count towards the
    /// same `maxTimersPerEvent`.
    mutating func advanceWithinEvent(to now: Int64) -> [Notification] {
        vm.bindTag = nil
        evaluator.vm.bindTag = nil
        return deliver(fireTimers(to: now))
    }

    /// Whether timers due at or before `now` are still waiting: the last event reached
    /// `maxTimersPerEvent`.
    public func overdue(at now: Int64) -> Bool {
        state.timers.nextDue.map { $0 <= now && $0 < .max } ?? false
    }

    /// `out` with the lifecycle notifications made meanwhile, in time order (stable).
    mutating func deliver(_ out: [Notification]) -> [Notification] {
        guard !lifecycle.isEmpty else { return out }
        let all = (out + lifecycle).enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        lifecycle = []
        return all
    }

    mutating func fireTimers(to now: Int64) -> [Notification] {
        var out: [Notification] = []
        while timersFired < maxTimersPerEvent, let t = state.timers.popDue(now) {
            timersFired += 1
            switch t.payload {
            case .flush(let key): flush(key, at: t.due, token: t.sequence, into: &out)
            case .escalate(let id, let step): out.add(escalate(id, step: step, at: t.due, token: t.sequence))
            case .sla(let id, let kind): out.add(slaDeadline(id, kind, at: t.due, token: t.sequence))
            case .slaAckThenResolve(let id, let due):
                out.add(slaDeadlines(id, first: .ackWithin, then: .resolveWithin, due: due, at: t.due, token: t.sequence))
            case .slaResolveThenAck(let id, let due):
                out.add(slaDeadlines(id, first: .resolveWithin, then: .ackWithin, due: due, at: t.due, token: t.sequence))
            case .window(let key): out.add(windowTimer(key, token: t.sequence, at: t.due))
            case .heartbeat(let key): out.add(heartbeatTimer(key, token: t.sequence, at: t.due))
            case .forget(let id): forget(id, at: t.due)
            case .anomaly(let key): anomalyMinuteEnded(key, token: t.sequence, at: t.due)
            case .sequenceExpiry(let key): expireSequence(key, token: t.sequence, at: t.due)
            case .anomalyExpiry(let key): expireAnomalyGroup(key, token: t.sequence, at: t.due)
            case .silenceExpiry(let id): expireSilence(id, token: t.sequence)
            }
        }
        return out
    }

    /// An alert arrives: an update of its open alert (same fingerprint), or a new alert that is
    /// enriched, suppressed or routed into groups, and whose escalation starts.
    mutating func receive(_ input: consuming AlertInput, at now: Int64) -> [Notification] {
        var out = advance(to: now)
        // Sorted once, for the fingerprint and the alert (a repeat with its own fingerprint needs neither).
        let labels = input.fingerprint.isEmpty ? LabelSet(input.labels, reserving: labelsAddedLast) : nil
        let fingerprint = labels.map(Fingerprint.of) ?? input.fingerprint
        // `ends_at` in the past: the alert is resolved (Alertmanager's and Prometheus' way).
        if let end = input.endsAt, end <= now {
            if let id = state.open[fingerprint] { resolveAlert(id, at: now) }
            return deliver(out)
        }
        if let id = state.open[fingerprint], let (raised, derived) = state.alerts.update(id, { alert in
            let raised = input.severity > alert.severity
            alert.severity = max(alert.severity, input.severity)
            if !input.annotations.isEmpty { alert.annotations.merge(input.annotations) }
            return (raised, alert.derivedBy != nil)
        }) {
            // Deduplicated: a rise in severity is news for its groups; nothing else is.
            if raised { for key in groupKeys(of: id, checked: false) { state.groups[key]?.unnotify(id) } }
            note(id, .deduplicated, at: now)
            if !derived { beatRepeat(id, at: now) }
            return deliver(out)
        }
        // (Taken, not copied: a copy retained every field of the alert.)
        var bound = consume input
        bound.fingerprint = fingerprint
        // The alert as the engine keeps it, so every rule reads the same fields: the pack's
        // tenant and tier, and a start no later than now.
        bound.tenant = pack.tenant
        bound.tier = pack.tier
        if bound.startsAt <= 0 || bound.startsAt > now { bound.startsAt = now }
        out.add(admit(bound, labels: consume labels, at: now, derivedBy: nil))
        return deliver(out)
    }

    /// Steps 2, 3 and 5 of the pipeline for a new alert (4 too unless it is derived): enrich,
    /// suppress, correlate, route into groups, start its escalation and SLA clocks.
    mutating func admit(_ input: AlertInput, labels given: consuming LabelSet? = nil, at now: Int64, derivedBy: String?) -> [Notification] {
        var out: [Notification] = []
        // The engine's one decision, taken out while this alert uses it (a derived alert
        // admitted meanwhile gets a fresh one) and put back emptied.
        var decision = Decision()
        Swift.swap(&decision, &decisionBuffer)
        defer {
            decision.reset()
            Swift.swap(&decision, &decisionBuffer)
        }
        evaluator.evaluate(input, now: now, into: &decision)
        if trackCoverage {
            for (kind, names) in [("enrich", decision.enrich), ("suppress", decision.suppress + decision.inhibitions),
                                  ("correlate", decision.correlate), ("anomaly", decision.anomalies)] {
                for n in names { exercised.insert("\(kind) \(n)") }
            }
            for path in decision.routes { for n in path { exercised.insert("route \(n)") } }
        }
        // The labels as the enrich rules left them: the sorted input labels with their sets
        // applied in order (no second sort).
        // (Without annotation sets, every set is a label; with them, the sets are parted once,
        // each name looked at once.)
        var labelSets = decision.enriched, annotationSets: [(label: String, value: String)] = []
        if decision.enrichedAnnotations > 0 {
            labelSets = []
            for (label, value) in decision.enriched {
                if let name = Decision.annotationName(label) { annotationSets.append((name, value)) } else { labelSets.append((label, value)) }
            }
        }
        // (The sorted labels from `receive` are taken, not copied: the sets go into their array
        // when it has room.)
        var labels = (consume given) ?? LabelSet(input.labels, reserving: labelsAddedLast)
        labels.apply(labelSets) { $0 }
        labelsAddedLast = labels.count - input.labels.count
        labels.dropSpareRoom()
        let annotations = annotationSets.isEmpty ? LabelSet(input.annotations) : LabelSet(input.annotations).applying(annotationSets) { $0 }
        let id = state.nextID
        state.nextID += 1
        // The evaluator's VM holds this alert as stored (until the event ends or another alert
        // is evaluated): correlations bind it from there.
        evaluator.vm.bindTag = (id, now)
        // `starts_at` when the sender gave one (escalation levels count from it), else now.
        let routes = sharedRoutes(decision.routeIDs)
        var suppressedBy = decision.suppressIDs.first.map { pack.suppress[$0].name }
            ?? inhibitor(of: id, labels: labels, candidates: decision.inhibitionIDs)
        if suppressedBy == nil && !state.silences.isEmpty {
            var enriched = input
            enriched.labels = decision.labels
            enriched.annotations = decision.annotations
            suppressedBy = silence(of: enriched, at: now)
        }
        // Built where it is stored: a local alert would be copied into the table (an alert is
        // a large struct; the copy retains, and the local's end releases, every field).
        state.alerts.insert(EngineAlert(id: id, fingerprint: input.fingerprint, labels: labels, annotations: annotations,
                                        startsAt: input.startsAt, source: input.source, suppressedBy: suppressedBy, derivedBy: derivedBy,
                                        routes: routes, value: input.value, severity: input.severity, status: .firing,
                                        alertname: labels["alertname"] ?? ""))
        state.open[input.fingerprint] = id
        note(id, .received(fingerprint: input.fingerprint), at: now)
        if let rule = suppressedBy {
            note(id, .suppressed(by: rule), at: now)
        } else {
            note(id, routes.isEmpty ? .unrouted : .routed(routes: routes), at: now)
        }
        if derivedBy == nil {
            out.add(correlate(id, matched: decision.correlateIDs, at: now))
            out.add(detectAnomalies(id, matched: decision.anomalyIDs, at: now))
        }
        guard suppressedBy == nil else { return out }
        registerInhibitor(id, matched: decision.whileActiveIDs)
        for route in decision.routeIDs {
            guard let policy = routePolicies[route] else { continue }
            // Most alerts join a group that exists: found by the key's bytes, no string made.
            let joined = policy.withGroupKey(labels) { bytes in
                guard let i = state.groups.index(forBytes: bytes) else { return false }
                state.groups[at: i].alerts.append(id)
                return true
            }
            if !joined {
                let key = policy.groupKey(labels, route: route)
                var group = AlertGroup(key: key, alerts: [id])
                group.timer = state.timers.schedule(.flush(group: key), at: now.addingSaturated(policy.groupWaitMs))
                state.groups[key] = group
            }
        }
        startEscalation(id, routes: decision.routeIDs, start: input.startsAt)
        startSLA(id, routed: !routes.isEmpty, at: now)
        out.add(advanceWithinEvent(to: now))
        return out
    }

    /// Acknowledges the open alerts named `alertname` (or with that fingerprint).
    mutating func acknowledge(_ name: String, at now: Int64) -> [Notification] {
        let out = advance(to: now)
        for id in openAlerts(named: name) {
            if state.alerts[id]?.status == .firing { lifecycle += lifecycleNotifications(id, .acknowledged, at: now) }
            state.alerts[id]?.status = .acknowledged
            note(id, .acknowledged, at: now)
            if state.plans[id]?.untilAcknowledged == true { state.escalationTokens[id] = nil }
            if let timeout = pack.sla.ackTimeoutMs {
                state.ackTimeouts[id] = state.timers.schedule(.sla(alert: id, kind: .ackTimeout), at: now.addingSaturated(timeout))
            }
        }
        return deliver(out)
    }

    /// Resolves the open alerts named `alertname` (or with that fingerprint): a later trigger
    /// with the same labels opens a new alert.
    mutating func resolve(_ name: String, at now: Int64) -> [Notification] {
        let out = advance(to: now)
        for id in openAlerts(named: name) { resolveAlert(id, at: now) }
        return deliver(out)
    }

    mutating func resolveAlert(_ id: Int, at now: Int64) {
        if let group = state.alerts.derivedGroup(of: id) { endHeartbeat(group, derived: id) }
        lifecycle += lifecycleNotifications(id, .resolved, at: now)
        note(id, .resolved, at: now)
        if let keep = forgetResolvedMs { state.timers.schedule(.forget(alert: id), at: now.addingSaturated(max(keep, longestCorrelationMs))) }
        state.alerts[id]?.status = .resolved
        state.escalationTokens[id] = nil
        unregisterInhibitor(id)
        if let fp = state.alerts[id]?.fingerprint { state.open[fp] = nil }
    }

    /// Manual escalation: the next level of each named alert, now.
    mutating func escalateNow(_ name: String, at now: Int64) -> [Notification] {
        var out = advance(to: now)
        for id in openAlerts(named: name) {
            _ = escalateNextLevel(id, at: now)
            out.add(advanceWithinEvent(to: now))
        }
        return deliver(out)
    }

    /// The routes numbered `ids` as `a/b` strings, the copy every alert with these routes shares.
    mutating func sharedRoutes(_ ids: [Int]) -> [String] {
        // Most alerts take one route: its list is at its number (no hashing).
        if ids.count == 1 { return singleRouteLists[ids[0]] }
        if ids.isEmpty { return [] }
        if let shared = routeLists[ids] { return shared }
        let routes = ids.map { routeNames[$0] }
        routeLists[ids] = routes
        return routes
    }

    /// The route tables by route number, for the current pack's evaluator.
    mutating func indexRoutes() {
        routeNames = evaluator.routePaths.map { $0.joined(separator: "/") }
        routeNumbers = Dictionary(routeNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        routePolicies = routeNames.map { policies[$0] }
        routePlans = routePolicies.map { $0?.escalation.flatMap { escalationPlans[$0] } }
        routeLists = [:]
        singleRouteLists = routeNames.map { [$0] }
    }

    func openAlerts(named name: String) -> [Int] {
        state.open.values.filter { state.alerts.isNamed($0, name) }.sorted()
    }

    /// The keys of the live groups holding alert `id`, sorted: computed from its routes and
    /// labels, as when it joined — unless it arrived before a pack swap (whose routes may group
    /// differently), then found by a scan. `checked`: only groups that hold it (a group of the
    /// same key may have started again without it); unchecked, no group is scanned.
    func groupKeys(of id: Int, checked: Bool = true) -> [GroupKey] {
        guard let alert = state.alerts[id] else { return [] }
        func sorted(_ keys: [GroupKey]) -> [GroupKey] { keys.map { ($0.description, $0) }.sorted { $0.0 < $1.0 }.map(\.1) }
        if id < state.admittedBeforeSwap { return sorted(state.groups.values.filter { $0.alerts.contains(id) }.map(\.key)) }
        let keys = alert.routes.compactMap { path in
            routeNumbers[path].flatMap { n in routePolicies[n]?.groupKey(alert.labels, route: n) }
        }
        return sorted(checked ? keys.filter { state.groups[$0]?.alerts.contains(id) == true } : keys)
    }
}

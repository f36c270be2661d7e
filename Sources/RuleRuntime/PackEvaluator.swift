import RuleText
import RuleVM

/// Which rules of a compiled pack match one alert, and the route it takes: what `rulec eval`
/// prints (the full engine, with state and timers, is `AlertEngine`).
public struct Decision: Sendable {
    /// Enrich rules that matched, by number in `RuntimePack.enrich`.
    public var enrichIDs: [Int] = []
    /// Labels (and `annotations.x`) the enrich rules set, in order.
    public var enriched: [(label: String, value: String)] = []
    /// How many of `enriched` set an annotation (none, for most alerts: then every one is a label).
    public var enrichedAnnotations = 0
    /// Silences that matched (the alert is muted), by number in `RuntimePack.suppress`.
    public var suppressIDs: [Int] = []
    /// Inhibitions whose `when` matched: they mute the alert while another active alert satisfies
    /// their `while_active` (the engine decides; `rulec eval` has no other alerts).
    public var inhibitionIDs: [Int] = []
    /// Inhibitions whose `while_active` the (enriched) alert satisfies: the engine indexes it as
    /// an inhibitor of those while it is active and unsuppressed.
    public var whileActiveIDs: [Int] = []
    /// Correlations fed, by number in `RuntimePack.correlate`.
    public var correlateIDs: [Int] = []
    /// Anomaly rules fed, by number in `RuntimePack.anomalies`.
    public var anomalyIDs: [Int] = []
    /// The rules' names (for reports; the engine goes by number).
    var names: RuleNames?
    public var enrich: [String] { enrichIDs.map { names!.enrich[$0] } }
    public var suppress: [String] { suppressIDs.map { names!.suppress[$0] } }
    public var inhibitions: [String] { inhibitionIDs.map { names!.suppress[$0] } }
    public var whileActive: [String] { whileActiveIDs.map { names!.suppress[$0] } }
    public var correlate: [String] { correlateIDs.map { names!.correlate[$0] } }
    public var anomalies: [String] { anomalyIDs.map { names!.anomalies[$0] } }
    /// Every route that handles the alert (more than one with `continue`), as its number in
    /// `PackEvaluator.routePaths` (routes numbered in pre-order).
    public var routeIDs: [Int] = []
    /// Every route path that handles the alert.
    public var routes: [[String]] { routeIDs.map { routePaths[$0] } }
    var routePaths: [[String]] = []
    /// The alert's labels and annotations after the enrich rules (its own, with `enriched`
    /// applied in order).
    public var labels: [String: String] { applied(to: inputLabels, annotations: false) }
    public var annotations: [String: String] { applied(to: inputAnnotations, annotations: true) }
    var inputLabels: [String: String] = [:], inputAnnotations: [String: String] = [:]
    /// Rules whose evaluation failed, with the error and where.
    public var errors: [(rule: String, error: RuntimeError)] = []
    /// With tracing: every rule evaluated, in order, and its result.
    public var trace: [(rule: String, result: String)] = []

    func applied(to map: [String: String], annotations: Bool) -> [String: String] {
        var map = map
        for (label, value) in enriched {
            let annotation = Self.annotationName(label)
            if (annotation != nil) == annotations { map[annotation ?? label] = value }
        }
        return map
    }

    /// The annotation an enrich `set` names (`annotations.x` gives `x`); nil for a label.
    public static func annotationName(_ label: String) -> String? {
        label.hasPrefix("annotations.") ? String(label.dropFirst(12)) : nil
    }

    /// No rule matched yet (what `PackEvaluator.evaluate(_:now:trace:into:)` fills in).
    public init() {}

    /// Back to no rule matched, keeping the lists' storage for the next alert (the engine
    /// evaluates every alert into one decision: no list allocated per alert).
    public mutating func reset() {
        // One element at a time: the lists hold a few, and `removeAll(keepingCapacity:)` goes
        // through the generic `replaceSubrange`, slower than popping them.
        func clear<T>(_ list: inout [T]) { while !list.isEmpty { list.removeLast() } }
        clear(&enrichIDs)
        clear(&enriched)
        enrichedAnnotations = 0
        clear(&suppressIDs)
        clear(&inhibitionIDs)
        clear(&whileActiveIDs)
        clear(&correlateIDs)
        clear(&anomalyIDs)
        clear(&routeIDs)
        clear(&errors)
        clear(&trace)
        inputLabels = [:]
        inputAnnotations = [:]
    }
}

/// The names of a pack's rules by list, shared by every decision of its evaluator.
final class RuleNames: Sendable {
    let enrich: [String], suppress: [String], correlate: [String], anomalies: [String]

    init(_ pack: RuntimePack) {
        enrich = pack.enrich.map(\.name)
        suppress = pack.suppress.map(\.name)
        correlate = pack.correlate.map(\.name)
        anomalies = pack.anomalies.map(\.name)
    }
}

/// Evaluates compiled packs against alerts on one VM.
public final class PackEvaluator {
    public let pack: RuntimePack
    /// The VM the rules run on: until the next evaluation, it holds the last alert evaluated,
    /// as its rules saw it (enrich sets applied).
    public let vm: VM

    /// Use the rule index (the default); without it every rule of a list is evaluated.
    public let indexed: Bool
    private let routeIndex: IndexedRoutes
    /// Each route's path, by its number (pre-order over the tree).
    public let routePaths: [[String]]
    /// The suppress, correlate and anomaly lists.
    private let lists: [RuleList]
    /// The enrich rules' names and entries, and where their sets are in the set arrays.
    private let enrichNames: [String]
    private let enrichEntries: [Int]
    private let enrichSetRanges: [Range<Int>]
    /// The inhibitions' `while_active` entries, by rule number.
    private let whileActive: [(Int, Int)]
    private let names: RuleNames
    /// Every enrich set, rule after rule: the label (or `annotations.x`), its entry, and for an
    /// annotation its name. (Flat arrays: walking nested ones retained and released every
    /// rule's list and every set's strings, for each alert.)
    private let setLabels: [String]
    private let setEntries: [Int]
    private let setAnnotations: [String?]

    public init(pack: RuntimePack, indexed: Bool = true) {
        self.pack = pack
        self.whileActive = pack.suppress.enumerated().compactMap { i, r in r.whileActive.map { (i, $0) } }
        self.names = RuleNames(pack)
        let sets = pack.enrich.flatMap(\.sets)
        self.setLabels = sets.map(\.label)
        self.setEntries = sets.map(\.entry)
        self.setAnnotations = sets.map { Decision.annotationName($0.label) }
        var start = 0
        self.enrichSetRanges = pack.enrich.map { r in
            defer { start += r.sets.count }
            return start..<start + r.sets.count
        }
        self.enrichNames = pack.enrich.map(\.name)
        self.enrichEntries = pack.enrich.map(\.entry)
        let vm = VM(program: pack.verified)
        self.vm = vm
        self.indexed = indexed
        var paths: [[String]] = []
        let slots = { (index: RuleIndex) in index.labels.map(vm.labelSlot) }
        self.routeIndex = IndexedRoutes(pack.routes, prefix: [], paths: &paths, slots: slots)
        self.routePaths = paths
        self.lists = [(pack.suppress, "suppress"), (pack.correlate, "correlate"), (pack.anomalies, "anomaly")].map { rules, kind in
            let index = RuleIndex(guards: rules.map(\.guardTest))
            return RuleList(kind: kind, names: rules.map(\.name), entries: rules.map(\.entry), inhibits: rules.map { $0.whileActive != nil },
                            index: index, slots: slots(index))
        }
    }

    /// The rules of a list that could match (all of them without the index), in order.
    private func candidates(_ list: RuleList) -> [Int] {
        guard indexed else { return Array(list.entries.indices) }
        return candidates(list.index, slots: list.slots)
    }

    /// The candidates of `index` for the bound alert: each hashed label looked up by the bytes
    /// of its VM slot (as the enrich rules left it), else by its value.
    private func candidates(_ index: RuleIndex, slots: [Int?]) -> [Int] {
        if slots.isEmpty { return index.scanned }
        return index.candidates { l in
            if let slot = slots[l] { return vm.withSlotBytes(slot) { index.valueNumber(label: l, bytes: $0) } }
            let label = index.labels[l]
            return index.valueNumber(label: l, label == Program.alertnameFieldSlot ? vm.label("alertname") ?? "" : vm.label(label))
        }
    }

    /// Runs a rule's condition; its name is only built when tracing or on an error.
    private func holds(_ entry: Int, _ name: @autoclosure () -> String, _ d: inout Decision, trace: Bool) -> Bool {
        let result = vm.run(entry: entry)
        switch result {
        case .success(let v):
            if trace { d.trace.append((name(), v.isTrue ? "matched" : "no match")) }
            return v.isTrue
        case .failure(let e):
            d.errors.append((name(), e))
            if trace { d.trace.append((name(), "error: \(e)")) }
            return false
        }
    }

    public func evaluate(_ alert: AlertInput, now: Int64, trace: Bool = false) -> Decision {
        var d = Decision()
        evaluate(alert, now: now, trace: trace, into: &d)
        return d
    }

    /// `evaluate` into a decision the caller owns, fresh or `reset` (returning the decision had
    /// the optimizer copy it — every list retained, then released — on the way out; the engine
    /// reuses one).
    public func evaluate(_ alert: AlertInput, now: Int64, trace: Bool = false, into d: inout Decision) {
        vm.bind(alert, now: now)
        // Enrich rules run in order, each seeing the labels the earlier ones set (so no index:
        // a set label may change what the index would hash on).
        d.enrichIDs.reserveCapacity(enrichEntries.count)
        d.enriched.reserveCapacity(setEntries.count)
        d.names = names
        for r in enrichEntries.indices where holds(enrichEntries[r], "enrich \(enrichNames[r])", &d, trace: trace) {
            d.enrichIDs.append(r)
            let sets = enrichSetRanges[r]
            guard !sets.isEmpty else { continue }
            // Every set of the rule sees the labels as they were before it; then the VM follows,
            // as a new bind would, updating only the labels set.
            // The sets that failed (an error, recorded): bits for the first 64, a list after.
            var next = d.enriched.count, failed: UInt64 = 0, failedLater: [Int] = []
            for s in sets {
                let k = s - sets.lowerBound
                let v: Value
                switch vm.run(entry: setEntries[s]) {
                case .success(let x): v = x
                case .failure(let e):
                    d.errors.append(("enrich \(enrichNames[r]) set \(setLabels[s])", e))
                    if k < 64 { failed |= 1 << k } else { failedLater.append(k) }
                    continue
                }
                let text = vm.plain(v)
                let value: String = if case .string(let s) = text { s } else { CanonicalText.text(text) }
                d.enriched.append((setLabels[s], value))
                if setAnnotations[s] != nil { d.enrichedAnnotations += 1 }
            }
            for s in sets {
                let k = s - sets.lowerBound
                guard k < 64 ? failed & 1 << k == 0 : !failedLater.contains(k) else { continue }
                let value = d.enriched[next].value
                next += 1
                if let annotation = setAnnotations[s] { vm.setAnnotation(annotation, value) } else { vm.setLabel(setLabels[s], value) }
            }
        }
        for (i, list) in lists.enumerated() {
            for j in candidates(list) where holds(list.entries[j], "\(list.kind) \(list.names[j])", &d, trace: trace) {
                if list.inhibits[j] {
                    d.inhibitionIDs.append(j)
                } else {
                    switch i {
                    case 0: d.suppressIDs.append(j)
                    case 1: d.correlateIDs.append(j)
                    default: d.anomalyIDs.append(j)
                    }
                }
            }
        }
        // An alert a rule suppresses never inhibits others: no need to look.
        if d.suppressIDs.isEmpty {
            for (rule, entry) in whileActive where vm.matches(entry: entry) { d.whileActiveIDs.append(rule) }
        }
        d.routePaths = routePaths
        route(routeIndex, &d, trace: trace)
        d.inputLabels = alert.labels
        d.inputAnnotations = alert.annotations
    }


    /// Alertmanager's walk: siblings in order, first match wins unless it has `continue`;
    /// the deepest matching route handles the alert (appended to `d.routeIDs`). Whether any did.
    @discardableResult
    private func route(_ level: IndexedRoutes, _ d: inout Decision, trace: Bool) -> Bool {
        var matched = false
        let order = indexed ? candidates(level.index, slots: level.slots)
                            : Array(level.ids.indices)
        for i in order {
            let id = level.ids[i]
            guard holds(level.entries[i], "route \(routePaths[id].joined(separator: "/"))", &d, trace: trace) else { continue }
            let child = level.children[i]
            if child.ids.isEmpty || !route(child, &d, trace: trace) { d.routeIDs.append(id) }
            matched = true
            if !level.continues[i] { break }
        }
        return matched
    }
}

/// One rule list (suppress, correlate or anomalies) as the evaluator walks it: by rule, its
/// name, entry and whether it is an inhibition; the list's index and the VM slots of the labels
/// it hashes. A class: walking the lists retains each once, copies nothing.
private final class RuleList {
    let kind: String
    let names: [String]
    let entries: [Int]
    let inhibits: [Bool]
    let index: RuleIndex
    let slots: [Int?]

    init(kind: String, names: [String], entries: [Int], inhibits: [Bool], index: RuleIndex, slots: [Int?]) {
        self.kind = kind
        self.names = names
        self.entries = entries
        self.inhibits = inhibits
        self.index = index
        self.slots = slots
    }
}

/// One level of the routing tree with its rule index, and the levels below (a class, as
/// `RuleList`).
final class IndexedRoutes: Sendable {
    /// Each route's entry and `continue`.
    let entries: [Int]
    let continues: [Bool]
    /// Each route's number (pre-order over the whole tree).
    let ids: [Int]
    let index: RuleIndex
    /// The VM slot of each label the index hashes (in `index.labels`' order).
    let slots: [Int?]
    let children: [IndexedRoutes]

    init(_ routes: [RuntimeRoute], prefix: [String], paths: inout [[String]], slots: (RuleIndex) -> [Int?]) {
        self.entries = routes.map(\.entry)
        self.continues = routes.map(\.continueMatching)
        self.index = RuleIndex(guards: routes.map(\.guardTest))
        self.slots = slots(index)
        var ids: [Int] = [], children: [IndexedRoutes] = []
        for r in routes {
            ids.append(paths.count)
            paths.append(prefix + [r.name])
            children.append(IndexedRoutes(r.children, prefix: prefix + [r.name], paths: &paths, slots: slots))
        }
        self.ids = ids
        self.children = children
    }
}

import RuleLang
import RuleVM

/// Which rules of a compiled pack match one alert, and the route it takes: what `rulec eval`
/// prints (the full engine, with state and timers, is `AlertEngine`).
public struct Decision: Sendable {
    public var enrich: [String] = []
    /// Labels (and `annotations.x`) the enrich rules set, in order.
    public var enriched: [(label: String, value: String)] = []
    /// Silences that matched (the alert is muted).
    public var suppress: [String] = []
    /// Inhibitions whose `when` matched: they mute the alert while another active alert satisfies
    /// their `while_active` (the engine decides; `rulec eval` has no other alerts).
    public var inhibitions: [String] = []
    /// Inhibitions whose `while_active` the (enriched) alert satisfies: the engine indexes it as
    /// an inhibitor of those while it is active and unsuppressed.
    public var whileActive: [String] = []
    public var correlate: [String] = []
    public var anomalies: [String] = []
    /// Every route that handles the alert (more than one with `continue`), as its number in
    /// `PackEvaluator.routePaths` (routes numbered in pre-order).
    public var routeIDs: [Int] = []
    /// Every route path that handles the alert.
    public var routes: [[String]] { routeIDs.map { routePaths[$0] } }
    var routePaths: [[String]] = []
    /// The alert's labels and annotations after the enrich rules.
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    /// Rules whose evaluation failed, with the error and where.
    public var errors: [(rule: String, error: RuntimeError)] = []
    /// With tracing: every rule evaluated, in order, and its result.
    public var trace: [(rule: String, result: String)] = []
}

/// Evaluates compiled packs against alerts on one VM.
public final class PackEvaluator {
    public let pack: CompiledPack
    let vm: VM

    /// Use the rule index (the default); without it every rule of a list is evaluated.
    public let indexed: Bool
    private let routeIndex: IndexedRoutes
    /// Each route's path, by its number (pre-order over the tree).
    public let routePaths: [[String]]
    /// Indexes of the suppress, correlate and anomaly lists.
    private let listIndexes: [RuleIndex]

    /// The suppress, correlate and anomaly lists with their kind and their place in a decision.
    private let lists: [([CompiledRule], String, WritableKeyPath<Decision, [String]>)]
    /// The inhibitions' `while_active` entries, by rule name.
    private let whileActive: [(String, Int)]
    /// Each enrich rule's sets: the label (or `annotations.x`), its entry, and for an annotation
    /// its name.
    private let enrichSets: [[(label: String, entry: Int, annotation: String?)]]
    /// Which sets of the current enrich rule produced a value (scratch, reused).
    private var applied: [Int] = []

    public init(pack: CompiledPack, indexed: Bool = true) {
        self.pack = pack
        self.whileActive = pack.suppress.compactMap { r in r.whileActive.map { (r.name, $0) } }
        self.enrichSets = pack.enrich.map { r in
            r.sets.map { ($0.label, $0.entry, $0.label.hasPrefix("annotations.") ? String($0.label.dropFirst(12)) : nil) }
        }
        self.lists = [(pack.suppress, "suppress", \.suppress), (pack.correlate, "correlate", \.correlate), (pack.anomalies, "anomaly", \.anomalies)]
        self.vm = VM(program: pack.program)
        self.indexed = indexed
        var paths: [[String]] = []
        self.routeIndex = IndexedRoutes(pack.routes, prefix: [], paths: &paths)
        self.routePaths = paths
        self.listIndexes = [pack.suppress, pack.correlate, pack.anomalies].map { RuleIndex(guards: $0.map(\.guardTest)) }
    }

    /// The rules of a list that could match (all of them without the index), in order.
    private func candidates(_ list: Int, _ count: Int, _ labels: [String: String]) -> [Int] {
        guard indexed else { return Array(0..<count) }
        let index = listIndexes[list]
        return index.candidates(index.label.flatMap { Self.value(of: $0, in: labels) })
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
        vm.bind(alert, now: now)
        var d = Decision()
        // Enrich rules run in order, each seeing the labels the earlier ones set (so no index:
        // a set label may change what the index would hash on).
        d.enrich.reserveCapacity(pack.enrich.count)
        for (r, sets) in zip(pack.enrich, enrichSets) where holds(r.entry, "enrich \(r.name)", &d, trace: trace) {
            d.enrich.append(r.name)
            guard !sets.isEmpty else { continue }
            // Every set of the rule sees the labels as they were before it; then the VM follows,
            // as a new bind would, updating only the labels set.
            let first = d.enriched.count
            applied.removeAll(keepingCapacity: true)
            for (k, set) in sets.enumerated() {
                let v: Value
                switch vm.run(entry: set.entry) {
                case .success(let x): v = x
                case .failure(let e):
                    d.errors.append(("enrich \(r.name) set \(set.label)", e))
                    continue
                }
                let text = vm.plain(v)
                let value: String = if case .string(let s) = text { s } else { CanonicalText.text(text) }
                d.enriched.append((set.label, value))
                applied.append(k)
            }
            for (n, k) in applied.enumerated() {
                let value = d.enriched[first + n].value
                if let annotation = sets[k].annotation { vm.setAnnotation(annotation, value) } else { vm.setLabel(sets[k].label, value) }
            }
        }
        let labels = vm.labels
        for (i, (rules, kind, path)) in lists.enumerated() {
            for j in candidates(i, rules.count, labels) where holds(rules[j].entry, "\(kind) \(rules[j].name)", &d, trace: trace) {
                if rules[j].whileActive != nil { d.inhibitions.append(rules[j].name) } else { d[keyPath: path].append(rules[j].name) }
            }
        }
        // An alert a rule suppresses never inhibits others: no need to look.
        if d.suppress.isEmpty {
            for (name, entry) in whileActive where vm.matches(entry: entry) { d.whileActive.append(name) }
        }
        d.routePaths = routePaths
        route(routeIndex, labels, &d, trace: trace)
        d.labels = labels
        d.annotations = vm.annotations
        return d
    }

    /// The value the index hashes on.
    static func value(of label: String, in labels: [String: String]) -> String? {
        label == Program.alertnameFieldSlot ? labels["alertname"] ?? "" : labels[label]
    }

    /// Alertmanager's walk: siblings in order, first match wins unless it has `continue`;
    /// the deepest matching route handles the alert (appended to `d.routeIDs`). Whether any did.
    @discardableResult
    private func route(_ level: IndexedRoutes, _ labels: [String: String], _ d: inout Decision, trace: Bool) -> Bool {
        var matched = false
        let order = indexed ? level.index.candidates(level.index.label.flatMap { Self.value(of: $0, in: labels) })
                            : Array(level.routes.indices)
        for i in order {
            let id = level.ids[i]
            guard holds(level.routes[i].entry, "route \(routePaths[id].joined(separator: "/"))", &d, trace: trace) else { continue }
            if level.children[i].routes.isEmpty || !route(level.children[i], labels, &d, trace: trace) { d.routeIDs.append(id) }
            matched = true
            if !level.routes[i].continueMatching { break }
        }
        return matched
    }
}

/// One level of the routing tree with its rule index, and the levels below.
struct IndexedRoutes: Sendable {
    let routes: [CompiledRoute]
    /// Each route's number (pre-order over the whole tree).
    let ids: [Int]
    let index: RuleIndex
    let children: [IndexedRoutes]

    init(_ routes: [CompiledRoute], prefix: [String], paths: inout [[String]]) {
        self.routes = routes
        self.index = RuleIndex(guards: routes.map(\.guardTest))
        var ids: [Int] = [], children: [IndexedRoutes] = []
        for r in routes {
            ids.append(paths.count)
            paths.append(prefix + [r.name])
            children.append(IndexedRoutes(r.children, prefix: prefix + [r.name], paths: &paths))
        }
        self.ids = ids
        self.children = children
    }
}

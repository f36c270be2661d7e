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
    /// Every route path that handles the alert (more than one with `continue`).
    public var routes: [[String]] = []
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
    /// Indexes of the suppress, correlate and anomaly lists.
    private let listIndexes: [RuleIndex]

    /// The suppress, correlate and anomaly lists with their kind and their place in a decision.
    private let lists: [([CompiledRule], String, WritableKeyPath<Decision, [String]>)]
    /// The inhibitions' `while_active` entries, by rule name.
    private let whileActive: [(String, Int)]

    public init(pack: CompiledPack, indexed: Bool = true) {
        self.pack = pack
        self.whileActive = pack.suppress.compactMap { r in r.whileActive.map { (r.name, $0) } }
        self.lists = [(pack.suppress, "suppress", \.suppress), (pack.correlate, "correlate", \.correlate), (pack.anomalies, "anomaly", \.anomalies)]
        self.vm = VM(program: pack.program)
        self.indexed = indexed
        self.routeIndex = IndexedRoutes(pack.routes)
        self.listIndexes = [pack.suppress, pack.correlate, pack.anomalies].map { RuleIndex(guards: $0.map(\.guardTest)) }
    }

    /// The rules of a list that could match (all of them without the index), in order.
    private func candidates(_ list: Int, _ count: Int, _ alert: AlertInput) -> [Int] {
        guard indexed else { return Array(0..<count) }
        let index = listIndexes[list]
        return index.candidates(index.label.flatMap { Self.value(of: $0, in: alert) })
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
        var alert = alert
        for r in pack.enrich where holds(r.entry, "enrich \(r.name)", &d, trace: trace) {
            d.enrich.append(r.name)
            guard !r.sets.isEmpty else { continue }
            var changed: [String] = []
            for (label, entry) in r.sets {
                let v: Value
                switch vm.run(entry: entry) {
                case .success(let x): v = x
                case .failure(let e):
                    d.errors.append(("enrich \(r.name) set \(label)", e))
                    continue
                }
                let text = vm.plain(v)
                let value: String = if case .string(let s) = text { s } else { CanonicalText.text(text) }
                d.enriched.append((label, value))
                if label.hasPrefix("annotations.") { alert.annotations[String(label.dropFirst(12))] = value } else { alert.labels[label] = value }
                changed.append(label)
            }
            // The VM follows once the rule's sets are all computed (each saw the labels as they
            // were before the rule), as a new bind would: only the changed labels, under the key
            // each dictionary kept.
            for label in changed {
                if label.hasPrefix("annotations.") {
                    let name = String(label.dropFirst(12))
                    guard let i = alert.annotations.index(forKey: name) else { continue }
                    vm.setAnnotation(alert.annotations[i].key, alert.annotations[i].value)
                } else {
                    guard let i = alert.labels.index(forKey: label) else { continue }
                    vm.setLabel(alert.labels[i].key, alert.labels[i].value)
                }
            }
        }
        for (i, (rules, kind, path)) in lists.enumerated() {
            for j in candidates(i, rules.count, alert) where holds(rules[j].entry, "\(kind) \(rules[j].name)", &d, trace: trace) {
                if rules[j].whileActive != nil { d.inhibitions.append(rules[j].name) } else { d[keyPath: path].append(rules[j].name) }
            }
        }
        // An alert a rule suppresses never inhibits others: no need to look.
        if d.suppress.isEmpty {
            for (name, entry) in whileActive where vm.matches(entry: entry) { d.whileActive.append(name) }
        }
        d.routes = route(routeIndex, alert, prefix: [], &d, trace: trace)
        return d
    }

    /// The value the index hashes on.
    static func value(of label: String, in alert: AlertInput) -> String? {
        label == Program.alertnameFieldSlot ? alert.labels["alertname"] ?? "" : alert.labels[label]
    }

    /// Alertmanager's walk: siblings in order, first match wins unless it has `continue`;
    /// the deepest matching route handles the alert.
    private func route(_ level: IndexedRoutes, _ alert: AlertInput, prefix: [String], _ d: inout Decision, trace: Bool) -> [[String]] {
        var out: [[String]] = []
        let order = indexed ? level.index.candidates(level.index.label.flatMap { Self.value(of: $0, in: alert) })
                            : Array(level.routes.indices)
        for i in order {
            let r = level.routes[i]
            guard holds(r.entry, "route \((prefix + [r.name]).joined(separator: "/"))", &d, trace: trace) else { continue }
            let deeper = route(level.children[i], alert, prefix: prefix + [r.name], &d, trace: trace)
            out += deeper.isEmpty ? [prefix + [r.name]] : deeper
            if !r.continueMatching { break }
        }
        return out
    }
}

/// One level of the routing tree with its rule index, and the levels below.
struct IndexedRoutes: Sendable {
    let routes: [CompiledRoute]
    let index: RuleIndex
    let children: [IndexedRoutes]

    init(_ routes: [CompiledRoute]) {
        self.routes = routes
        self.index = RuleIndex(guards: routes.map(\.guardTest))
        self.children = routes.map { IndexedRoutes($0.children) }
    }
}

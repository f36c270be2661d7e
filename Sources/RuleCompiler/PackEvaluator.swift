import RuleLang
import RuleVM

/// Which rules of a compiled pack match one alert, and the route it takes: what `rulec eval`
/// prints (the full engine, with state and timers, is `AlertEngine`).
public struct Decision: Sendable {
    public var enrich: [String] = []
    public var suppress: [String] = []
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

    public init(pack: CompiledPack) {
        self.pack = pack
        self.vm = VM(program: pack.program)
    }

    private func holds(_ entry: Int, _ name: String, _ d: inout Decision, trace: Bool) -> Bool {
        let result = vm.run(pack.program.entries[entry])
        switch result {
        case .success(let v):
            if trace { d.trace.append((name, v.isTrue ? "matched" : "no match")) }
            return v.isTrue
        case .failure(let e):
            d.errors.append((name, e))
            if trace { d.trace.append((name, "error: \(e)")) }
            return false
        }
    }

    public func evaluate(_ alert: AlertInput, now: Int64, trace: Bool = false) -> Decision {
        vm.bind(alert, now: now)
        var d = Decision()
        for r in pack.enrich where holds(r.entry, "enrich \(r.name)", &d, trace: trace) { d.enrich.append(r.name) }
        for r in pack.suppress where holds(r.entry, "suppress \(r.name)", &d, trace: trace) { d.suppress.append(r.name) }
        for r in pack.correlate where holds(r.entry, "correlate \(r.name)", &d, trace: trace) { d.correlate.append(r.name) }
        for r in pack.anomalies where holds(r.entry, "anomaly \(r.name)", &d, trace: trace) { d.anomalies.append(r.name) }
        d.routes = route(pack.routes, prefix: [], &d, trace: trace)
        return d
    }

    /// Alertmanager's walk: siblings in order, first match wins unless it has `continue`;
    /// the deepest matching route handles the alert.
    private func route(_ routes: [CompiledRoute], prefix: [String], _ d: inout Decision, trace: Bool) -> [[String]] {
        var out: [[String]] = []
        for r in routes {
            guard holds(r.entry, "route \((prefix + [r.name]).joined(separator: "/"))", &d, trace: trace) else { continue }
            let deeper = route(r.children, prefix: prefix + [r.name], &d, trace: trace)
            out += deeper.isEmpty ? [prefix + [r.name]] : deeper
            if !r.continueMatching { break }
        }
        return out
    }
}

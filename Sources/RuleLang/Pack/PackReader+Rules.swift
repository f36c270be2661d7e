/// enrich, suppress, correlate, anomalies and the route tree. Every field of a rule is read,
/// so each of its errors is reported in one run; a rule with an error becomes a `PartialRule`
/// (checked, never compiled) instead of a rule.
extension PackReader {
    static func readRules(_ top: YamlMapping, pack: inout Pack, reader: inout NodeReader) {
        for (key, read) in [("enrich", readEnrich), ("suppress", readSuppress), ("correlate", readCorrelate),
                            ("anomalies", readAnomaly)] as [(String, (YamlMapping, inout NodeReader, inout Pack) -> Void)] {
            guard let v = top[key], let items = reader.sequence(v, "`\(key)`") else { continue }
            for item in items {
                if let m = reader.mapping(item, "a rule of `\(key)`") { read(m, &reader, &pack) }
            }
        }
        if let v = top["routes"] { pack.routes += readRoutes(v, reader: &reader, partial: &pack.partialRules) }
    }

    private static func readEnrich(_ m: YamlMapping, _ reader: inout NodeReader, _ pack: inout Pack) {
        let mark = reader.errorMark
        reader.checkKeys(m, allowed: ["name", "when", "set"], required: ["name", "when", "set"], context: "an enrich rule")
        let name = m["name"].flatMap { reader.name($0, "a rule name") }
        let when = m["when"].flatMap { reader.expression($0, "`when`") }
        let set = m["set"].map { reader.templateMap($0, "`set`") } ?? []
        if reader.errorMark == mark, let name, let when {
            pack.enrich.append(EnrichRule(name: name, when: when, set: set))
            return
        }
        var p = PartialRule(kind: .enrich, name: name)
        p.conditions = when.map { [.init(what: "`when`", expr: $0, aggregates: false)] } ?? []
        p.templates = set.map { ($0.0, $0.1, false) }
        pack.partialRules.append(p)
    }

    private static func readSuppress(_ m: YamlMapping, _ reader: inout NodeReader, _ pack: inout Pack) {
        let mark = reader.errorMark
        reader.checkKeys(m, allowed: ["name", "when", "while_active", "equal"], required: ["name", "when"], context: "a suppress rule")
        let name = m["name"].flatMap { reader.name($0, "a rule name") }
        let when = m["when"].flatMap { reader.expression($0, "`when`") }
        let active = m["while_active"].flatMap { reader.expression($0, "`while_active`") }
        let equal = m["equal"].flatMap { reader.names($0, "`equal`") } ?? []
        if m["equal"] != nil, m["while_active"] == nil {
            reader.report(YamlCodes.missingKey, "`equal` needs `while_active`", at: m.keyScalar("equal")!.span,
                          label: "only inhibitions compare labels", help: ["add `while_active:` with the inhibiting alert's condition"])
        }
        if reader.errorMark == mark, let name, let when {
            pack.suppress.append(SuppressRule(name: name, when: when, whileActive: active, equal: equal))
            return
        }
        var p = PartialRule(kind: .suppress, name: name)
        p.conditions = [when.map { PartialRule.Condition(what: "`when`", expr: $0, aggregates: false) },
                        active.map { PartialRule.Condition(what: "`while_active`", expr: $0, aggregates: false) }].compactMap { $0 }
        p.labelNames = [("`equal`", equal)]
        pack.partialRules.append(p)
    }

    private static func readCorrelate(_ m: YamlMapping, _ reader: inout NodeReader, _ pack: inout Pack) {
        let mark = reader.errorMark
        let form = m["sequence"] != nil ? "sequence" : m["every"] != nil ? "heartbeat" : "window"
        let allowed: [String], required: [String]
        switch form {
        case "sequence": (allowed, required) = (["name", "by", "within", "sequence", "emit"], ["name", "within", "sequence", "emit"])
        case "heartbeat": (allowed, required) = (["name", "when", "by", "every", "emit"], ["name", "when", "every", "emit"])
        default: (allowed, required) = (["name", "when", "by", "window", "condition", "emit"], ["name", "when", "window", "condition", "emit"])
        }
        reader.checkKeys(m, allowed: allowed, required: required, context: "a \(form) correlate rule")
        let name = m["name"].flatMap { reader.name($0, "a rule name") }
        let when = m["when"].flatMap { reader.expression($0, "`when`") }
        let by = m["by"].flatMap { reader.names($0, "`by`") } ?? []
        let emit = m["emit"].map { reader.templateMap($0, "`emit`") } ?? []
        var conditions: [PartialRule.Condition] = when.map { [.init(what: "`when`", expr: $0, aggregates: false)] } ?? []
        let kind: CorrelateKind?
        switch form {
        case "sequence":
            let steps = ifPresent(m["sequence"]) { reader.sequence($0, "`sequence`")?.compactMap { reader.expression($0, "a sequence step") } }
            if let steps, steps.count < 2 {
                reader.report(YamlCodes.invalidValue, "a sequence needs at least two steps", at: m["sequence"]!.span)
            }
            conditions += (steps ?? []).map { .init(what: "a sequence step", expr: $0, aggregates: false) }
            kind = ifPresent(m["within"]) { reader.duration($0, "`within`") }.flatMap { w in steps.map { .sequence(within: w, steps: $0) } }
        case "heartbeat":
            kind = ifPresent(m["every"]) { reader.duration($0, "`every`", positive: true) }.map { .heartbeat(every: $0) }
        default:
            let cond = ifPresent(m["condition"]) { reader.expression($0, "`condition`") }
            conditions += cond.map { [.init(what: "`condition`", expr: $0, aggregates: true)] } ?? []
            kind = ifPresent(m["window"]) { reader.duration($0, "`window`") }.flatMap { w in cond.map { .window(window: w, condition: $0) } }
        }
        if reader.errorMark == mark, let name, let kind {
            pack.correlate.append(CorrelateRule(name: name, when: when, by: by, kind: kind, emit: emit))
            return
        }
        var p = PartialRule(kind: .correlate, name: name)
        p.conditions = conditions
        p.templates = emit.map { ($0.0, $0.1, true) }
        p.labelNames = [("`by`", by)]
        pack.partialRules.append(p)
    }

    /// `read` of a key's value when the key is present (a missing one is already reported).
    private static func ifPresent<T>(_ node: YamlNode?, _ read: (YamlNode) -> T?) -> T? { node.flatMap(read) }

    private static func readAnomaly(_ m: YamlMapping, _ reader: inout NodeReader, _ pack: inout Pack) {
        let mark = reader.errorMark
        reader.checkKeys(m, allowed: ["name", "when", "by", "sensitivity", "min_rate", "seasonality", "emit"],
                         required: ["name", "when", "sensitivity", "emit"], context: "an anomaly rule")
        let name = m["name"].flatMap { reader.name($0, "a rule name") }
        let when = m["when"].flatMap { reader.expression($0, "`when`") }
        let by = m["by"].flatMap { reader.names($0, "`by`") } ?? []
        let sensitivity = m["sensitivity"].flatMap { reader.number($0, "`sensitivity`") }
        if let s = sensitivity, s <= 0 {
            reader.report(YamlCodes.invalidValue, "`sensitivity` must be positive", at: m["sensitivity"]!.span,
                          help: ["it is the z-score above which the rate is anomalous; 3 is a common choice"])
        }
        let minRate = m["min_rate"].flatMap { reader.number($0, "`min_rate`") }
        var seasonal = false
        if let s = m["seasonality"], let v = reader.scalar(s, "`seasonality`") {
            if v.value == "hour_of_week" { seasonal = true } else if v.value != "none" {
                reader.report(YamlCodes.invalidValue, "unknown seasonality `\(v.value)`", at: v.span,
                              help: ["`seasonality` is `none` or `hour_of_week`"])
            }
        }
        let emit = m["emit"].map { reader.templateMap($0, "`emit`") } ?? []
        if reader.errorMark == mark, let name, let when, let sensitivity {
            pack.anomalies.append(AnomalyRule(name: name, when: when, by: by, sensitivity: sensitivity, minRate: minRate,
                                              seasonal: seasonal, emit: emit))
            return
        }
        var p = PartialRule(kind: .anomaly, name: name)
        p.conditions = when.map { [.init(what: "`when`", expr: $0, aggregates: false)] } ?? []
        p.templates = emit.map { ($0.0, $0.1, true) }
        p.labelNames = [("`by`", by)]
        pack.partialRules.append(p)
    }

    static let routeKeys = ["name", "when", "notify", "failover", "escalation", "group_by", "group_wait", "group_interval",
                            "repeat_interval", "active_during", "mute_during", "continue", "routes"]

    /// The well-formed routes of a list; the others, and everything under a broken route, go to
    /// `partial`. A route whose only errors are in its children stays a route without them.
    static func readRoutes(_ node: YamlNode, reader: inout NodeReader, partial: inout [PartialRule]) -> [Route] {
        guard let items = reader.sequence(node, "`routes`") else { return [] }
        var out: [Route] = []
        for item in items {
            guard let m = reader.mapping(item, "a route") else { continue }
            let mark = reader.errorMark
            reader.checkKeys(m, allowed: routeKeys, required: ["name", "when"], context: "a route")
            let name = m["name"].flatMap { reader.name($0, "a route name") }
            let when = m["when"].flatMap { reader.expression($0, "`when`") }
            var groupBy: GroupBy?
            if let g = m["group_by"] {
                if case .sequence(let gi, _) = g, gi.count == 1, case .scalar(let s) = gi[0], s.value == "..." {
                    groupBy = .all
                } else if case .scalar(let s) = g, s.value == "..." || s.value == "[...]" {
                    groupBy = .all
                } else { groupBy = reader.names(g, "`group_by`").map { .labels($0) } }
            }
            let notify = m["notify"].flatMap { reader.names($0, "`notify`") }
            let failover = m["failover"].flatMap { reader.names($0, "`failover`") }
            let escalation = m["escalation"].flatMap { reader.name($0, "`escalation`") }
            let groupWait = m["group_wait"].flatMap { reader.duration($0, "`group_wait`") }
            let groupInterval = m["group_interval"].flatMap { reader.duration($0, "`group_interval`", positive: true) }
            let repeatInterval = m["repeat_interval"].flatMap { reader.duration($0, "`repeat_interval`", positive: true) }
            let active = m["active_during"].flatMap { reader.name($0, "`active_during`") }
            let mute = m["mute_during"].flatMap { reader.name($0, "`mute_during`") }
            let cont = m["continue"].flatMap { reader.bool($0, "`continue`") } ?? false
            let ownErrors = reader.errorMark != mark
            var childPartial: [PartialRule] = []
            let children = m["routes"].map { readRoutes($0, reader: &reader, partial: &childPartial) } ?? []
            partial += childPartial
            if !ownErrors, let name, let when {
                out.append(Route(name: name, when: when, notify: notify, failover: failover, escalation: escalation,
                                 groupBy: groupBy, groupWaitMs: groupWait, groupIntervalMs: groupInterval,
                                 repeatIntervalMs: repeatInterval, activeDuring: active, muteDuring: mute,
                                 continue: cont, children: children, span: m.span))
                continue
            }
            var p = PartialRule(kind: .route, name: name)
            p.conditions = when.map { [.init(what: "`when`", expr: $0, aggregates: false)] } ?? []
            p.channels = (notify ?? []) + (failover ?? [])
            p.escalation = escalation
            p.windows = [active, mute].compactMap { $0 }
            if case .labels(let names)? = groupBy { p.labelNames = [("`group_by`", names)] }
            partial.append(p)
            partial += children.flatMap(PartialRule.flatten)
        }
        return out
    }
}

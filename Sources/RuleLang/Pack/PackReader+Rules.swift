/// enrich, suppress, correlate, anomalies and the route tree. A rule with an error is skipped
/// whole, so one mistake yields one diagnostic, not a cascade.
extension PackReader {
    static func readRules(_ top: YamlMapping, pack: inout Pack, reader: inout NodeReader) {
        for (key, read) in [("enrich", readEnrich), ("suppress", readSuppress), ("correlate", readCorrelate),
                            ("anomalies", readAnomaly)] as [(String, (YamlMapping, inout NodeReader, inout Pack) -> Void)] {
            guard let v = top[key], let items = reader.sequence(v, "`\(key)`") else { continue }
            for item in items {
                if let m = reader.mapping(item, "a rule of `\(key)`") { read(m, &reader, &pack) }
            }
        }
        if let v = top["routes"] { pack.routes += readRoutes(v, reader: &reader) }
    }

    /// Runs `body` and keeps its result only if it reported nothing new.
    private static func clean<T>(_ reader: inout NodeReader, _ body: (inout NodeReader) -> T?) -> T? {
        let before = reader.diagnostics.count
        let v = body(&reader)
        return reader.diagnostics.count == before ? v : nil
    }

    private static func readEnrich(_ m: YamlMapping, _ reader: inout NodeReader, _ pack: inout Pack) {
        let rule: EnrichRule? = clean(&reader) { r in
            guard r.checkKeys(m, allowed: ["name", "when", "set"], required: ["name", "when", "set"], context: "an enrich rule"),
                  let name = r.name(m["name"]!, "a rule name") else { return nil }
            let when = r.expression(m["when"]!, "`when`")
            let set = r.templateMap(m["set"]!, "`set`")
            return when.map { EnrichRule(name: name, when: $0, set: set) }
        }
        if let rule { pack.enrich.append(rule) }
    }

    private static func readSuppress(_ m: YamlMapping, _ reader: inout NodeReader, _ pack: inout Pack) {
        let rule: SuppressRule? = clean(&reader) { r in
            guard r.checkKeys(m, allowed: ["name", "when", "while_active", "equal"], required: ["name", "when"],
                              context: "a suppress rule"),
                  let name = r.name(m["name"]!, "a rule name") else { return nil }
            let when = r.expression(m["when"]!, "`when`")
            let active = m["while_active"].flatMap { r.expression($0, "`while_active`") }
            let equal = m["equal"].flatMap { r.names($0, "`equal`") } ?? []
            if m["equal"] != nil, m["while_active"] == nil {
                r.report(YamlCodes.missingKey, "`equal` needs `while_active`", at: m.keyScalar("equal")!.span,
                         label: "only inhibitions compare labels", help: ["add `while_active:` with the inhibiting alert's condition"])
            }
            return when.map { SuppressRule(name: name, when: $0, whileActive: active, equal: equal) }
        }
        if let rule { pack.suppress.append(rule) }
    }

    private static func readCorrelate(_ m: YamlMapping, _ reader: inout NodeReader, _ pack: inout Pack) {
        let rule: CorrelateRule? = clean(&reader) { r in
            let form = m["sequence"] != nil ? "sequence" : m["every"] != nil ? "heartbeat" : "window"
            let allowed: [String], required: [String]
            switch form {
            case "sequence": (allowed, required) = (["name", "by", "within", "sequence", "emit"], ["name", "within", "sequence", "emit"])
            case "heartbeat": (allowed, required) = (["name", "when", "by", "every", "emit"], ["name", "when", "every", "emit"])
            default: (allowed, required) = (["name", "when", "by", "window", "condition", "emit"], ["name", "when", "window", "condition", "emit"])
            }
            guard r.checkKeys(m, allowed: allowed, required: required, context: "a \(form) correlate rule"),
                  let name = r.name(m["name"]!, "a rule name") else { return nil }
            let when = m["when"].flatMap { r.expression($0, "`when`") }
            let by = m["by"].flatMap { r.names($0, "`by`") } ?? []
            let emit = r.templateMap(m["emit"]!, "`emit`")
            let kind: CorrelateKind?
            switch form {
            case "sequence":
                let steps = r.sequence(m["sequence"]!, "`sequence`")?.compactMap { r.expression($0, "a sequence step") }
                if let steps, steps.count < 2 {
                    r.report(YamlCodes.invalidValue, "a sequence needs at least two steps", at: m["sequence"]!.span)
                }
                kind = r.duration(m["within"]!, "`within`").flatMap { w in steps.map { .sequence(within: w, steps: $0) } }
            case "heartbeat":
                kind = r.duration(m["every"]!, "`every`", positive: true).map { .heartbeat(every: $0) }
            default:
                let cond = r.expression(m["condition"]!, "`condition`")
                kind = r.duration(m["window"]!, "`window`").flatMap { w in cond.map { .window(window: w, condition: $0) } }
            }
            return kind.map { CorrelateRule(name: name, when: when, by: by, kind: $0, emit: emit) }
        }
        if let rule { pack.correlate.append(rule) }
    }

    private static func readAnomaly(_ m: YamlMapping, _ reader: inout NodeReader, _ pack: inout Pack) {
        let rule: AnomalyRule? = clean(&reader) { r in
            guard r.checkKeys(m, allowed: ["name", "when", "by", "sensitivity", "min_rate", "seasonality", "emit"],
                              required: ["name", "when", "emit"], context: "an anomaly rule"),
                  let name = r.name(m["name"]!, "a rule name") else { return nil }
            let when = r.expression(m["when"]!, "`when`")
            let by = m["by"].flatMap { r.names($0, "`by`") } ?? []
            let sensitivity = m["sensitivity"].flatMap { r.number($0, "`sensitivity`") }
            if let s = sensitivity, !(s > 0 && s <= 10_080) {
                r.report(YamlCodes.invalidValue, "`sensitivity` must be above 0 and at most 10080", at: m["sensitivity"]!.span,
                         help: ["it is the false alarms per group per week the detector may raise on normal noise; leave it out for 1"])
            }
            let minRate = m["min_rate"].flatMap { r.number($0, "`min_rate`") }
            var seasonal = false
            if let s = m["seasonality"], let v = r.scalar(s, "`seasonality`") {
                if v.value == "hour_of_week" { seasonal = true } else if v.value != "none" {
                    r.report(YamlCodes.invalidValue, "unknown seasonality `\(v.value)`", at: v.span,
                             help: ["`seasonality` is `none` or `hour_of_week`"])
                }
            }
            let emit = r.templateMap(m["emit"]!, "`emit`")
            guard let when, m["sensitivity"] == nil || sensitivity != nil else { return nil }
            return AnomalyRule(name: name, when: when, by: by, sensitivity: sensitivity, minRate: minRate, seasonal: seasonal, emit: emit)
        }
        if let rule { pack.anomalies.append(rule) }
    }

    static let routeKeys = ["name", "when", "notify", "failover", "escalation", "group_by", "group_wait", "group_interval",
                            "repeat_interval", "active_during", "mute_during", "continue", "routes"]

    static func readRoutes(_ node: YamlNode, reader: inout NodeReader) -> [Route] {
        guard let items = reader.sequence(node, "`routes`") else { return [] }
        var out: [Route] = []
        for item in items {
            guard let m = reader.mapping(item, "a route") else { continue }
            let route: Route? = clean(&reader) { r in
                guard r.checkKeys(m, allowed: routeKeys, required: ["name", "when"], context: "a route"),
                      let name = r.name(m["name"]!, "a route name") else { return nil }
                let when = r.expression(m["when"]!, "`when`")
                var groupBy: GroupBy?
                if let g = m["group_by"] {
                    if case .sequence(let gi, _) = g, gi.count == 1, case .scalar(let s) = gi[0], s.value == "..." {
                        groupBy = .all
                    } else if case .scalar(let s) = g, s.value == "..." || s.value == "[...]" {
                        groupBy = .all
                    } else { groupBy = r.names(g, "`group_by`").map { .labels($0) } }
                }
                let children = m["routes"].map { readRoutes($0, reader: &r) } ?? []
                guard let when else { return nil }
                return Route(name: name, when: when,
                             notify: m["notify"].flatMap { r.names($0, "`notify`") },
                             failover: m["failover"].flatMap { r.names($0, "`failover`") },
                             escalation: m["escalation"].flatMap { r.name($0, "`escalation`") },
                             groupBy: groupBy,
                             groupWaitMs: m["group_wait"].flatMap { r.duration($0, "`group_wait`") },
                             groupIntervalMs: m["group_interval"].flatMap { r.duration($0, "`group_interval`", positive: true) },
                             repeatIntervalMs: m["repeat_interval"].flatMap { r.duration($0, "`repeat_interval`", positive: true) },
                             activeDuring: m["active_during"].flatMap { r.name($0, "`active_during`") },
                             muteDuring: m["mute_during"].flatMap { r.name($0, "`mute_during`") },
                             continue: m["continue"].flatMap { r.bool($0, "`continue`") } ?? false,
                             children: children, span: m.span)
            }
            if let route { out.append(route) }
        }
        return out
    }
}

/// Rules with a structural error: what could be read of them is checked like a rule's, so that
/// one mistake does not hide another, and the names they use count as used. They add no typed
/// rule and take no part in the route warnings.
extension PackChecker {
    mutating func checkPartialRules() {
        for p in pack.partialRules {
            for c in p.conditions {
                _ = exprs.condition(c.expr, c.what, ExprChecker.Context(aggregates: c.aggregates, itType: nil))
            }
            for t in p.templates {
                if !t.label.text.hasPrefix("annotations.") { checkLabelNames([t.label], p.kind == .enrich ? "`set`" : "`emit`") }
                checkSeverityTemplate(t.label, t.template)
                _ = exprs.template(t.template, ExprChecker.Context(aggregates: t.aggregates, itType: nil))
            }
            let owner = p.name.map { "route `\($0.text)`" } ?? "a route"
            channelRefs(p.channels, owner)
            if let e = p.escalation { escalationRef(e) }
            windowRefs(p.windows)
            for (what, names) in p.labelNames { checkLabelNames(names, what) }
        }
    }
}

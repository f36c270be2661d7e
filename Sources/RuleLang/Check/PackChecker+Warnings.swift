/// Unused declarations and names close to declared ones.
extension PackChecker {
    mutating func warnUnused() {
        let used = exprs.usedNames
        let groups: [(String, String, [Name])] = [
            ("list", "list:", pack.lists.map(\.name)),
            ("macro", "macro:", pack.macros.map(\.name)),
            ("time window", "window:", pack.windows.map(\.name)),
        ]
        for (kind, prefix, names) in groups {
            for n in names where !used.contains(prefix + n.text) {
                report(WarningCodes.unused, "\(kind) `\(n.text)` is never used", at: n.span, label: "declared here",
                       help: ["remove it, or use it in a rule"])
            }
        }
        for c in pack.channels where !usedChannels.contains(c.name.text) {
            report(WarningCodes.unused, "channel `\(c.name.text)` is never used", at: c.name.span, label: "declared here",
                   help: ["name it in a route's `notify` or `failover`, or in an escalation level"])
        }
        for e in pack.escalations where !usedEscalations.contains(e.name.text) {
            report(WarningCodes.unused, "escalation `\(e.name.text)` is never used", at: e.name.span, label: "declared here",
                   help: ["name it in a route's `escalation`"])
        }
    }

    /// A bare label name used once that is within edit distance 2 of a declared name, or of a
    /// label name the pack uses more often, is probably a typo.
    mutating func warnNearNames() {
        let uses = exprs.labelUses
        let declared = pack.lists.map(\.name.text) + pack.macros.map(\.name.text) + AlertField.allCases.map(\.rawValue)
        // The labels used more often than once: the same candidates for every label used once.
        let frequent = uses.filter { $0.value.count > 1 }.map(\.key)
        for (name, spans) in uses.sorted(by: { $0.key < $1.key }) where spans.count == 1 && name.count > 3 && !exprs.reportedUnknown.contains(spans[0]) {
            guard let near = exprs.nearest(to: name, count: declared.count + frequent.count, in: { [declared, frequent].joined() }) else { continue }
            report(WarningCodes.nearName, "`\(name)` is close to `\(near)`", at: spans[0], label: "read as a label",
                   help: ["did you mean `\(near)`? (a bare unknown name is a label; declare labels under `labels:` to make this an error)"])
        }
    }
}

/// Label names outside expressions. `by`, `group_by` and `equal` name labels to group or match
/// on: a misspelt one silently groups every alert together, so it is checked against the schema
/// (an error) or, without one, against the labels the rest of the pack mentions (a warning).
/// A `severity` written by `set` or `emit` must name a severity, or the alert silently gets
/// `warning`.
extension PackChecker {
    /// Every `by`, `group_by` and `equal` list, of rules and partial rules alike.
    private var groupingLists: [(what: String, names: [Name])] {
        var out: [(String, [Name])] = pack.suppress.map { ("`equal`", $0.equal) }
        out += pack.correlate.map { ("`by`", $0.by) } + pack.anomalies.map { ("`by`", $0.by) }
        for r in pack.allRoutes { if case .labels(let names)? = r.groupBy { out.append(("`group_by`", names)) } }
        return out + pack.partialRules.flatMap(\.labelNames)
    }

    /// Label keys written by `set` and `emit`, and given to test alerts.
    private var writtenLabels: Set<String> {
        var out: Set<String> = []
        for r in pack.enrich { out.formUnion(r.set.map { $0.0.text }) }
        for r in pack.correlate { out.formUnion(r.emit.map { $0.0.text }) }
        for r in pack.anomalies { out.formUnion(r.emit.map { $0.0.text }) }
        for r in pack.partialRules { out.formUnion(r.templates.map { $0.label.text }) }
        for test in pack.tests {
            for input in test.inputs {
                if case .alert(let m) = input.kind, case .mapping(let labels)? = m["labels"] { out.formUnion(labels.entries.map(\.key.value)) }
            }
        }
        return out
    }

    mutating func checkGroupingLabels() {
        let lists = groupingLists
        guard lists.contains(where: { !$0.names.isEmpty }) else { return }
        let fields = AlertField.allCases.map(\.rawValue)
        if let schema = exprs.env.labels {
            let known = Set(schema.keys).union(fields)
            for (what, names) in lists {
                for n in names where Self.isLabelName(n.text) && !known.contains(n.text) {
                    report(NameCodes.unknownLabel, "unknown label `\(n.text)` in \(what)", at: n.span, label: "not a declared label",
                           help: exprs.suggest(n.text, in: schema.keys.sorted()) + ["declare it under `labels:`"])
                }
            }
            return
        }
        var counts: [String: Int] = [:]
        for (_, names) in lists { for n in names { counts[n.text, default: 0] += 1 } }
        let mentioned = exprs.mentionedLabels.union(writtenLabels).union(fields)
        let candidates = mentioned.union(counts.filter { $0.value > 1 }.keys).sorted()
        for (what, names) in lists {
            for n in names where Self.isLabelName(n.text) && !mentioned.contains(n.text) && counts[n.text] == 1 {
                guard let near = exprs.nearest(to: n.text, count: candidates.count, in: { candidates }) else { continue }
                report(WarningCodes.unmentionedLabel, "label `\(n.text)` in \(what) is not mentioned anywhere else in the pack",
                       at: n.span, label: "used only here",
                       help: ["did you mean `\(near)`? (declare labels under `labels:` to make this an error)"])
            }
        }
    }

    /// A constant `severity` written by `set` or `emit` names a severity.
    mutating func checkSeverityTemplate(_ label: Name, _ t: Template) {
        guard label.text == "severity", t.isConstant else { return }
        let text = t.parts.map { if case .text(let s) = $0 { s } else { "" } }.joined()
        guard Severity(name: text) == nil else { return }
        report(TypeCodes.notSeverity, "`\(text)` is not a severity", at: t.span, label: "the alert would get `warning`",
               help: exprs.suggest(text, in: Severity.allCases.map(\.name)) + ["severities are info, warning, error and critical"])
    }
}

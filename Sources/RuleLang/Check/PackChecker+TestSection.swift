import RuleText
/// Tests name only things that exist: channels, rules and alerts.
extension PackChecker {
    mutating func checkTests() {
        let channels = declared.channels
        let ruleNames = Set(pack.enrich.map(\.name.text) + pack.suppress.map(\.name.text) + pack.correlate.map(\.name.text)
            + pack.anomalies.map(\.name.text) + pack.allRoutes.map(\.name.text) + pack.partialRules.compactMap(\.name?.text))
        var emitted: Set<String> = []
        var dynamicEmit = false
        for (label, t) in pack.correlate.flatMap(\.emit) + pack.anomalies.flatMap(\.emit) where label.text == "alertname" {
            if t.isConstant, case .text(let s)? = t.parts.first { emitted.insert(s) } else { dynamicEmit = true }
        }
        for test in pack.tests {
            var alerts: Set<String> = []
            for input in test.inputs {
                switch input.kind {
                case .alert(let m):
                    checkTestAlert(m)
                    if case .mapping(let labels)? = m["labels"], case .scalar(let n)? = labels["alertname"] { alerts.insert(n.value) }
                case .ack(let n), .resolve(let n), .escalate(let n):
                    if !alerts.contains(n) {
                        report(NameCodes.unknownInTest, "test `\(test.name.text)` acts on alert `\(n)` before any input raises it",
                               at: input.span, label: "no such alert yet", help: exprs.suggest(n, in: alerts))
                    }
                }
            }
            let known = alerts.union(emitted)
            for e in test.expect {
                if !channels.contains(e.channel.text) {
                    report(NameCodes.unknownInTest, "test `\(test.name.text)` expects unknown channel `\(e.channel.text)`", at: e.channel.span,
                           label: "not declared", help: exprs.suggest(e.channel.text, in: channels))
                }
                if !dynamicEmit, !known.contains(e.alert) {
                    report(NameCodes.unknownInTest, "test `\(test.name.text)` expects alert `\(e.alert)`, which no input or rule raises",
                           at: e.span, label: "unknown alert", help: exprs.suggest(e.alert, in: known))
                }
            }
            for x in test.notExpect {
                if let c = x.channel, !channels.contains(c.text) {
                    report(NameCodes.unknownInTest, "test `\(test.name.text)` excludes unknown channel `\(c.text)`", at: c.span,
                           label: "not declared", help: exprs.suggest(c.text, in: channels))
                }
                if let a = x.alert, !dynamicEmit, !known.contains(a) {
                    report(NameCodes.unknownInTest, "test `\(test.name.text)` excludes alert `\(a)`, which no input or rule raises",
                           at: x.span, label: "unknown alert", help: exprs.suggest(a, in: known))
                }
            }
            for r in test.suppressed + test.derived where !ruleNames.contains(r.rule.text) {
                report(NameCodes.unknownInTest, "test `\(test.name.text)` names unknown rule `\(r.rule.text)`", at: r.rule.span,
                       label: "not a rule of this pack", help: exprs.suggest(r.rule.text, in: ruleNames))
            }
        }
    }

    /// A test alert follows the alert format of spec section 2.
    private mutating func checkTestAlert(_ m: YamlMapping) {
        if case .mapping(let labels)? = m["labels"] {
            for (k, v) in labels.entries {
                if !Self.isLabelName(k.value) {
                    report(YamlCodes.invalidValue, "`\(k.value)` is not a valid label name", at: k.span,
                           help: ["label names are letters, digits and `_`, not starting with a digit"])
                }
                if case .scalar = v {} else {
                    report(YamlCodes.shape, "label `\(k.value)` must be a string", at: v.span)
                }
            }
        } else if let l = m["labels"] {
            report(YamlCodes.shape, "`labels` must be a mapping", at: l.span)
        }
        if case .scalar(let s)? = m["severity"], Severity(name: s.value) == nil {
            report(YamlCodes.invalidValue, "unknown severity `\(s.value)`", at: s.span,
                   help: exprs.suggest(s.value, in: Severity.allCases.map(\.name)) + ["severities are info, warning, error and critical"])
        }
        if case .scalar(let s)? = m["value"], Double(s.value) == nil {
            report(YamlCodes.invalidValue, "`value` must be a number, found `\(s.value)`", at: s.span)
        }
        for key in ["starts_at", "ends_at"] {
            if case .scalar(let s)? = m[key], parseRFC3339(s.value) == nil {
                report(YamlCodes.invalidValue, "`\(key)` must be an RFC 3339 time, found `\(s.value)`", at: s.span)
            }
        }
    }
}

import RuleText
/// Checks a whole pack: names unique, every expression typed, every reference resolved,
/// channels, escalations and tests consistent, costs within budget; then the warnings of
/// spec section 4.
public struct PackChecker {
    let pack: Pack
    let options: CheckOptions
    let exprs: ExprChecker
    var diagnostics: [Diagnostic] = []
    var rules: [TypedRule] = []
    var channelTemplates: [TypedChannelTemplate] = []
    var usedChannels: Set<String> = []
    var usedEscalations: Set<String> = []
    /// Declared names by kind, for look-ups per reference.
    let declared: (channels: Set<String>, escalations: Set<String>, windows: Set<String>)

    public static func check(_ pack: Pack, options: CheckOptions = CheckOptions()) -> (CheckedPack, [Diagnostic]) {
        var c = PackChecker(pack: pack, options: options)
        c.run()
        return (CheckedPack(pack: pack, rules: c.rules, channelTemplates: c.channelTemplates), c.diagnostics + c.exprs.diagnostics)
    }

    init(pack: Pack, options: CheckOptions) {
        self.pack = pack
        self.options = options
        var env = Environment()
        for l in pack.lists { env.lists[l.name.text] = (Self.listType(l), l.values.count) }
        for m in pack.macros { env.macros[m.name.text] = m }
        if !pack.labels.isEmpty {
            env.labels = Dictionary(pack.labels.map { ($0.name.text, $0.type) }, uniquingKeysWith: { a, _ in a })
        }
        env.windows = Set(pack.windows.map(\.name.text))
        env.brokenWindows = Set(pack.brokenDeclarations.filter { $0.hasPrefix("window:") }.map { String($0.dropFirst(7)) })
        env.brokenNames = Set(pack.brokenDeclarations.compactMap { d in
            d.hasPrefix("list:") ? String(d.dropFirst(5)) : d.hasPrefix("macro:") ? String(d.dropFirst(6)) : nil
        })
        self.exprs = ExprChecker(env: env)
        declared = (Set(pack.channels.map(\.name.text)), Set(pack.escalations.map(\.name.text)), env.windows)
    }

    /// A list of plain numbers is numeric; anything else is a list of strings.
    public static func listType(_ l: ListDecl) -> RLType {
        guard !l.values.isEmpty, l.values.allSatisfy({ $0.isPlain && Double($0.value) != nil }) else { return .string }
        return l.values.allSatisfy { Int64($0.value) != nil } ? .int : .float
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, at span: SourceSpan, label: String? = nil,
                         notes: [DiagnosticNote] = [], help: [String] = []) {
        diagnostics.append(Diagnostic(code, message, at: span, label: label, notes: notes, help: help))
    }

    private mutating func run() {
        checkUniqueNames()
        checkChannels()
        checkEscalations()
        checkRules()
        checkRoutes()
        checkPartialRules()
        checkGroupingLabels()
        checkTests()
        warnUnused()
        warnNearNames()
    }

    /// Names are unique per kind across the tenant's files; lists and macros share one space
    /// (a bare name could mean either), and so do all rules.
    private mutating func checkUniqueNames() {
        let groups: [(String, [Name])] = [
            ("list or macro", pack.lists.map(\.name) + pack.macros.map(\.name)),
            ("label", pack.labels.map(\.name)),
            ("time window", pack.windows.map(\.name)),
            ("channel", pack.channels.map(\.name)),
            ("escalation", pack.escalations.map(\.name)),
            ("rule", pack.enrich.map(\.name) + pack.suppress.map(\.name) + pack.correlate.map(\.name)
                + pack.anomalies.map(\.name) + pack.allRoutes.map(\.name) + pack.partialRules.compactMap(\.name)),
            ("test", pack.tests.map(\.name)),
        ]
        // Partial rules come after the others: in source order, the first of two is the earlier.
        let fileOrder = Dictionary(pack.files.enumerated().map { (ObjectIdentifier($1), $0) }, uniquingKeysWith: { a, _ in a })
        let position = { (n: Name) in (fileOrder[ObjectIdentifier(n.span.file)] ?? 0, n.span.start) }
        for (kind, names) in groups {
            var seen: [String: SourceSpan] = [:]
            for n in pack.partialRules.isEmpty ? names : names.sorted(by: { position($0) < position($1) }) {
                if let first = seen[n.text] {
                    report(NameCodes.duplicateName, "duplicate \(kind) name `\(n.text)`", at: n.span, label: "declared again here",
                           notes: [DiagnosticNote(span: first, label: "first declared here")],
                           help: ["names are unique across all files of the tenant's pack: rename one of them"])
                } else {
                    seen[n.text] = n.span
                }
            }
        }
        for n in pack.lists.map(\.name) + pack.macros.map(\.name) where AlertField(rawValue: n.text) != nil || n.text == "it" {
            report(NameCodes.duplicateName, "`\(n.text)` is the name of an alert field", at: n.span, label: "hidden by the field",
                   help: ["a bare name resolves to the field first: rename this"])
        }
    }

    /// Whether `name` is a valid label name `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isLabelName(_ name: String) -> Bool { LabelNames.isValid(name) }

    mutating func checkLabelNames(_ names: [Name], _ what: String) {
        for n in names where !Self.isLabelName(n.text) {
            report(YamlCodes.invalidValue, "`\(n.text)` is not a valid label name in \(what)", at: n.span,
                   help: ["label names are letters, digits and `_`, not starting with a digit"])
        }
    }

    private mutating func checkChannels() {
        for c in pack.channels {
            for s in c.secrets where options.secrets[s.name] == nil {
                if options.secretMode == .require {
                    report(PackCodes.unsetSecret, "secret `\(s.name)` is not set", at: s.span, label: "unset",
                           help: ["set the environment variable `\(s.name)` (or add it to the secrets file) before loading the pack"])
                } else {
                    report(WarningCodes.unsetSecret, "secret `\(s.name)` is not set here", at: s.span, label: "unset",
                           help: ["the evaluator refuses the pack unless `\(s.name)` is set where it runs"])
                }
            }
            channelTemplates.append(TypedChannelTemplate(channel: c.name.text, title: c.title.map { exprs.template($0) } ?? [],
                                                         text: c.text.map { exprs.template($0) } ?? []))
        }
    }

    mutating func channelRefs(_ names: [Name], _ what: String) {
        for n in names {
            if declared.channels.contains(n.text) { usedChannels.insert(n.text); continue }
            if pack.brokenDeclarations.contains("channel:" + n.text) { continue }
            let near = exprs.nearest(to: n.text, count: pack.channels.count) { pack.channels.lazy.map(\.name.text) }
            // The channel a misspelling was meant for is not also reported as never used.
            if let near { usedChannels.insert(near) }
            report(NameCodes.unknownChannel, "unknown channel `\(n.text)` in \(what)", at: n.span, label: "not declared",
                   help: (near.map { ["did you mean `\($0)`?"] } ?? []) + (pack.channels.isEmpty ? ["declare it under `channels:`"] : []))
        }
    }

    private mutating func checkEscalations() {
        for e in pack.escalations {
            if e.levels.count > options.maxEscalationLevels {
                report(PackCodes.tooManyLevels,
                       "escalation `\(e.name.text)` has \(e.levels.count) levels, more than the \(options.maxEscalationLevels) allowed",
                       at: e.levels[options.maxEscalationLevels].afterSpan, label: "level \(options.maxEscalationLevels + 1)",
                       notes: [DiagnosticNote(span: e.name.span, label: "escalation declared here")],
                       help: ["merge levels, or raise CRITICAL_ALERT_MAX_ESCALATION_LEVELS where the evaluator runs"])
            }
            if e.levels.isEmpty {
                report(YamlCodes.invalidValue, "escalation `\(e.name.text)` has no levels", at: e.name.span)
            }
            for (prev, level) in zip(e.levels, e.levels.dropFirst()) where level.afterMs <= prev.afterMs {
                report(PackCodes.afterNotIncreasing, "escalation level `after: \(formatDuration(level.afterMs))` is not after the previous level",
                       at: level.afterSpan, label: "not later than \(formatDuration(prev.afterMs))",
                       notes: [DiagnosticNote(span: prev.afterSpan, label: "previous level")],
                       help: ["each level's `after` must be strictly greater than the one before"])
            }
            for level in e.levels { channelRefs(level.notify, "escalation `\(e.name.text)`") }
        }
    }

    /// Types one rule's expressions and records its cost.
    mutating func addRule(_ kind: RuleKind, _ name: Name, _ expressions: [(String, TypedExpr)]) {
        let cost = expressions.reduce(0) { Saturating.add($0, exprs.cost($1.1)) }
        if cost > options.ruleBudget {
            // A saturated cost is a bound the arithmetic could not hold, not a count.
            let shown = cost == .max ? "more than \(Int.max - 1)" : "\(cost)"
            report(TypeCodes.overBudget, "rule `\(name.text)` may run \(shown) instructions, over the budget of \(options.ruleBudget)",
                   at: name.span, label: "worst case \(shown)",
                   help: ["`any`/`all` multiply their predicate by the list's length (computed lists count \(RuleLimits.computedListLength)): shorten the list or the predicate"])
        }
        rules.append(TypedRule(kind: kind, name: name, expressions: expressions, cost: cost))
    }

    private mutating func checkRules() {
        let aggregates = ExprChecker.Context(aggregates: true, itType: nil)
        for r in pack.enrich {
            var ex = [("when", exprs.condition(r.when, "`when`"))]
            for (label, t) in r.set {
                if !label.text.hasPrefix("annotations.") { checkLabelNames([label], "`set`") }
                checkSeverityTemplate(label, t)
                ex += exprs.template(t).map { ("set.\(label.text)", $0) }
            }
            addRule(.enrich, r.name, ex)
        }
        for r in pack.suppress {
            var ex = [("when", exprs.condition(r.when, "`when`"))]
            if let w = r.whileActive { ex.append(("while_active", exprs.condition(w, "`while_active`"))) }
            checkLabelNames(r.equal, "`equal`")
            addRule(.suppress, r.name, ex)
        }
        for r in pack.correlate {
            var ex: [(String, TypedExpr)] = []
            if let w = r.when { ex.append(("when", exprs.condition(w, "`when`"))) }
            switch r.kind {
            case .window(_, let c): ex.append(("condition", exprs.condition(c, "`condition`", aggregates)))
            case .sequence(_, let steps):
                for (i, s) in steps.enumerated() { ex.append(("sequence[\(i)]", exprs.condition(s, "a sequence step"))) }
            case .heartbeat: break
            }
            checkLabelNames(r.by, "`by`")
            for (label, t) in r.emit {
                checkLabelNames([label], "`emit`")
                checkSeverityTemplate(label, t)
                ex += exprs.template(t, aggregates).map { ("emit.\(label.text)", $0) }
            }
            addRule(.correlate, r.name, ex)
        }
        for r in pack.anomalies {
            var ex = [("when", exprs.condition(r.when, "`when`"))]
            checkLabelNames(r.by, "`by`")
            for (label, t) in r.emit {
                checkLabelNames([label], "`emit`")
                checkSeverityTemplate(label, t)
                ex += exprs.template(t, aggregates).map { ("emit.\(label.text)", $0) }
            }
            addRule(.anomaly, r.name, ex)
        }
    }
}

import RuleLang
import RuleRuntime
import RuleText
import RuleVM
import RuleText

/// How a pack is compiled.
public struct CompileOptions: Sendable {
    /// Run the optimizer passes (constant folding, dead branches, …) before lowering.
    public var optimize = true
    /// Instruction budget per rule (spec 3.8), kept within `0...RuleLimits.maxRuleBudget`: a program
    /// with a larger one is never verified (nor fits the artifact's 32 bits).
    public var budget: Int {
        didSet { budget = Self.clamped(budget) }
    }

    public init(optimize: Bool = true, budget: Int = RuleLimits.defaultRuleBudget) {
        self.optimize = optimize
        self.budget = Self.clamped(budget)
    }

    private static func clamped(_ budget: Int) -> Int { min(max(budget, 0), RuleLimits.maxRuleBudget) }
}

/// Compiles a checked pack to bytecode.
public enum PackCompiler {
    /// The pack's verified program and rule lists; throws the rules that exceed a limit of the
    /// VM (see `CompileError`), so every compiled pack can run.
    /// Runs on a deep stack (`DeepStack`): lowering and the optimizer recurse over the syntax.
    public static func compile(_ checked: CheckedPack, options: CompileOptions = CompileOptions()) throws(CompileError) -> RuntimePack {
        try DeepStack.run { Result { () throws(CompileError) in try compileHere(checked, options: options) } }.get()
    }

    static func compileHere(_ checked: CheckedPack, options: CompileOptions) throws(CompileError) -> RuntimePack {
        let pack = checked.pack
        var lowering = lowering(for: pack)
        // Each entry's rule, in entry order.
        var owners: [EntryOwner] = []
        func own(_ name: Name) {
            while owners.count < lowering.b.entries.count { owners.append(EntryOwner(rule: name.text, span: name.span)) }
        }
        let typed = Dictionary(checked.rules.map { ("\($0.kind.rawValue):\($0.name.text)", $0) }, uniquingKeysWith: { a, _ in a })
        let listValues = lists(of: pack)
        // Every rule condition optimized once: for sharing, for the index and for lowering.
        var optimized: [String: TypedExpr] = [:]
        var optimizedInOrder: [TypedExpr] = []
        var sequenceWhen: [String: TypedExpr] = [:]
        for r in checked.rules {
            if let w = r.expressions.first(where: { $0.role == "when" }) {
                optimized["\(r.kind.rawValue):\(r.name.text)"] = Optimizer.optimize(w.expr)
                optimizedInOrder.append(optimized["\(r.kind.rawValue):\(r.name.text)"]!)
            } else if case let steps = r.expressions.filter({ $0.role.hasPrefix("sequence[") }).map(\.expr), let first = steps.first {
                // A sequence correlation has no `when`: an alert concerns it when any step matches.
                let any = steps.dropFirst().reduce(first) { TypedExpr(kind: .binary(.or, $0, $1), type: .bool, span: $0.span.merged($1.span)) }
                optimized["\(r.kind.rawValue):\(r.name.text)"] = Optimizer.optimize(any)
                optimizedInOrder.append(optimized["\(r.kind.rawValue):\(r.name.text)"]!)
                sequenceWhen["\(r.kind.rawValue):\(r.name.text)"] = any
            }
        }
        if options.optimize {
            lowering.memo = SharedSubexpressions.slots(optimizedInOrder, limit: Int(UInt16.max))
        }
        var unindexed: [(String, Unindexed)] = []
        var guards: [Int: RuleGuard] = [:]
        func compileRule(_ kind: RuleKind, _ name: String) -> Int {
            let index = lowering.b.entries.count
            let rule = typed["\(kind.rawValue):\(name)"]
            let expr = rule?.expressions.first { $0.role == "when" }?.expr ?? sequenceWhen["\(kind.rawValue):\(name)"]
            if let expr, let folded = optimized["\(kind.rawValue):\(name)"] {
                switch GuardFinder.find(folded, lists: listValues) {
                case .success(let g): guards[index] = g
                case .failure(let why): unindexed.append(("\(kind.rawValue) \(name)", why))
                }
                lowering.condition(options.optimize ? folded : expr, entry: "\(kind.rawValue) \(name)")
            } else {
                // A rule without this condition (a sequence correlation has no `when`) always holds.
                let start = lowering.b.pc
                lowering.b.emit(.retTrue)
                lowering.b.addEntry("\(kind.rawValue) \(name)", pc: start, cost: 1)
            }
            return index
        }
        func templateParts(_ template: Template, _ holes: inout ArraySlice<TypedExpr>) -> [TemplatePart] {
            template.parts.map { part in
                switch part {
                case .text(let s): return .text(s)
                case .expr: return .expr(holes.popFirst().map { options.optimize ? Optimizer.optimize($0) : $0 } ?? Self.invalidHole(template))
                }
            }
        }
        let enrich = pack.enrich.map { r in
            defer { own(r.name) }
            let entry = compileRule(.enrich, r.name.text)
            let typedRule = typed["enrich:\(r.name.text)"]
            let sets: [(label: String, entry: Int)] = r.set.map { (label, template) in
                var holes = (typedRule?.expressions ?? []).filter { $0.role == "set.\(label.text)" }.map(\.expr)[...]
                let index = lowering.b.entries.count
                lowering.templateEntry(templateParts(template, &holes), span: template.span, entry: "enrich \(r.name.text) set \(label.text)")
                return (label.text, index)
            }
            return RuntimeRule(kind: .enrich, name: r.name.text, entry: entry, guardTest: guards[entry], sets: sets)
        }
        let suppress = pack.suppress.map { r in
            defer { own(r.name) }
            let entry = compileRule(.suppress, r.name.text)
            var active: Int?
            if let w = typed["suppress:\(r.name.text)"]?.expressions.first(where: { $0.role == "while_active" })?.expr {
                active = lowering.b.entries.count
                lowering.condition(options.optimize ? Optimizer.optimize(w) : w, entry: "suppress \(r.name.text) while_active")
            }
            return RuntimeRule(kind: .suppress, name: r.name.text, entry: entry, guardTest: guards[entry], whileActive: active,
                               equal: r.equal.map(\.text),
                               fingerprint: RuntimeModel.inhibitionFingerprint(typed["suppress:\(r.name.text)"], r))
        }
        /// The condition, steps, aggregate arguments and emit templates of a correlation.
        func correlation(_ name: String, kind: RuleKind, _ emit: [(Name, Template)]) -> CorrelationEntries {
            let exprs = typed["\(kind.rawValue):\(name)"]?.expressions ?? []
            lowering.aggregates = []
            var condition: Int?
            if let c = exprs.first(where: { $0.role == "condition" })?.expr {
                condition = lowering.b.entries.count
                lowering.condition(options.optimize ? Optimizer.optimize(c) : c, entry: "\(kind.rawValue) \(name) condition")
            }
            var steps: [Int] = []
            for (role, e) in exprs where role.hasPrefix("sequence[") {
                steps.append(lowering.b.entries.count)
                lowering.condition(options.optimize ? Optimizer.optimize(e) : e, entry: "\(kind.rawValue) \(name) \(role)")
            }
            var emits: [(label: String, entry: Int)] = []
            for (label, template) in emit {
                var holes = exprs.filter { $0.role == "emit.\(label.text)" }.map(\.expr)[...]
                emits.append((label.text, lowering.b.entries.count))
                lowering.templateEntry(templateParts(template, &holes), span: template.span, entry: "\(kind.rawValue) \(name) emit \(label.text)")
            }
            // Each aggregate's argument, evaluated per alert of the window.
            let found = lowering.aggregates
            lowering.aggregates = []
            var aggregates: [(kind: Aggregate, argument: Int?)] = []
            for (a, arg) in found {
                guard let arg else { aggregates.append((a, nil)); continue }
                aggregates.append((a, lowering.b.entries.count))
                lowering.valueEntry(options.optimize ? Optimizer.optimize(arg) : arg, entry: "\(kind.rawValue) \(name) \(a.rawValue) argument")
            }
            return CorrelationEntries(condition: condition, steps: steps, aggregates: aggregates, emits: emits)
        }
        let correlate = pack.correlate.map { r in
            defer { own(r.name) }
            let entry = compileRule(.correlate, r.name.text)
            return RuntimeRule(kind: .correlate, name: r.name.text, entry: entry, guardTest: guards[entry],
                               correlation: correlation(r.name.text, kind: .correlate, r.emit), by: r.by.map(\.text),
                               form: RuntimeModel.form(r.kind),
                               fingerprint: RuntimeModel.fingerprint(typed["correlate:\(r.name.text)"], correlate: r, anomaly: nil))
        }
        let anomalies = pack.anomalies.map { r in
            defer { own(r.name) }
            let entry = compileRule(.anomaly, r.name.text)
            return RuntimeRule(kind: .anomaly, name: r.name.text, entry: entry, guardTest: guards[entry],
                               correlation: correlation(r.name.text, kind: .anomaly, r.emit), by: r.by.map(\.text),
                               anomaly: AnomalySettings(sensitivity: r.sensitivity, minRate: r.minRate, seasonal: r.seasonal),
                               fingerprint: RuntimeModel.fingerprint(typed["anomaly:\(r.name.text)"], correlate: nil, anomaly: r))
        }
        func routes(_ rs: [Route]) -> [RuntimeRoute] {
            rs.map { r in
                let entry = compileRule(.route, r.name.text)
                own(r.name)
                return RuntimeRoute(name: r.name.text, entry: entry, continueMatching: r.continue, children: routes(r.children),
                                     guardTest: guards[entry])
            }
        }
        let tree = routes(pack.routes)
        // Each channel's `title` and `text`, rendered against the alert a message is about.
        let channelEntries: [(title: Int?, text: Int?)] = zip(pack.channels, checked.channelTemplates).map { c, typed in
            defer { own(c.name) }
            func entry(_ template: Template?, _ holes: [TypedExpr], _ part: String) -> Int? {
                guard let template else { return nil }
                var slice = holes[...]
                let index = lowering.b.entries.count
                lowering.templateEntry(templateParts(template, &slice), span: template.span, entry: "channel \(c.name.text) \(part)")
                return index
            }
            return (entry(c.title, typed.title, "title"), entry(c.text, typed.text, "text"))
        }
        let program = try CompileLimits.finish(lowering.b, owners: owners, timezone: pack.timezone, budget: options.budget,
                                               memoCount: lowering.memo.count)
        return RuntimePack(tenant: pack.tenant, tier: pack.tier.rawValue, verified: program,
                           enrich: enrich, suppress: suppress, correlate: correlate, anomalies: anomalies, routes: tree,
                           routeSettings: RuntimeModel.routeSettings(pack), escalations: RuntimeModel.escalations(pack),
                           sla: RuntimeModel.sla(pack), unindexed: unindexed,
                           channels: RuntimeModel.channels(pack, entries: channelEntries))
    }

    /// A lowering that knows the pack's lists and time windows.
    static func lowering(for pack: Pack?) -> Lowering {
        var lowering = Lowering(builder: ProgramBuilder(), lists: pack.map(lists) ?? [:])
        for w in pack?.windows ?? [] {
            lowering.b.windowIndex[w.name.text] = lowering.b.windows.count
            lowering.b.windows.append(windowSpec(w, pack?.timezone ?? "UTC"))
        }
        return lowering
    }

    /// A hole the checker did not type (only in a pack with errors, which is never compiled).
    static func invalidHole(_ t: Template) -> TypedExpr { TypedExpr(kind: .invalid, type: .error, span: t.span) }

    /// The constant values of the pack's lists.
    static func lists(of pack: Pack) -> [String: PlainValue] {
        var out: [String: PlainValue] = [:]
        for l in pack.lists {
            switch PackChecker.listType(l) {
            case .int: out[l.name.text] = .list(l.values.map { .int(Int64($0.value) ?? 0) })
            case .float: out[l.name.text] = .list(l.values.map { .float(Double($0.value) ?? 0) })
            default: out[l.name.text] = .list(l.values.map { .string($0.value) })
            }
        }
        return out
    }

    static func windowSpec(_ w: WindowDecl, _ packZone: String) -> WindowSpec {
        var days: UInt8 = 0
        for d in w.weekdays { days |= 1 << UInt8(d + 1) }
        return WindowSpec(name: w.name.text, weekdays: days, startMinute: w.startMinute, endMinute: w.endMinute,
                          zone: w.timezone ?? packZone)
    }
}

/// Compiles single expressions (the oracle test and other tests).
public enum ExpressionCompiler {
    /// A program whose entry 0 returns the value of `e` (`name` is how diagnostics call it).
    public static func program(for e: TypedExpr, named name: String = "expression", pack: Pack? = nil,
                               options: CompileOptions = CompileOptions()) throws(CompileError) -> VerifiedProgram {
        var lowering = PackCompiler.lowering(for: pack)
        lowering.valueEntry(options.optimize ? Optimizer.optimize(e) : e, entry: "expression")
        return try CompileLimits.finish(lowering.b, owners: [EntryOwner(rule: name, span: e.span)],
                                        timezone: pack?.timezone ?? "UTC", budget: options.budget)
    }

    /// A program whose entry 0 returns whether `e` holds (the condition form, with fused jumps).
    public static func conditionProgram(for e: TypedExpr, named name: String = "condition", pack: Pack? = nil,
                                        options: CompileOptions = CompileOptions()) throws(CompileError) -> VerifiedProgram {
        var lowering = PackCompiler.lowering(for: pack)
        lowering.condition(options.optimize ? Optimizer.optimize(e) : e, entry: "condition")
        return try CompileLimits.finish(lowering.b, owners: [EntryOwner(rule: name, span: e.span)],
                                        timezone: pack?.timezone ?? "UTC", budget: options.budget)
    }
}

import RuleText
/// What a use of a macro needs to know about it, computed once when its body is typed: a pack
/// whose macros use each other twice per level (`m2: m1 && m1`) expands exponentially, so no
/// fact about a macro is ever computed by walking into the bodies of the macros it uses.
struct MacroFacts {
    let body: TypedExpr
    /// Levels of the body with every macro inside it expanded.
    let height: Int
    /// Deepest `any`/`all` nesting inside the expanded body.
    let loops: Int
    /// Worst-case instructions of the expanded body (saturating).
    let cost: Int
    let containsAggregate: Bool
}

extension ExprChecker {
    /// Deepest expression, in levels with every macro expanded in place (the parser's limit for
    /// one expression): the checker, the compiler and the VM's verifier recurse over expanded
    /// expressions, so a chain of macros counts as the expression it expands to.
    static let maxExpandedDepth = Parser.maxDepth

    /// The cost of `e` with each macro use costed from its memoised facts.
    func cost(_ e: TypedExpr) -> Int {
        e.cost { name, body in macroFacts[name]?.cost ?? body.cost }
    }

    /// Whether `e` holds an aggregate, macros included, without walking into macro bodies.
    func containsAggregate(_ e: TypedExpr) -> Bool {
        if case .aggregate = e.kind { return true }
        if case .macro(let name, _) = e.kind { return macroFacts[name]?.containsAggregate ?? false }
        return e.children.contains { containsAggregate($0) }
    }

    /// A use of macro `m`: its body is typed once (in a neutral context), with cycle detection;
    /// the use adds the body's expanded depth and loop nesting to where it stands.
    func macro(_ m: MacroDecl, use: SourceSpan, _ ctx: Context) -> TypedExpr {
        let name = m.name.text
        usedNames.insert("macro:" + name)
        if macroStackSet.contains(name) {
            let i = macroStack.lastIndex(of: name) ?? 0
            let cycle = macroStack[i...] + [name]
            report(NameCodes.macroCycle, "macro cycle: \(cycle.map { "`\($0)`" }.joined(separator: " -> "))", at: use,
                   label: "`\(name)` used inside its own definition",
                   notes: [DiagnosticNote(span: m.name.span, label: "`\(name)` defined here")],
                   help: ["macros are expanded in place, so they cannot refer to themselves"])
            return .invalid(use)
        }
        if macroFacts[name] == nil { prepare(m) }
        guard let facts = macroFacts[name] else { return .invalid(use) }
        // A body with an error was reported where the error is; its uses say nothing more.
        if facts.body.type.isError { return .invalid(use) }
        // What the expansion reaches counts even when it is too deep, so that the macros using
        // this one inherit the true depth.
        reachedDepth = max(reachedDepth, depth + facts.height)
        reachedLoops = max(reachedLoops, ctx.loopDepth + facts.loops)
        if depth + facts.height > Self.maxExpandedDepth {
            report(SyntaxCodes.tooDeep, "expression nested too deeply", at: use,
                   label: "more than \(Self.maxExpandedDepth) levels with macros expanded",
                   notes: [DiagnosticNote(span: m.name.span, label: "`\(name)` expands to \(facts.height) levels")],
                   help: ["macros are expanded where they are used: shorten the chain of macros, or use `any(…)` or `in [...]` instead of long chains"])
            return .invalid(use)
        }
        if ctx.loopDepth + facts.loops > RuleLimits.loopDepth {
            report(SyntaxCodes.tooDeep, "`any`/`all` nested more than \(RuleLimits.loopDepth) deep", at: use,
                   label: "too deep with `\(name)` expanded",
                   notes: [DiagnosticNote(span: m.name.span, label: "`\(name)` nests `any`/`all` \(facts.loops) deep")],
                   help: ["move the inner predicate into a macro that does not loop, or flatten the lists"])
            return .invalid(use)
        }
        if facts.containsAggregate && !ctx.aggregates {
            report(TypeCodes.aggregateContext, "macro `\(name)` uses an aggregate outside a correlate condition or emit",
                   at: use, label: "aggregate inside", notes: [DiagnosticNote(span: m.name.span, label: "macro defined here")])
        }
        return TypedExpr(kind: .macro(name, facts.body), type: facts.body.type, span: use)
    }

    /// Types the macros a top-level expression uses (and theirs) before the expression itself.
    func prepareMacros(usedIn e: Expr) {
        for name in macroNames(in: e) where macroFacts[name] == nil && !macroStackSet.contains(name) {
            if let m = env.macros[name] { prepare(m) }
        }
    }

    /// Types `root` and every macro it depends on, dependencies first, with an explicit stack:
    /// each body is typed when all the macros it uses are known, so typing never recurses from
    /// one macro into another however long the chain. While a body is typed, `macroStack` holds
    /// the path of uses that led to it, so a use of a macro on that path is reported as a cycle,
    /// naming the same path a depth-first expansion would.
    private func prepare(_ root: MacroDecl) {
        var frames: [(macro: MacroDecl, uses: [String], next: Int)] = [(root, macroNames(in: root.body), 0)]
        push(root.name.text)
        while let top = frames.last {
            if top.next < top.uses.count {
                frames[frames.count - 1].next += 1
                let name = top.uses[top.next]
                guard macroFacts[name] == nil, !macroStackSet.contains(name), let m = env.macros[name] else { continue }
                frames.append((m, macroNames(in: m.body), 0))
                push(name)
                continue
            }
            macroFacts[top.macro.name.text] = typeBody(top.macro)
            frames.removeLast()
            macroStackSet.remove(macroStack.removeLast())
        }
    }

    private func push(_ name: String) {
        macroStack.append(name)
        macroStackSet.insert(name)
    }

    /// Types one macro body from the top (depth 0), measuring its expanded depth and loops.
    private func typeBody(_ m: MacroDecl) -> MacroFacts {
        let saved = (depth, reachedDepth, reachedLoops)
        (depth, reachedDepth, reachedLoops) = (0, 0, 0)
        let body = check(m.body, Context(aggregates: true, itType: nil))
        let facts = MacroFacts(body: body, height: reachedDepth, loops: reachedLoops, cost: cost(body),
                               containsAggregate: containsAggregate(body))
        (depth, reachedDepth, reachedLoops) = saved
        return facts
    }

    /// The macros named in `e`, in order of first use. A bare name is a macro unless `it`, an
    /// alert field or a list takes it first (spec 3.2); a window name in `in_window` is not one.
    func macroNames(in e: Expr) -> [String] {
        var names: [String] = [], seen: Set<String> = []
        func walk(_ e: Expr) {
            switch e.kind {
            case .literal, .invalid: break
            case .name(let n):
                if n.text != "it", AlertField(rawValue: n.text) == nil, env.lists[n.text] == nil, env.macros[n.text] != nil,
                   seen.insert(n.text).inserted { names.append(n.text) }
            case .list(let xs): xs.forEach(walk)
            case .call(let f, let args): if f.text != Builtin.inWindow.rawValue { args.forEach(walk) }
            case .member(let b, _), .unary(_, let b): walk(b)
            case .index(let a, let b), .binary(_, let a, let b): walk(a); walk(b)
            case .conditional(let a, let b, let c): walk(a); walk(b); walk(c)
            }
        }
        walk(e)
        return names
    }
}

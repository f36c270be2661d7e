/// What names mean in a pack: the declarations the checker resolves against.
struct Environment {
    var lists: [String: (type: RLType, count: Int)] = [:]
    var macros: [String: MacroDecl] = [:]
    /// nil when the pack declares no label schema.
    var labels: [String: LabelType]?
    var windows: Set<String> = []
    /// Windows declared with errors (already reported).
    var brokenWindows: Set<String> = []
    /// Lists and macros declared with errors (already reported): a use of one is typed as an
    /// error in silence, not read as a label.
    var brokenNames: Set<String> = []
}

/// Types expressions (spec 3.1–3.6): resolves names in the order of 3.2, expands macros with
/// cycle detection, checks operators, calls, regexes, aggregates and optional values.
final class ExprChecker {
    /// Where an expression appears.
    struct Context {
        /// Aggregates are allowed (correlate conditions and emit templates).
        var aggregates = false
        /// The type of `it` inside an `any`/`all` predicate.
        var itType: RLType?
        /// How many `any`/`all` enclose the expression.
        var loopDepth = 0
    }


    let env: Environment
    var diagnostics: [Diagnostic] = []
    var usedNames: Set<String> = []
    /// Bare label names and where they are used (for W0006).
    var labelUses: [String: [SourceSpan]] = [:]
    /// Every label an expression reads, by bare name or through `labels` (for W0009).
    var mentionedLabels: Set<String> = []
    /// Bare names already reported as unknown macros or lists (no W0006 for them).
    var reportedUnknown: Set<SourceSpan> = []
    /// Each used macro's typed body and the facts its uses need, computed once per macro.
    var macroFacts: [String: MacroFacts] = [:]
    /// The macros whose bodies are being typed, outermost first (a use of one is a cycle).
    var macroStack: [String] = []
    var macroStackSet: Set<String> = []
    /// Levels of the expression being typed above the current node.
    var depth = 0
    /// The deepest level, with macros expanded, reached since the last reset.
    var reachedDepth = 0
    /// The deepest `any`/`all` nesting, with macros expanded, reached since the last reset.
    var reachedLoops = 0
    /// What is left of `suggestionBudget`.
    var suggestionsLeft = ExprChecker.suggestionBudget

    init(env: Environment) { self.env = env }

    func report(_ code: DiagnosticCode, _ message: String, at span: SourceSpan, label: String? = nil,
                notes: [DiagnosticNote] = [], help: [String] = []) {
        diagnostics.append(Diagnostic(code, message, at: span, label: label, notes: notes, help: help))
    }

    /// Types a condition that must be `bool` (or `bool?`, where missing means false).
    func condition(_ e: Expr, _ what: String, _ ctx: Context = Context()) -> TypedExpr {
        let t = check(e, ctx)
        if !t.type.isError, t.type.base != .bool, !unknownBareName(e, t, expecting: .macro) {
            report(TypeCodes.mismatch, "\(what) must be a bool, found `\(t.type)`", at: e.span, label: "this is `\(t.type)`",
                   help: t.type.base == .string ? ["compare it, e.g. `… == \"value\"`, or test presence with `exists(…)`"] : [])
        }
        return t
    }

    /// Types every hole of a template; any type renders as text.
    func template(_ t: Template, _ ctx: Context = Context()) -> [TypedExpr] {
        t.parts.compactMap { part in
            if case .expr(let e) = part { return check(e, ctx) }
            return nil
        }
    }

    func check(_ e: Expr, _ ctx: Context) -> TypedExpr {
        // A top-level expression first has the macros it uses typed, each from the top of the
        // stack: a macro body is then never typed from inside another expression.
        if depth == 0 && macroStack.isEmpty { prepareMacros(usedIn: e) }
        depth += 1
        defer { depth -= 1 }
        reachedDepth = max(reachedDepth, depth)
        switch e.kind {
        case .literal(let l):
            return TypedExpr(kind: .literal(l), type: Self.type(of: l), span: e.span)
        case .list(let items):
            return listLiteral(items, e.span, ctx)
        case .name(let n):
            return name(n, ctx)
        case .member(let base, let n):
            return member(base, n, e.span, ctx)
        case .index(let base, let index):
            return self.index(base, index, e.span, ctx)
        case .call(let n, let args):
            return call(n, args, e.span, ctx)
        case .unary(let op, let operand):
            return unary(op, operand, e.span, ctx)
        case .binary(let op, let l, let r):
            return binary(op, l, r, e.span, ctx)
        case .conditional(let c, let a, let b):
            let tc = condition(c, "the condition of `?:`", ctx)
            let ta = check(a, ctx), tb = check(b, ctx)
            return conditional(tc, ta, tb, e.span)
        case .invalid:
            return .invalid(e.span)
        }
    }

    /// Kept out of `check` so that the recursive path's stack frames stay small.
    @inline(never)
    private func conditional(_ tc: TypedExpr, _ ta: TypedExpr, _ tb: TypedExpr, _ span: SourceSpan) -> TypedExpr {
        guard let t = RLType.join(ta.type, tb.type) else {
            report(TypeCodes.mismatch, "the branches of `?:` have different types `\(ta.type)` and `\(tb.type)`", at: span,
                   label: "`\(ta.type)` and `\(tb.type)`", help: ["convert one branch, e.g. with `string(…)`"])
            return .invalid(span)
        }
        return TypedExpr(kind: .conditional(tc, ta, tb), type: t, span: span)
    }

    static func type(of l: Literal) -> RLType {
        switch l {
        case .bool: .bool
        case .int: .int
        case .float: .float
        case .string: .string
        case .duration: .duration
        case .severity: .severity
        }
    }

    private func listLiteral(_ items: [Expr], _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        let typed = items.map { check($0, ctx) }
        var element = RLType.unknown
        for t in typed {
            guard let j = RLType.join(element, t.type) else {
                report(TypeCodes.mismatch, "list items have different types `\(element)` and `\(t.type)`", at: t.span,
                       label: "this is `\(t.type)`", help: ["a list holds values of one type"])
                return .invalid(span)
            }
            element = j
        }
        if case .list = element.base {
            report(TypeCodes.mismatch, "lists of lists are not supported", at: span)
            return .invalid(span)
        }
        return TypedExpr(kind: .list(typed), type: .list(element), span: span)
    }

    /// Bare names, in the order of spec 3.2: `it`, alert fields, lists, macros, labels.
    private func name(_ n: Name, _ ctx: Context) -> TypedExpr {
        if n.text == "it" {
            guard let t = ctx.itType else {
                report(NameCodes.itOutside, "`it` used outside `any` or `all`", at: n.span, label: "no list element here",
                       help: ["`it` names the element in `any(list, predicate)` and `all(list, predicate)`"])
                return .invalid(n.span)
            }
            return TypedExpr(kind: .it, type: t, span: n.span)
        }
        if let f = AlertField(rawValue: n.text) { return TypedExpr(kind: .field(f), type: f.type, span: n.span) }
        if let l = env.lists[n.text] {
            usedNames.insert("list:" + n.text)
            return TypedExpr(kind: .namedList(n.text, l.count), type: .list(l.type), span: n.span)
        }
        if let m = env.macros[n.text] { return macro(m, use: n.span, ctx) }
        if env.brokenNames.contains(n.text) { return .invalid(n.span) }
        if let schema = env.labels {
            guard let t = schema[n.text] else {
                let count = schema.count + AlertField.allCases.count + env.lists.count + env.macros.count
                let near = nearest(to: n.text, count: count) {
                    Array(schema.keys) + AlertField.allCases.map(\.rawValue) + Array(env.lists.keys) + Array(env.macros.keys)
                }
                if let near, env.lists[near] != nil { usedNames.insert("list:" + near) }
                if let near, env.macros[near] != nil { usedNames.insert("macro:" + near) }
                var help = near.map { ["did you mean `\($0)`?"] } ?? []
                help += aggregateHelp(n)
                help.append("declare it under `labels:`, or read an undeclared label as `labels.\(n.text)`")
                report(NameCodes.unknownName, "unknown name `\(n.text)`", at: n.span,
                       label: "not a field, list, macro or declared label", help: help)
                return .invalid(n.span)
            }
            mentionedLabels.insert(n.text)
            return TypedExpr(kind: .label(n.text), type: t == .number ? .optional(.float) : .optional(.string), span: n.span)
        }
        mentionedLabels.insert(n.text)
        labelUses[n.text, default: []].append(n.span)
        return TypedExpr(kind: .label(n.text), type: .optional(.string), span: n.span)
    }

    /// `labels.x`, `annotations.x`.
    private func member(_ base: Expr, _ n: Name, _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        let b = check(base, ctx)
        if b.type.isError { return .invalid(span) }
        if case .field(let f) = b.kind, f == .labels || f == .annotations {
            if f == .labels { mentionedLabels.insert(n.text) }
            return TypedExpr(kind: f == .labels ? .label(n.text) : .annotation(n.text), type: .optional(.string), span: span)
        }
        report(NameCodes.unknownField, "`\(b.type)` has no member `\(n.text)`", at: n.span, label: "unknown member",
               help: ["members exist only on `labels` and `annotations`, e.g. `labels.\(n.text)`"])
        return .invalid(span)
    }

    /// `labels["x-y"]`, `annotations[k]`, `list[i]`.
    private func index(_ base: Expr, _ index: Expr, _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        let b = check(base, ctx), i = check(index, ctx)
        if b.type.isError || i.type.isError { return .invalid(span) }
        if b.type == .map, case .field(let f) = b.kind {
            guard i.type.base == .string else {
                report(TypeCodes.mismatch, "a label key must be a string, found `\(i.type)`", at: index.span, label: "this is `\(i.type)`")
                return .invalid(span)
            }
            if case .literal(.string(let s)) = i.kind {
                if f == .labels { mentionedLabels.insert(s.value) }
                return TypedExpr(kind: f == .labels ? .label(s.value) : .annotation(s.value), type: .optional(.string), span: span)
            }
            return TypedExpr(kind: .mapIndex(f, i), type: .optional(.string), span: span)
        }
        if case .list(let element) = b.type.base {
            guard i.type.base == .int else {
                report(TypeCodes.mismatch, "a list index must be an int, found `\(i.type)`", at: index.span, label: "this is `\(i.type)`")
                return .invalid(span)
            }
            return TypedExpr(kind: .listIndex(b, i), type: element.optional, span: span)
        }
        report(TypeCodes.mismatch, "cannot index a value of type `\(b.type)`", at: base.span, label: "this is `\(b.type)`",
               help: ["only `labels`, `annotations` and lists can be indexed"])
        return .invalid(span)
    }

    enum Expectation { case macro, list }

    /// A bare name read as a label where a macro (a bool) or a list was needed, and close to a
    /// declared one, is a misspelt macro or list: report it as an unknown name. Returns true
    /// when reported.
    func unknownBareName(_ e: Expr, _ t: TypedExpr, expecting: Expectation) -> Bool {
        guard case .name(let n) = e.kind, case .label = t.kind else { return false }
        let kind = expecting == .macro ? "macro" : "list"
        let near = expecting == .macro ? nearest(to: n.text, count: env.macros.count) { env.macros.keys }
                                       : nearest(to: n.text, count: env.lists.count) { env.lists.keys }
        guard let near else { return false }
        // The declaration the misspelling was meant for is not also reported as never used.
        usedNames.insert("\(kind):" + near)
        reportedUnknown.insert(n.span)
        report(NameCodes.unknownName, "unknown \(kind) `\(n.text)`", at: n.span,
               label: "not a declared \(kind) (read as a label, which is a string)",
               help: ["did you mean `\(near)`?"])
        return true
    }

    /// Reports `got` where `expected` was needed.
    func mismatch(_ what: String, expected: String, got t: TypedExpr, help: [String] = []) {
        report(TypeCodes.mismatch, "\(what) must be \(expected), found `\(t.type)`", at: t.span, label: "this is `\(t.type)`", help: help)
    }
}

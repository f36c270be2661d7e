import RuleText
/// Builtin calls and aggregates (spec 3.6). A function of a missing argument returns missing,
/// so an optional argument where a plain one is expected makes the result optional.
extension ExprChecker {
    func call(_ n: Name, _ args: [Expr], _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        if let agg = Aggregate(rawValue: n.text) { return aggregate(agg, n, args, span, ctx) }
        guard let f = Builtin(rawValue: n.text) else {
            report(NameCodes.unknownFunction, "unknown function `\(n.text)`", at: n.span, label: "not a function",
                   help: suggest(n.text, in: Builtin.allNames))
            return argumentsAlone(args, span, ctx)
        }
        guard f.arity.contains(args.count) else {
            arityError(n, f.arity, args.count, f.signature, span)
            return argumentsAlone(args, span, ctx)
        }
        if f == .inWindow { return inWindow(n, args[0], span) }
        if f == .any || f == .all { return quantifier(f, args, span, ctx) }
        if f == .search || f == .extract { return search(f, check(args[0], ctx), args, span) }
        return builtin(f, args.map { check($0, ctx) }, span)
    }

    /// Types the arguments of a call that is itself an error, for their own errors: `it` in them
    /// is an error in silence, since the call may have been meant as `any` or `all`.
    private func argumentsAlone(_ args: [Expr], _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        var inner = ctx
        inner.itType = ctx.itType ?? .error
        for a in args { _ = check(a, inner) }
        return .invalid(span)
    }

    /// `search`/`extract` over a typed subject: the pattern must be a regex literal.
    @inline(never)
    private func search(_ f: Builtin, _ s: TypedExpr, _ args: [Expr], _ span: SourceSpan) -> TypedExpr {
        guard case .literal(.string(let pattern)) = args[1].kind else {
            report(TypeCodes.regexNotLiteral, "the pattern of `\(f.rawValue)` must be a regex literal", at: args[1].span,
                   label: "not a string literal")
            return .invalid(span)
        }
        if s.type.isError { return .invalid(span) }
        guard s.type.base == .string else { mismatch("the first argument of `\(f.rawValue)`", expected: "a string", got: s); return .invalid(span) }
        if let d = RegexValidator.validate(pattern, span: args[1].span, anchored: false) {
            diagnostics.append(d)
            return .invalid(span)
        }
        let p = TypedExpr(kind: .literal(.string(pattern)), type: .string, span: args[1].span)
        let result: RLType = f == .search ? (s.type.isOptional ? .optional(.bool) : .bool) : .optional(.string)
        return TypedExpr(kind: .call(f, [s, p]), type: result, span: span)
    }

    /// Types a call of `f` over typed arguments: out of the recursive path, so that nested
    /// calls' stack frames stay small.
    @inline(never)
    private func builtin(_ f: Builtin, _ typed: [TypedExpr], _ span: SourceSpan) -> TypedExpr {
        // An erroneous argument fits any parameter; the others are still checked.
        let t = builtinOverTyped(f, typed, span)
        return typed.contains(where: { $0.type.isError }) ? .invalid(span) : t
    }

    private func builtinOverTyped(_ f: Builtin, _ typed: [TypedExpr], _ span: SourceSpan) -> TypedExpr {
        let lifted = typed.contains { $0.type.isOptional } && f != .exists
        func result(_ t: RLType) -> TypedExpr {
            TypedExpr(kind: .call(f, typed), type: lifted ? t.optional : t, span: span)
        }
        func expect(_ i: Int, _ types: [RLType], _ what: String) -> Bool {
            if typed[i].type.isError { return true }
            if types.contains(where: { typed[i].type.base == $0 || ($0 == .float && typed[i].type.base == .int) }) { return true }
            mismatch("argument \(i + 1) of `\(f.rawValue)`", expected: what, got: typed[i], help: ["`\(f.signature)`"])
            return false
        }
        switch f {
        case .len:
            if case .list = typed[0].type.base { return result(.int) }
            return expect(0, [.string], "a string or a list") ? result(.int) : .invalid(span)
        case .lower, .upper, .trim:
            return expect(0, [.string], "a string") ? result(.string) : .invalid(span)
        case .split:
            return expect(0, [.string], "a string") && expect(1, [.string], "a string") ? result(.list(.string)) : .invalid(span)
        case .join:
            guard typed[0].type.base == .list(.string) || typed[0].type.base == .list(.unknown) || typed[0].type.isError else {
                mismatch("argument 1 of `join`", expected: "a `list<string>`", got: typed[0]); return .invalid(span)
            }
            return expect(1, [.string], "a string") ? result(.string) : .invalid(span)
        case .replace:
            return (0..<3).allSatisfy({ expect($0, [.string], "a string") }) ? result(.string) : .invalid(span)
        case .substr:
            guard expect(0, [.string], "a string"), expect(1, [.int], "an int"), typed.count < 3 || expect(2, [.int], "an int") else { return .invalid(span) }
            return result(.string)
        case .int:
            return expect(0, [.int, .float, .string, .duration, .bool], "a number, string, duration or bool") ? TypedExpr(kind: .call(f, typed), type: .optional(.int), span: span) : .invalid(span)
        case .float:
            return expect(0, [.int, .float, .string, .bool], "a number, string or bool") ? TypedExpr(kind: .call(f, typed), type: .optional(.float), span: span) : .invalid(span)
        case .string:
            if case .list = typed[0].type.base { mismatch("the argument of `string`", expected: "a scalar", got: typed[0]); return .invalid(span) }
            return result(.string)
        case .duration:
            return expect(0, [.string, .duration], "a string") ? TypedExpr(kind: .call(f, typed), type: .optional(.duration), span: span) : .invalid(span)
        case .time:
            return expect(0, [.string, .time], "a string") ? TypedExpr(kind: .call(f, typed), type: .optional(.time), span: span) : .invalid(span)
        case .exists:
            return TypedExpr(kind: .call(f, typed), type: .bool, span: span)
        case .now:
            return result(.time)
        case .age:
            return result(.duration)
        case .hour, .weekday:
            return expect(0, [.time], "a time") ? result(.int) : .invalid(span)
        case .search, .extract, .inWindow, .any, .all:
            fatalError("handled above")
        }
    }

    private func arityError(_ n: Name, _ arity: ClosedRange<Int>, _ got: Int, _ signature: String, _ span: SourceSpan) {
        let want = arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) or \(arity.upperBound)"
        report(TypeCodes.arity, "`\(n.text)` takes \(want) argument\(arity.upperBound == 1 ? "" : "s"), found \(got)", at: span,
               label: "\(got) argument\(got == 1 ? "" : "s")", help: ["`\(signature)`"])
    }

    /// `in_window(name)`: a bare window name (or its name as a string literal).
    private func inWindow(_ n: Name, _ arg: Expr, _ span: SourceSpan) -> TypedExpr {
        let name: Name
        switch arg.kind {
        case .name(let w): name = w
        case .literal(.string(let s)): name = Name(text: s.value, span: arg.span)
        default:
            report(TypeCodes.mismatch, "the argument of `in_window` must be a time window name", at: arg.span,
                   label: "not a window name", help: ["write the name declared under `time_windows:`, e.g. `in_window(business_hours)`"])
            return .invalid(span)
        }
        guard env.windows.contains(name.text) else {
            if env.brokenWindows.contains(name.text) { return .invalid(span) }
            report(NameCodes.unknownWindow, "unknown time window `\(name.text)`", at: name.span, label: "not declared",
                   help: suggest(name.text, in: env.windows) + (env.windows.isEmpty ? ["declare it under `time_windows:`"] : []))
            return .invalid(span)
        }
        usedNames.insert("window:" + name.text)
        return TypedExpr(kind: .call(.inWindow, [TypedExpr(kind: .window(name.text), type: .string, span: name.span)]), type: .bool, span: span)
    }

    /// `any(list, pred)` / `all(list, pred)` with `it` bound to the element.
    private func quantifier(_ f: Builtin, _ args: [Expr], _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        let list = check(args[0], ctx)
        if list.type.isError {
            var inner = ctx
            inner.itType = .error
            _ = condition(args[1], "the predicate of `\(f.rawValue)`", inner)
            return .invalid(span)
        }
        guard case .list(let element) = list.type.base else {
            mismatch("argument 1 of `\(f.rawValue)`", expected: "a list", got: list, help: ["`\(f.signature)`"])
            return .invalid(span)
        }
        guard ctx.loopDepth < RuleLimits.loopDepth else {
            report(SyntaxCodes.tooDeep, "`any`/`all` nested more than \(RuleLimits.loopDepth) deep", at: span,
                   label: "too deep", help: ["move the inner predicate into a macro that does not loop, or flatten the lists"])
            return .invalid(span)
        }
        var inner = ctx
        inner.itType = element
        inner.loopDepth += 1
        reachedLoops = max(reachedLoops, inner.loopDepth)
        let pred = condition(args[1], "the predicate of `\(f.rawValue)`", inner)
        if pred.type.isError { return .invalid(span) }
        return TypedExpr(kind: .call(f, [list, pred]), type: list.type.isOptional ? .optional(.bool) : .bool, span: span)
    }

    private func aggregate(_ a: Aggregate, _ n: Name, _ args: [Expr], _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        guard ctx.aggregates else {
            report(TypeCodes.aggregateContext, "aggregate `\(a.rawValue)` used outside a correlate condition or emit", at: n.span,
                   label: "no correlation window here",
                   help: ["aggregates summarise the alerts of a correlate window: use them in its `condition` or `emit`"])
            return argumentsAlone(args, span, Context(aggregates: false, itType: ctx.itType))
        }
        guard a.arity.contains(args.count) else {
            arityError(n, a.arity, args.count, a.signature, span)
            return argumentsAlone(args, span, Context(aggregates: false, itType: ctx.itType))
        }
        // Arguments are evaluated per alert in the window: no nested aggregates.
        let inner = Context(aggregates: false, itType: ctx.itType)
        if args.isEmpty { return TypedExpr(kind: .aggregate(.count, nil), type: .int, span: span) }
        let arg = a == .count ? condition(args[0], "the filter of `count`", inner) : check(args[0], inner)
        if arg.type.isError { return .invalid(span) }
        let t = arg.type.base
        switch a {
        case .count, .distinct:
            return TypedExpr(kind: .aggregate(a, arg), type: .int, span: span)
        case .sum, .avg:
            guard t.isNumeric || t == .duration else {
                mismatch("the argument of `\(a.rawValue)`", expected: "a number", got: arg,
                         help: ["convert a label with `float(…)`, or declare it as `number` under `labels:`"])
                return .invalid(span)
            }
            let r: RLType = t == .duration ? .duration : .float
            return TypedExpr(kind: .aggregate(a, arg), type: a == .sum ? r : r.optional, span: span)
        case .min, .max:
            guard Self.isOrdered(t) else {
                mismatch("the argument of `\(a.rawValue)`", expected: "an ordered value", got: arg)
                return .invalid(span)
            }
            return TypedExpr(kind: .aggregate(a, arg), type: t.optional, span: span)
        case .first, .last:
            return TypedExpr(kind: .aggregate(a, arg), type: t.optional, span: span)
        }
    }
}

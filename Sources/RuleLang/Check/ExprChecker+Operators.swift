/// Unary and binary operators (spec 3.4), with the optional-value rules of 3.5.
extension ExprChecker {
    func unary(_ op: UnaryOperator, _ operand: Expr, _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        unary(op, check(operand, ctx), operand, span)
    }

    /// Kept out of the recursive path, so that a chain of `!` has small stack frames.
    @inline(never)
    private func unary(_ op: UnaryOperator, _ t: TypedExpr, _ operand: Expr, _ span: SourceSpan) -> TypedExpr {
        if t.type.isError { return .invalid(span) }
        switch op {
        case .not:
            guard t.type.base == .bool else {
                if unknownBareName(operand, t, expecting: .macro) { return .invalid(span) }
                mismatch("the operand of `!`", expected: "a bool", got: t)
                return .invalid(span)
            }
            return TypedExpr(kind: .unary(.not, t), type: .bool, span: span)
        case .negate:
            guard [.int, .float, .duration].contains(t.type.base) else {
                mismatch("the operand of unary `-`", expected: "a number or a duration", got: t)
                return .invalid(span)
            }
            return TypedExpr(kind: .unary(.negate, t), type: t.type, span: span)
        }
    }

    func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        if op == .match || op == .notMatch { return match(op, l, r, span, ctx) }
        let a = check(l, ctx), b = check(r, ctx)
        return binary(op, a, b, l, r, span)
    }

    /// Types an operator over typed operands: out of the recursive path, so that a long
    /// operator chain's stack frames stay small.
    @inline(never)
    private func binary(_ op: BinaryOperator, _ a: TypedExpr, _ b: TypedExpr, _ l: Expr, _ r: Expr, _ span: SourceSpan) -> TypedExpr {
        let make = { (t: RLType, a: TypedExpr, b: TypedExpr) in TypedExpr(kind: .binary(op, a, b), type: t, span: span) }
        let erroneous = a.type.isError || b.type.isError
        // Operators whose operands have fixed types check each operand on its own, so that an
        // error in one (it fits any use) does not hide a mistake in the other.
        switch op {
        case .or, .and:
            var ok = !erroneous
            for (t, x) in [(a, l), (b, r)] where !t.type.isError && t.type.base != .bool {
                ok = false
                if unknownBareName(x, t, expecting: .macro) { continue }
                mismatch("an operand of `\(op.rawValue)`", expected: "a bool", got: t, help: aggregateHelp(x))
            }
            return ok ? make(.bool, a, b) : .invalid(span)
        case .startsWith, .endsWith:
            var ok = !erroneous
            for t in [a, b] where !t.type.isError && t.type.base != .string {
                ok = false
                mismatch("an operand of `\(op.rawValue)`", expected: "a string", got: t)
            }
            return ok ? make(.bool, a, b) : .invalid(span)
        case .in, .notIn:
            if b.type.isError { return .invalid(span) }
            if a.type.isError {
                switch b.type.base {
                case .list, .map: break
                default:
                    if !unknownBareName(r, b, expecting: .list) {
                        mismatch("the right side of `\(op.rawValue)`", expected: "a list", got: b,
                                 help: ["write a list literal `[\"a\", \"b\"]` or the name of a declared list"])
                    }
                }
                return .invalid(span)
            }
        default:
            if erroneous { return .invalid(span) }
        }
        switch op {
        case .or, .and, .startsWith, .endsWith:
            fatalError("handled above")
        case .coalesce:
            guard let j = RLType.join(a.type.base, b.type) else {
                report(TypeCodes.mismatch, "the default of `??` must be `\(a.type.base)`, found `\(b.type)`", at: b.span,
                       label: "this is `\(b.type)`")
                return .invalid(span)
            }
            return make(j, a, b)
        case .eq, .ne, .lt, .le, .gt, .ge:
            if misspeltSeverity(l, a, against: b) || misspeltSeverity(r, b, against: a) { return .invalid(span) }
            let (x, y) = (severityString(a, against: b), severityString(b, against: a))
            guard let x, let y else { return .invalid(span) }
            checkEnum(x, y); checkEnum(y, x)
            let ordered = op != .eq && op != .ne
            guard let j = RLType.join(x.type.base, y.type.base), !(ordered && !Self.isOrdered(j)),
                  !(j == .map || j == .unknown), !isListType(j) || !ordered else {
                let aggregate = aggregateHelp(l) + aggregateHelp(r)
                report(TypeCodes.mismatch, "cannot compare `\(x.type)` with `\(y.type)` using `\(op.rawValue)`", at: span,
                       label: "`\(x.type)` \(op.rawValue) `\(y.type)`", help: aggregate.isEmpty ? comparisonHelp(x, y) : aggregate)
                return .invalid(span)
            }
            if op == .eq || op == .ne { warnBareNames(l, x, [(r, y)]) }
            return make(.bool, x, y)
        case .in, .notIn:
            switch b.type.base {
            case .list(let element):
                let x: TypedExpr?
                if element == .severity { x = severityString(a, against: TypedExpr(kind: .invalid, type: .severity, span: b.span)) } else { x = a }
                guard let x else { return .invalid(span) }
                let y = listSeverities(b, for: x.type.base)
                if y.type.isError { return .invalid(span) }
                let element = y.type.base == .list(.severity) ? RLType.severity : element
                if element == .unknown || RLType.join(x.type.base, element) != nil {
                    checkEnumList(x, y)
                    if case .list(let items) = r.kind, case .list(let typed) = y.kind { warnBareNames(l, x, Array(zip(items, typed))) }
                    return make(.bool, x, y)
                }
                report(TypeCodes.mismatch, "cannot look for `\(x.type)` in `\(b.type)`", at: span,
                       label: "`\(x.type)` \(op.rawValue) `\(b.type)`", help: comparisonHelp(x, b))
                return .invalid(span)
            case .map where a.type.base == .string:
                return make(.bool, a, b)
            default:
                if unknownBareName(r, b, expecting: .list) { return .invalid(span) }
                mismatch("the right side of `\(op.rawValue)`", expected: "a list", got: b,
                         help: ["write a list literal `[\"a\", \"b\"]` or the name of a declared list"])
                return .invalid(span)
            }
        case .contains:
            switch (a.type.base, b.type.base) {
            case (.string, .string), (.map, .string): return make(.bool, a, b)
            case (.list(let e), let x) where RLType.join(e, x) != nil: return make(.bool, a, b)
            default:
                report(TypeCodes.mismatch, "cannot test whether `\(a.type)` contains `\(b.type)`", at: span,
                       help: ["`contains` works on strings (substring), lists (element) and `labels` (key)"])
                return .invalid(span)
            }
        case .add, .sub, .mul, .div, .mod:
            guard let t = arithmetic(op, a.type.base, b.type.base) else {
                report(TypeCodes.mismatch, "cannot apply `\(op.rawValue)` to `\(a.type)` and `\(b.type)`", at: span,
                       label: "`\(a.type)` \(op.rawValue) `\(b.type)`", help: arithmeticHelp(op, a, b))
                return .invalid(span)
            }
            return make(a.type.isOptional || b.type.isOptional ? t.optional : t, a, b)
        case .match, .notMatch:
            fatalError("handled above")
        }
    }

    /// Without a label schema an unknown bare name is a label, so `service == api` compares two
    /// labels where the author meant the text `"api"`: warn when a bare name of text is compared
    /// with bare names read as labels (`labels.api` says a label is meant).
    private func warnBareNames(_ l: Expr, _ x: TypedExpr, _ others: [(Expr, TypedExpr)]) {
        guard env.labels == nil, case .name = l.kind, x.type.base == .string else { return }
        let bare = others.compactMap { (e, t) -> Name? in
            guard case .name(let n) = e.kind, case .label = t.kind else { return nil }
            return n
        }
        guard let first = bare.first else { return }
        let quoted = bare.map { "`\"\($0.text)\"`" }.joined(separator: ", ")
        let names = bare.map { "`\($0.text)`" }.joined(separator: ", ")
        report(WarningCodes.bareNameCompared, bare.count == 1 ? "`\(first.text)` is read as a label, not as text"
                                                              : "\(names) are read as labels, not as text",
               at: first.span, label: "the value of label `\(first.text)`",
               help: ["write the string \(quoted) if the text is meant, or `labels.\(first.text)` if the label is"])
    }

    private func isListType(_ t: RLType) -> Bool {
        if case .list = t { return true }
        return false
    }

    static func isOrdered(_ t: RLType) -> Bool { [.int, .float, .duration, .time, .severity, .string].contains(t) }

    /// Result type of an arithmetic operator on non-optional operand types, or nil.
    private func arithmetic(_ op: BinaryOperator, _ a: RLType, _ b: RLType) -> RLType? {
        switch (op, a, b) {
        case (_, .int, .int): return .int
        case (_, .int, .float), (_, .float, .int), (_, .float, .float): return .float
        case (.add, .string, .string): return .string
        case (.add, .duration, .duration), (.sub, .duration, .duration), (.mod, .duration, .duration): return .duration
        case (.add, .time, .duration), (.add, .duration, .time), (.sub, .time, .duration): return .time
        case (.sub, .time, .time): return .duration
        case (.mul, .duration, .int), (.mul, .duration, .float), (.mul, .int, .duration), (.mul, .float, .duration),
             (.div, .duration, .int), (.div, .duration, .float): return .duration
        case (.div, .duration, .duration): return .float
        default: return nil
        }
    }

    private func arithmeticHelp(_ op: BinaryOperator, _ a: TypedExpr, _ b: TypedExpr) -> [String] {
        let types = [a.type.base, b.type.base]
        if types.contains(.string) && types.contains(where: \.isNumeric) {
            return ["convert the string first, e.g. `float(\(a.type.base == .string ? "…" : "…"))` or `string(…)`"]
        }
        if op == .add && types.contains(.string) { return ["both sides of a string `+` must be strings: use `string(…)`"] }
        return []
    }

    private func comparisonHelp(_ a: TypedExpr, _ b: TypedExpr) -> [String] {
        let types = [a.type.base, b.type.base]
        if types.contains(.string) && types.contains(where: \.isNumeric) {
            return ["labels are strings: convert with `float(…)` or `int(…)`, or declare the label as `number` under `labels:`"]
        }
        if types.contains(.duration) && types.contains(where: \.isNumeric) {
            return ["write a duration literal such as `5m`"]
        }
        return []
    }

    /// A string literal compared with a severity: a severity name is accepted with W0005;
    /// anything else is E0306. Returns nil after an error.
    private func severityString(_ t: TypedExpr, against other: TypedExpr) -> TypedExpr? {
        guard other.type.base == .severity, case .literal(.string(let s)) = t.kind else { return t }
        guard let sev = Severity(name: s.value) else {
            report(TypeCodes.notSeverity, "`\"\(s.value)\"` is not a severity", at: t.span, label: "compared with a severity",
                   help: suggest(s.value, in: Severity.allCases.map(\.name)) + ["severities are info, warning, error and critical"])
            return nil
        }
        report(WarningCodes.severityString, "severity compared with the string `\"\(s.value)\"`", at: t.span,
               label: "a string literal", help: ["write the severity literal `\(sev.name)` without quotes"])
        return TypedExpr(kind: .literal(.severity(sev)), type: .severity, span: t.span)
    }

    /// A bare name close to a severity, compared with a severity (`severity >= eror`), is a
    /// misspelt severity, not a label: reported as E0306. Returns true when reported.
    private func misspeltSeverity(_ e: Expr, _ t: TypedExpr, against other: TypedExpr) -> Bool {
        guard other.type.base == .severity, case .name(let n) = e.kind, case .label = t.kind,
              let near = nearest(to: n.text, count: Severity.allCases.count, in: { Severity.allCases.map(\.name) }) else { return false }
        reportedUnknown.insert(n.span)
        report(TypeCodes.notSeverity, "`\(n.text)` is not a severity", at: n.span, label: "read as a label, compared with a severity",
               help: ["did you mean `\(near)`?", "severities are info, warning, error and critical"])
        return true
    }

    /// A list literal of strings tested against a severity: each item must name a severity.
    private func listSeverities(_ list: TypedExpr, for needle: RLType) -> TypedExpr {
        guard needle == .severity, list.type.base == .list(.string), case .list(let items) = list.kind else { return list }
        let probe = TypedExpr(kind: .invalid, type: .severity, span: list.span)
        let fixed = items.map { severityString($0, against: probe) }
        guard fixed.allSatisfy({ $0 != nil }) else { return .invalid(list.span) }
        return TypedExpr(kind: .list(fixed.map { $0! }), type: .list(.severity), span: list.span)
    }

    /// Literals compared with an enum label must name one of its values.
    private func checkEnum(_ label: TypedExpr, _ literal: TypedExpr) {
        guard case .label(let name) = label.kind, case .enumeration(let values)? = env.labels?[name],
              case .literal(.string(let s)) = literal.kind, !values.contains(s.value) else { return }
        report(TypeCodes.notInEnum, "`\"\(s.value)\"` is not a value of label `\(name)`", at: literal.span,
               label: "not in the enum", help: suggest(s.value, in: values) + ["`\(name)` is one of: \(values.joined(separator: ", "))"])
    }

    private func checkEnumList(_ label: TypedExpr, _ list: TypedExpr) {
        if case .list(let items) = list.kind { items.forEach { checkEnum(label, $0) } }
    }

    /// `s =~ "re"` / `s !~ "re"`: the right side must be a regex literal; it is compiled now.
    private func match(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ span: SourceSpan, _ ctx: Context) -> TypedExpr {
        match(op, check(l, ctx), r, span)
    }

    @inline(never)
    private func match(_ op: BinaryOperator, _ a: TypedExpr, _ r: Expr, _ span: SourceSpan) -> TypedExpr {
        guard case .literal(.string(let pattern)) = r.kind else {
            report(TypeCodes.regexNotLiteral, "the right side of `\(op.rawValue)` must be a regex literal", at: r.span,
                   label: "not a string literal", help: ["write the pattern as a string literal, e.g. `alertname =~ \"High.*\"`"])
            return .invalid(span)
        }
        if a.type.isError { return .invalid(span) }
        guard a.type.base == .string else {
            mismatch("the left side of `\(op.rawValue)`", expected: "a string", got: a)
            return .invalid(span)
        }
        if let d = RegexValidator.validate(pattern, span: r.span, anchored: true) {
            diagnostics.append(d)
            return .invalid(span)
        }
        return TypedExpr(kind: .match(a, RegexLiteral(pattern: pattern.value, span: r.span), negated: op == .notMatch),
                         type: .bool, span: span)
    }
}

/// Recursive-descent parser for RuleLang expressions (spec section 3; grammar/rulelang.ebnf).
/// One diagnostic per expression: the first syntax error stops that expression, and the pack
/// reader goes on with the next one.
public struct Parser {
    /// Deepest nesting of parentheses, brackets, calls and conditionals.
    public static let maxNesting = 200
    /// Deepest expression tree (long operator chains included).
    public static let maxDepth = 2_000

    private var tokens: [Token]
    private var pos = 0
    private var nesting = 0
    private let source: ExpressionSource
    private(set) var diagnostic: Diagnostic?

    private init(tokens: [Token], source: ExpressionSource) {
        self.tokens = tokens
        self.source = source
    }

    /// Parses a whole expression from `source` (or a byte range of it).
    public static func parse(_ source: ExpressionSource, range: Range<Int>? = nil) -> (Expr?, Diagnostic?) {
        var lexer = Lexer(source, range: range)
        guard let tokens = lexer.tokenize() else { return (nil, lexer.diagnostic) }
        var p = Parser(tokens: tokens, source: source)
        guard let e = p.expression() else { return (nil, p.diagnostic) }
        guard p.current.kind == .eof else {
            return (nil, p.unexpected(p.current, expecting: "an operator or the end of the expression"))
        }
        return (e, nil)
    }

    /// The tokens of `source`, for `rulec check --dump tokens`.
    public static func tokens(_ source: ExpressionSource, range: Range<Int>? = nil) -> ([Token], Diagnostic?) {
        var lexer = Lexer(source, range: range)
        return (lexer.tokenize() ?? [], lexer.diagnostic)
    }

    var current: Token { tokens[pos] }

    private func isKeyword(_ word: String, _ t: Token? = nil) -> Bool {
        let t = t ?? current
        return t.kind == .identifier && t.text == word
    }

    private mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    private func unexpected(_ t: Token, expecting what: String) -> Diagnostic {
        let found = t.kind == .eof ? "the end of the expression" : "`\(t.text)`"
        var help: [String] = []
        if t.kind == .eof { help = ["the expression stops too early: complete it"] }
        if t.text == "=" { help = ["use `==` to compare"] }
        return Diagnostic(SyntaxCodes.expected, "expected \(what), found \(found)", at: t.span,
                          label: "expected \(what)", help: help)
    }

    private mutating func fail(_ t: Token, expecting what: String) -> Expr? {
        if diagnostic == nil { diagnostic = unexpected(t, expecting: what) }
        return nil
    }

    private mutating func expect(_ kind: TokenKind, _ what: String) -> Token? {
        guard current.kind == kind else {
            _ = fail(current, expecting: what)
            return nil
        }
        return advance()
    }

    private func make(_ kind: ExprKind, _ span: SourceSpan) -> Expr { Expr(kind, span) }

    private mutating func checkDepth(_ e: Expr) -> Expr? {
        guard e.depth <= Parser.maxDepth else {
            if diagnostic == nil {
                diagnostic = Diagnostic(SyntaxCodes.tooDeep, "expression nested too deeply", at: e.span,
                                        label: "more than \(Parser.maxDepth) levels",
                                        help: ["split it into macros"])
            }
            return nil
        }
        return e
    }

    // expression = conditional
    mutating func expression() -> Expr? {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Parser.maxNesting else {
            if diagnostic == nil {
                diagnostic = Diagnostic(SyntaxCodes.tooDeep, "expression nested too deeply", at: current.span,
                                        label: "more than \(Parser.maxNesting) levels of nesting",
                                        help: ["split it into macros"])
            }
            return nil
        }
        return conditional()
    }

    // conditional = coalesce [ "?" expression ":" expression ]
    private mutating func conditional() -> Expr? {
        guard let c = coalesce() else { return nil }
        guard current.kind == .question else { return c }
        _ = advance()
        guard let a = expression() else { return nil }
        guard expect(.colon, "`:` of the conditional") != nil else { return nil }
        guard let b = expression() else { return nil }
        return checkDepth(make(.conditional(c, a, b), c.span.merged(b.span)))
    }

    // coalesce = or [ "??" coalesce ]   (right-associative)
    private mutating func coalesce() -> Expr? {
        guard let l = or() else { return nil }
        guard current.kind == .coalesce else { return l }
        _ = advance()
        guard let r = coalesce() else { return nil }
        return checkDepth(make(.binary(.coalesce, l, r), l.span.merged(r.span)))
    }

    // or = and { ("||" | "or") and }
    private mutating func or() -> Expr? {
        guard var l = and() else { return nil }
        while current.kind == .orOr || isKeyword("or") {
            _ = advance()
            guard let r = and() else { return nil }
            guard let e = checkDepth(make(.binary(.or, l, r), l.span.merged(r.span))) else { return nil }
            l = e
        }
        return l
    }

    // and = not { ("&&" | "and") not }
    private mutating func and() -> Expr? {
        guard var l = not() else { return nil }
        while current.kind == .andAnd || isKeyword("and") {
            _ = advance()
            guard let r = not() else { return nil }
            guard let e = checkDepth(make(.binary(.and, l, r), l.span.merged(r.span))) else { return nil }
            l = e
        }
        return l
    }

    // not = ("!" | "not") not | comparison      (`!a == b` is `!(a == b)`)
    private mutating func not() -> Expr? {
        if current.kind == .bang || (isKeyword("not") && !isKeyword("in", tokens[min(pos + 1, tokens.count - 1)])) {
            let op = advance()
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= Parser.maxNesting else { return expression() }
            guard let e = not() else { return nil }
            return checkDepth(make(.unary(.not, e), op.span.merged(e.span)))
        }
        return comparison()
    }

    /// The comparison operator at the cursor, and how many tokens it takes.
    private func comparisonOperator() -> (BinaryOperator, Int)? {
        switch current.kind {
        case .eq: return (.eq, 1)
        case .ne: return (.ne, 1)
        case .lt: return (.lt, 1)
        case .le: return (.le, 1)
        case .gt: return (.gt, 1)
        case .ge: return (.ge, 1)
        case .match: return (.match, 1)
        case .notMatch: return (.notMatch, 1)
        case .identifier:
            switch current.text {
            case "in": return (.in, 1)
            case "not" where isKeyword("in", tokens[min(pos + 1, tokens.count - 1)]): return (.notIn, 2)
            case "contains": return (.contains, 1)
            case "startswith": return (.startsWith, 1)
            case "endswith": return (.endsWith, 1)
            default: return nil
            }
        default: return nil
        }
    }

    // comparison = additive [ compare-op additive ]   (non-associative)
    private mutating func comparison() -> Expr? {
        guard let l = additive() else { return nil }
        guard let (op, width) = comparisonOperator() else { return l }
        for _ in 0..<width { _ = advance() }
        guard let r = additive() else { return nil }
        if comparisonOperator() != nil {
            if diagnostic == nil {
                diagnostic = Diagnostic(SyntaxCodes.chainedComparison, "comparison operators do not chain",
                                        at: current.span, label: "second comparison",
                                        help: ["combine comparisons with `&&`, e.g. `a < b && b < c`"])
            }
            return nil
        }
        return checkDepth(make(.binary(op, l, r), l.span.merged(r.span)))
    }

    // additive = multiplicative { ("+" | "-") multiplicative }
    private mutating func additive() -> Expr? {
        guard var l = multiplicative() else { return nil }
        while current.kind == .plus || current.kind == .minus {
            let op: BinaryOperator = advance().kind == .plus ? .add : .sub
            guard let r = multiplicative() else { return nil }
            guard let e = checkDepth(make(.binary(op, l, r), l.span.merged(r.span))) else { return nil }
            l = e
        }
        return l
    }

    // multiplicative = unary { ("*" | "/" | "%") unary }
    private mutating func multiplicative() -> Expr? {
        guard var l = unary() else { return nil }
        while [.star, .slash, .percent].contains(current.kind) {
            let k = advance().kind
            let op: BinaryOperator = k == .star ? .mul : k == .slash ? .div : .mod
            guard let r = unary() else { return nil }
            guard let e = checkDepth(make(.binary(op, l, r), l.span.merged(r.span))) else { return nil }
            l = e
        }
        return l
    }

    // unary = "-" unary | "!" unary | postfix
    private mutating func unary() -> Expr? {
        if current.kind == .minus || current.kind == .bang {
            let op = advance()
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= Parser.maxNesting else { return expression() }
            guard let e = unary() else { return nil }
            return checkDepth(make(.unary(op.kind == .minus ? .negate : .not, e), op.span.merged(e.span)))
        }
        return postfix()
    }

    // postfix = primary { "." identifier | "[" expression "]" | "(" [ arguments ] ")" }
    private mutating func postfix() -> Expr? {
        guard var e = primary() else { return nil }
        while true {
            switch current.kind {
            case .dot:
                _ = advance()
                guard current.kind == .identifier else { return fail(current, expecting: "a member name after `.`") }
                let n = advance()
                e = make(.member(e, Name(text: n.text, span: n.span)), e.span.merged(n.span))
            case .lbracket:
                _ = advance()
                guard let index = expression() else { return nil }
                guard let close = expect(.rbracket, "`]`") else { return nil }
                e = make(.index(e, index), e.span.merged(close.span))
            case .lparen:
                guard case .name(let callee) = e.kind else { return fail(current, expecting: "an operator") }
                _ = advance()
                var args: [Expr] = []
                if current.kind != .rparen {
                    while true {
                        guard let a = expression() else { return nil }
                        args.append(a)
                        if current.kind == .comma { _ = advance(); continue }
                        break
                    }
                }
                guard let close = expect(.rparen, "`,` or `)` in the argument list") else { return nil }
                e = make(.call(callee, args), e.span.merged(close.span))
            default:
                return checkDepth(e)
            }
            guard let checked = checkDepth(e) else { return nil }
            e = checked
        }
    }

    // primary = literal | identifier | "(" expression ")" | "[" [ expression { "," expression } [","] ] "]"
    private mutating func primary() -> Expr? {
        let t = current
        switch t.kind {
        case .int: _ = advance(); return make(.literal(.int(t.intValue)), t.span)
        case .float: _ = advance(); return make(.literal(.float(t.floatValue)), t.span)
        case .duration: _ = advance(); return make(.literal(.duration(t.intValue)), t.span)
        case .string:
            _ = advance()
            return make(.literal(.string(StringLiteral(value: t.stringValue, offsets: t.stringOffsets))), t.span)
        case .identifier:
            switch t.text {
            case "true", "false":
                _ = advance(); return make(.literal(.bool(t.text == "true")), t.span)
            case "info", "warning", "error", "critical":
                _ = advance(); return make(.literal(.severity(Severity(name: t.text)!)), t.span)
            case "and", "or", "not", "in", "contains", "startswith", "endswith":
                return fail(t, expecting: "an expression")
            default:
                _ = advance(); return make(.name(Name(text: t.text, span: t.span)), t.span)
            }
        case .lparen:
            _ = advance()
            guard let e = expression() else { return nil }
            guard expect(.rparen, "`)`") != nil else { return nil }
            return e
        case .lbracket:
            let open = advance()
            var items: [Expr] = []
            while current.kind != .rbracket {
                guard let item = expression() else { return nil }
                items.append(item)
                if current.kind == .comma { _ = advance(); continue }
                guard current.kind == .rbracket else { return fail(current, expecting: "`,` or `]` in the list") }
            }
            let close = advance()
            return make(.list(items), open.span.merged(close.span))
        default:
            return fail(t, expecting: "an expression")
        }
    }
}

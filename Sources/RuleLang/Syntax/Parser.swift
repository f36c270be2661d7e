/// Recursive-descent parser for RuleLang expressions (spec section 3; grammar/rulelang.ebnf).
/// A syntax error does not stop the expression: the broken operand of `&&`/`||`, argument,
/// list item or parenthesised expression is skipped to the next `&&`, `||`, `,` or closing
/// bracket and an error node (`ExprKind.invalid`) stands for it, so the rest is parsed and
/// checked. Only nesting past the limits abandons the expression.
public struct Parser {
    /// Deepest nesting of parentheses, brackets, calls and conditionals.
    public static let maxNesting = 200
    /// Deepest expression tree (long operator chains included).
    public static let maxDepth = 2_000

    private var tokens: [Token]
    private var pos = 0
    private var nesting = 0
    private let source: ExpressionSource
    private(set) var diagnostics: [Diagnostic] = []
    /// Tokens (by position) an error was reported at: a second error there is a cascade.
    private var reportedAt: Set<Int> = []
    /// Set past the nesting limits: no recovery, the expression is given up.
    private var abandoned = false

    private init(tokens: [Token], source: ExpressionSource) {
        self.tokens = tokens
        self.source = source
    }

    /// Parses a whole expression from `source` (or a byte range of it): the expression, with
    /// error nodes where it did not parse, and every syntax error (nil when it was given up).
    public static func parse(_ source: ExpressionSource, range: Range<Int>? = nil) -> (Expr?, [Diagnostic]) {
        var lexer = Lexer(source, range: range)
        guard let tokens = lexer.tokenize() else { return (nil, lexer.diagnostics) }
        var p = Parser(tokens: tokens, source: source)
        // Misspelt operators were reported where they are: no second error at their tokens.
        p.diagnostics = lexer.diagnostics
        if !lexer.diagnostics.isEmpty {
            for (k, t) in tokens.enumerated() where lexer.diagnostics.contains(where: { $0.span?.start == t.span.start }) {
                p.reportedAt.insert(k)
            }
        }
        var e = p.expression()
        // Text after a complete expression (`team = "x" && …`): reported, skipped to the next
        // `&&` or `||`, and what follows still parsed, beside an error node.
        var rounds = 0
        while !p.abandoned && p.current.kind != .eof && rounds < tokens.count {
            rounds += 1
            let start = p.pos
            _ = p.fail(p.current, expecting: "an operator or the end of the expression")
            p.skipToOperator()
            // The complete expression is part of the mistake: an error node covers both.
            let junk = p.invalid(from: start)
            let left = e.map { p.make(.invalid, $0.span.merged(junk.span)) } ?? junk
            guard p.current.kind != .eof else { e = left; break }
            _ = p.advance()
            guard let rest = p.expression() else { e = left; break }
            e = p.make(.binary(.and, left, rest), left.span.merged(rest.span))
        }
        if p.abandoned { e = nil }
        return (e, p.diagnostics.sorted { ($0.span?.start ?? 0) < ($1.span?.start ?? 0) })
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
        report(unexpected(t, expecting: what))
        return nil
    }

    /// Records a syntax error at the cursor's token, unless one is there already.
    private mutating func report(_ d: Diagnostic) {
        if reportedAt.insert(pos).inserted { diagnostics.append(d) }
    }

    /// Gives the expression up: nesting past the limits is reported once, and not recovered from.
    private mutating func abandon(_ d: Diagnostic) {
        if !abandoned { diagnostics.append(d) }
        abandoned = true
    }

    /// An error node for the tokens from `start` to the cursor (at least the token at `start`).
    private func invalid(from start: Int) -> Expr {
        let last = max(start, pos - 1)
        return make(.invalid, tokens[start].span.merged(tokens[last].span))
    }

    /// Whether `t` ends an operand of `&&` or `||` when outside brackets.
    private func endsOperand(_ t: Token) -> Bool {
        switch t.kind {
        case .andAnd, .orOr, .comma, .question, .colon, .coalesce, .eof: true
        case .identifier: t.text == "and" || t.text == "or"
        default: false
        }
    }

    /// After an error in an operand that began at token `start`: moves the cursor, over
    /// balanced brackets from the operand's start, to the first token past the error that ends
    /// an operand, or to the closing bracket of an enclosing group.
    private mutating func skipOperand(from start: Int) {
        let failed = pos
        var depth = 0, i = start
        scan: while i < tokens.count - 1 {
            switch tokens[i].kind {
            case .lparen, .lbracket: depth += 1
            case .rparen, .rbracket:
                if depth == 0 { break scan }
                depth -= 1
            default:
                if depth == 0 && i >= failed && endsOperand(tokens[i]) { break scan }
            }
            i += 1
        }
        pos = max(pos, i)
        atEndAfterError()
    }

    /// A recovery that ran to the end has had its error: the missing closers or operands at
    /// the end are not reported again.
    private mutating func atEndAfterError() {
        if current.kind == .eof { reportedAt.insert(pos) }
    }

    /// After an error inside brackets: moves the cursor, over balanced brackets, to the next
    /// `,` (when `commas`) or the closing bracket of the group, or the end.
    private mutating func skipInBrackets(commas: Bool) {
        var depth = 0
        while current.kind != .eof {
            switch current.kind {
            case .lparen, .lbracket: depth += 1
            case .rparen, .rbracket:
                if depth == 0 { return }
                depth -= 1
            case .comma where commas && depth == 0: return
            default: break
            }
            _ = advance()
        }
        atEndAfterError()
    }

    /// At the top level, after text that follows a complete expression: moves the cursor over
    /// balanced (and stray closing) brackets to the next `&&` or `||`, or the end.
    private mutating func skipToOperator() {
        var depth = 0
        while current.kind != .eof {
            switch current.kind {
            case .lparen, .lbracket: depth += 1
            case .rparen, .rbracket: depth = max(0, depth - 1)
            case .andAnd, .orOr where depth == 0: return
            case .identifier where depth == 0 && (current.text == "and" || current.text == "or"): return
            default: break
            }
            _ = advance()
        }
    }

    /// An operand of `&&` or `||`: on a syntax error, the rest of it is skipped and an error
    /// node stands for it (nil only when the expression is given up).
    private mutating func operand() -> Expr? {
        let start = pos
        if let e = not() { return e }
        guard !abandoned else { return nil }
        skipOperand(from: start)
        return invalid(from: start)
    }

    /// One expression inside brackets, ended by `,` (when `commas`) or `closer`: on a syntax
    /// error, or text before the `,` or closer, the rest of it up to them is skipped and an
    /// error node stands for it (nil only when the expression is given up).
    private mutating func element(closer: TokenKind, commas: Bool, _ what: String) -> Expr? {
        let start = pos
        let e = expression()
        if abandoned { return nil }
        if let e, current.kind == closer || (commas && current.kind == .comma) { return e }
        if e != nil { _ = fail(current, expecting: what) }
        skipInBrackets(commas: commas)
        return invalid(from: start)
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
            abandon(Diagnostic(SyntaxCodes.tooDeep, "expression nested too deeply", at: e.span,
                               label: "more than \(Parser.maxDepth) levels",
                               help: ["split it into macros"]))
            return nil
        }
        return e
    }

    // expression = conditional
    mutating func expression() -> Expr? {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Parser.maxNesting else {
            abandon(Diagnostic(SyntaxCodes.tooDeep, "expression nested too deeply", at: current.span,
                               label: "more than \(Parser.maxNesting) levels of nesting",
                               help: ["split it into macros"]))
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
        guard var l = operand() else { return nil }
        while current.kind == .andAnd || isKeyword("and") {
            _ = advance()
            guard let r = operand() else { return nil }
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
            report(Diagnostic(SyntaxCodes.chainedComparison, "comparison operators do not chain",
                              at: current.span, label: "second comparison",
                              help: ["combine comparisons with `&&`, e.g. `a < b && b < c`"]))
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
                        guard let a = element(closer: .rparen, commas: true, "`,` or `)` in the argument list") else { return nil }
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
            guard let e = element(closer: .rparen, commas: false, "`)`") else { return nil }
            guard expect(.rparen, "`)`") != nil else { return nil }
            return e
        case .lbracket:
            let open = advance()
            var items: [Expr] = []
            while current.kind != .rbracket {
                guard let item = element(closer: .rbracket, commas: true, "`,` or `]` in the list") else { return nil }
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

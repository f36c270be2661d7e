import Testing
@testable import RuleLang

/// Parses an expression and prints it as an S-expression (or its first error).
private func sexpr(_ text: String) -> String {
    let (e, d) = Parser.parse(ExpressionSource(file: SourceFile(path: "e", text: text)))
    if let first = d.first { return "error \(first.code.id) at \(position(first)): \(first.message)" }
    return e.map(ASTPrinter.print) ?? "nothing"
}

/// Every error of an expression, then what was recovered (`<error>` where it did not parse).
private func recovered(_ text: String) -> String {
    let (e, d) = Parser.parse(ExpressionSource(file: SourceFile(path: "e", text: text)))
    return d.map { "\($0.code.id) at \(position($0)): \($0.message)\n" }.joined() + (e.map(ASTPrinter.print) ?? "nothing")
}

@Suite struct ParserTests {
    @Test(arguments: [
        ("a || b && c", "(|| a (&& b c))"),
        ("a && b || c", "(|| (&& a b) c)"),
        ("a or b and c", "(|| a (&& b c))"),
        ("!a == b", "(! (== a b))"),
        ("not a && b", "(&& (! a) b)"),
        ("!a && !b", "(&& (! a) (! b))"),
        ("a + b * c", "(+ a (* b c))"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b % c", "(% (/ a b) c)"),
        ("-a * b", "(* (- a) b)"),
        ("--a", "(- (- a))"),
        ("a ?? b ?? c", "(?? a (?? b c))"),
        ("a ? b : c ? d : e", "(?: a b (?: c d e))"),
        ("a ?? b ? c : d", "(?: (?? a b) c d)"),
        ("a || b ?? c", "(?? (|| a b) c)"),
        ("a == b && c != d", "(&& (== a b) (!= c d))"),
        ("x in [1, 2, 3,]", "(in x [1 2 3])"),
        ("x not in l", "(not in x l)"),
        ("s contains \"a\"", "(contains s \"a\")"),
        ("s startswith 'a' || s endswith \"b\"", "(|| (startswith s \"a\") (endswith s \"b\"))"),
        ("a.b.c", "(. (. a b) c)"),
        ("labels[\"x-y\"]", "([] labels \"x-y\")"),
        ("f(a, b)(c)", "error E0104 at 1:8: expected an operator, found `(`"),
        ("len(split(s, \",\"))", "(call len (call split s \",\"))"),
        ("age() > 1h30m", "(> (call age) 1h30m)"),
        ("250ms < 1s", "(< 250ms 1s)"),
        ("7d", "7d"),
        ("1e3 + 0.5", "(+ 1000.0 0.5)"),
        ("severity >= error", "(>= severity error)"),
        ("\"a\\n\\t\\u{2192}\"", "\"a\\n\\t→\""),
        ("a + (b + c)", "(+ a (+ b c))"),
        ("a =~ \"x\" && b !~ 'y'", "(&& (=~ a \"x\") (!~ b \"y\"))"),
    ])
    func precedenceAndAssociativity(input: String, expected: String) {
        #expect(sexpr(input) == expected)
    }

    @Test(arguments: [
        ("a == b == c", "error E0105 at 1:8: comparison operators do not chain"),
        ("a < b < c", "error E0105 at 1:7: comparison operators do not chain"),
        ("a &&", "error E0104 at 1:5: expected an expression, found the end of the expression"),
        ("(a", "error E0104 at 1:3: expected `)`, found the end of the expression"),
        ("a = b", "error E0101 at 1:3: unexpected character `=`"),
        ("\"abc", "error E0102 at 1:1: unterminated string"),
        ("\"a\\qb\"", "error E0103 at 1:3: invalid escape `\\q`"),
        ("5x", "error E0012 at 1:2: bad duration `5x`"),
        ("99999999999999999999", "error E0107 at 1:1: integer `99999999999999999999` is out of range"),
        ("a b", "error E0104 at 1:3: expected an operator or the end of the expression, found `b`"),
        ("[1, 2", "error E0104 at 1:6: expected `,` or `]` in the list, found the end of the expression"),
    ])
    func syntaxErrors(input: String, expected: String) {
        #expect(sexpr(input) == expected)
    }

    /// An error inside an expression hides nothing after it: each broken operand of `&&`/`||`,
    /// argument, list item or parenthesised group is reported and stands as an error node, and
    /// the parse goes on at the next `&&`, `||`, `,` or closing bracket.
    @Test(arguments: [
        ("a == && b < c < d || f(x y, , z) && [1 2]", """
         E0104 at 1:6: expected an expression, found `&&`
         E0105 at 1:15: comparison operators do not chain
         E0104 at 1:26: expected `,` or `)` in the argument list, found `y`
         E0104 at 1:29: expected an expression, found `,`
         E0104 at 1:40: expected `,` or `]` in the list, found `2`
         (|| (&& <error> <error>) (&& (call f <error> <error> z) [<error>]))
         """),
        ("a b && c ==", """
         E0104 at 1:3: expected an operator or the end of the expression, found `b`
         E0104 at 1:12: expected an expression, found the end of the expression
         (&& <error> <error>)
         """),
        ("a = b || c & d", """
         E0101 at 1:3: unexpected character `=`
         E0101 at 1:12: unexpected character `&`
         (|| (== a b) (&& c d))
         """),
        ("(a b) && (c ||) && d", """
         E0104 at 1:4: expected `)`, found `b`
         E0104 at 1:15: expected an expression, found `)`
         (&& (&& <error> (|| c <error>)) d)
         """),
    ])
    func errorsInsideOneExpression(input: String, expected: String) {
        #expect(recovered(input) == expected)
    }

    @Test func tenThousandParenthesesGiveADiagnostic() {
        let text = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        let result = sexpr(text)
        #expect(result.hasPrefix("error E0106"))
    }

    @Test func longOperatorChainsAreBounded() {
        let text = (0..<5_000).map { "a\($0) == \"x\"" }.joined(separator: " || ")
        #expect(sexpr(text).hasPrefix("error E0106"))
        let ok = (0..<500).map { "a\($0) == \"x\"" }.joined(separator: " || ")
        #expect(sexpr(ok).hasPrefix("(|| (||"))
    }

    @Test func deepUnaryAndNotAreBounded() {
        #expect(sexpr(String(repeating: "!", count: 10_000) + "a").hasPrefix("error E0106"))
        #expect(sexpr(String(repeating: "-", count: 10_000) + "a").hasPrefix("error E0106"))
    }

    @Test func templateHoles() {
        let file = SourceFile(path: "t", text: "x {{ a + \"}}\" }} y {{b}}")
        let (t, d) = TemplateParser.parse(ExpressionSource(file: file), span: SourceSpan(file: file, start: 0, end: file.bytes.count))
        #expect(d.isEmpty)
        let parts = t!.parts.map { part -> String in
            switch part {
            case .text(let s): return "text(\(s))"
            case .expr(let e): return "expr\(ASTPrinter.print(e))"
            }
        }
        #expect(parts == ["text(x )", "expr(+ a \"}}\")", "text( y )", "exprb"])
    }
}

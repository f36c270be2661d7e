extension PackChecker {
    /// Checks a condition written outside the pack's files (a runtime silence from the API)
    /// against the pack's names: its lists, macros, label schema and windows; it must be a bool.
    /// The diagnostics point into a source named `name`.
    public static func checkCondition(_ source: String, named name: String, in pack: Pack) -> (TypedExpr?, [Diagnostic]) {
        let checker = PackChecker(pack: pack, options: CheckOptions())
        let file = SourceFile(path: name, text: source)
        let (expr, syntax) = Parser.parse(ExpressionSource(file: file))
        guard let expr, syntax.isEmpty else { return (nil, syntax) }
        let typed = checker.exprs.condition(expr, "a silence")
        let errors = checker.exprs.diagnostics.filter { $0.severity == .error }
        return (errors.isEmpty ? typed : nil, checker.exprs.diagnostics)
    }
}

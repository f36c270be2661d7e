import RuleLang

/// Replaces a macro reference by its body. Safety: a macro is a pure named expression checked
/// once; the reference only names it for dumps, so inlining changes no value and no error.
enum MacroInlining {
    @Sendable static func run(_ e: TypedExpr) -> TypedExpr {
        e.rewrite { node in
            if case .macro(_, let body) = node.kind { return body }
            return node
        }
    }
}

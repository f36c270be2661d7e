import RuleLang

/// The optimizer: an ordered list of small passes over typed expressions, each in its own file
/// with its safety rule. Passes never change what an expression evaluates to, errors included.
public enum Optimizer {
    public static func optimize(_ e: TypedExpr) -> TypedExpr {
        var e = e
        for pass in passes { e = pass(e) }
        return e
    }

    static let passes: [@Sendable (TypedExpr) -> TypedExpr] = []
}

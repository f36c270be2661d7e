import RuleLang

/// Removes branches a constant decides. Safety: only a constant on the side evaluated first is
/// used, so nothing that would have run (and could fail) is dropped unless it would have been
/// skipped at run time too: `false && x` → `false`, `true || x` → `true`, `c ? a : b` with a
/// constant `c` → the chosen branch, `x ?? d` with a never-missing `x` → `x`; and `true && x` /
/// `false || x` → `x` only when `x` is a plain `bool` (never missing), since the operators turn a
/// missing value into `false`.
enum DeadBranches {
    @Sendable static func run(_ e: TypedExpr) -> TypedExpr {
        e.rewrite { node in
            switch node.kind {
            case .binary(.and, let l, let r):
                if case .literal(.bool(false)) = l.kind { return l }
                if case .literal(.bool(true)) = l.kind, r.type == .bool { return r }
            case .binary(.or, let l, let r):
                if case .literal(.bool(true)) = l.kind { return l }
                if case .literal(.bool(false)) = l.kind, r.type == .bool { return r }
            case .conditional(let c, let a, let b):
                if case .literal(.bool(let x)) = c.kind { return x ? a : b }
            case .binary(.coalesce, let l, _) where !l.type.isOptional && l.type != .error:
                return l
            default:
                break
            }
            return node
        }
    }
}

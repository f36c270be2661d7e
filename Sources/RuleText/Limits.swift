/// Limits the checker and the VM must agree on, declared once: the checker rejects a pack over
/// them with a diagnostic, so the compiled code never meets them as a failure at run time.
public enum RuleLimits {
    /// Deepest nesting of `any`/`all`: the checker's limit and the VM's loop registers.
    public static let loopDepth = 8
    /// Most elements of a list computed at run time (`split` returns at most this many parts,
    /// the last keeping the rest), so `any`/`all` over one have a bounded cost.
    public static let computedListLength = 256
    /// The instruction budget per rule when none is given (spec 3.8), for the checker's cost
    /// estimate and the compiled program alike.
    public static let defaultRuleBudget = 10_000
    /// The largest per-rule instruction budget a program may declare: the verifier rejects a
    /// larger one, and the compiler holds any budget it is given within it.
    public static let maxRuleBudget = 10_000_000
}

/// Cost arithmetic that stops at `Int.max` instead of trapping: a pack's worst case can exceed
/// any integer (nested `any` over long lists, macros that use each other twice), and such a
/// rule is simply over its budget.
public enum Saturating {
    /// `a + b`, or `Int.max` when it overflows.
    public static func add(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : r
    }

    /// `a × b`, or `Int.max` when it overflows (costs are never negative).
    public static func multiply(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : r
    }
}

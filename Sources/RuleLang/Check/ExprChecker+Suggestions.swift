import RuleText
/// Did-you-mean hints under a budget: each comparison is cheap, but a pack can hold tens of
/// thousands of unknown names and as many candidates, and a hint is never worth quadratic time.
extension ExprChecker {
    /// Candidate comparisons one pack's hints may make; once spent, errors come without hints.
    static let suggestionBudget = 100_000

    /// The closest of `count` candidates to `name` (made only when the budget allows), or nil.
    func nearest<S: Sequence<String>>(to name: String, count: Int, in candidates: () -> S) -> String? {
        guard suggestionsLeft >= count else { return nil }
        suggestionsLeft -= count
        return closest(to: name, in: candidates())
    }

    /// An aggregate's name written bare (`count >= 3`) is read as a label: say to call it.
    func aggregateHelp(_ n: Name) -> [String] {
        guard let a = Aggregate(rawValue: n.text) else { return [] }
        return ["did you mean `\(a.rawValue)()`? an aggregate is called with parentheses, in a correlate `condition` or `emit`"]
    }

    func aggregateHelp(_ e: Expr) -> [String] {
        guard case .name(let n) = e.kind else { return [] }
        return aggregateHelp(n)
    }

    /// `did you mean` help for `name` among `candidates`, within the budget.
    func suggest<C: Collection<String>>(_ name: String, in candidates: C) -> [String] {
        nearest(to: name, count: candidates.count) { candidates }.map { ["did you mean `\($0)`?"] } ?? []
    }
}

import RuleLang

extension Alertmanager {
    /// `GET /api/v2/silences?filter=…` at `now`, as Alertmanager answers it: a silence is kept
    /// when every filter matcher holds on the silence's own matchers read as labels (name →
    /// value or pattern); a filter with an empty value passes when the silence has no matcher
    /// of that name (for `=`, `=~`) or has one (for `!=`, `!~`). The list is ordered as
    /// Alertmanager orders it: active by `endsAt`, then pending by `startsAt`, then expired,
    /// latest `endsAt` first.
    public static func listSilences(_ silences: [StoredSilence], filter: [String], now: Int64) throws(CompatProblem) -> [GettableSilence] {
        var tests: [MatcherTest] = []
        for text in filter {
            switch MatcherCondition.parse(text) {
            case .success(let m): tests.append(try MatcherTest(m))
            case .failure(let e): throw CompatProblem(field: "filter", message: e.reason)
            }
        }
        let kept = silences.filter { s in
            var labels: [String: String] = [:]
            for m in s.matchers { labels[m.name] = m.value }
            return tests.allSatisfy { t in
                let present = labels[t.matcher.name] != nil
                switch t.matcher.op {
                case .notEqual, .notRegex: if t.matcher.value.isEmpty && present { return true }
                case .equal, .regex: if t.matcher.value.isEmpty && !present { return true }
                }
                return t.matches(labels: labels)
            }
        }
        func rank(_ s: StoredSilence) -> Int {
            switch s.state(at: now) {
            case .active: 0
            case .pending: 1
            case .expired: 2
            }
        }
        return kept.sorted { a, b in
            let (ra, rb) = (rank(a), rank(b))
            if ra != rb { return ra < rb }
            switch ra {
            case 0: return (a.endsAt, a.id) < (b.endsAt, b.id)
            case 1: return (a.startsAt, a.id) < (b.startsAt, b.id)
            default: return (a.endsAt, b.id) > (b.endsAt, a.id)
            }
        }.map { $0.gettable(at: now) }
    }
}

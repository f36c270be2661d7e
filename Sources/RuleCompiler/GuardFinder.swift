import RuleLang
import RuleRuntime
import RuleVM

/// Finds guards in typed conditions: an equality or `in` test of a label against constant
/// strings in the top-level conjunction (or a disjunction of such tests on one label).
enum GuardFinder {
    /// The guard of `e`, or why there is none.
    static func find(_ e: TypedExpr, lists: [String: PlainValue]) -> Result<RuleGuard, Unindexed> {
        switch e.kind {
        case .macro(_, let body):
            return find(body, lists: lists)
        case .binary(.and, let l, let r):
            let a = find(l, lists: lists), b = find(r, lists: lists)
            switch (a, b) {
            case (.success(let x), .success(let y)): return .success(x.values.count <= y.values.count ? x : y)
            case (.success, _): return a
            case (_, .success): return b
            default: return .failure(.noLabelTest)
            }
        case .binary(.or, let l, let r):
            guard case .success(let x) = find(l, lists: lists), case .success(let y) = find(r, lists: lists), x.label == y.label else {
                return .failure(.disjunction)
            }
            // Distinct by bytes (RuleLang compares bytes: two spellings of one text are two values).
            var seen = Set<[UInt8]>()
            return .success(RuleGuard(label: x.label, values: (x.values + y.values).filter { seen.insert(Array($0.utf8)).inserted }.sorted()))
        case .binary(.eq, let l, let r):
            if let n = label(l), case .literal(.string(let s)) = r.kind { return .success(RuleGuard(label: n, values: [s.value])) }
            if let n = label(r), case .literal(.string(let s)) = l.kind { return .success(RuleGuard(label: n, values: [s.value])) }
            return .failure(.noLabelTest)
        case .binary(.in, let l, let r):
            guard let n = label(l), let values = strings(r, lists) else { return .failure(.noLabelTest) }
            return .success(RuleGuard(label: n, values: values))
        case .literal(.bool(true)):
            return .failure(.matchesEverything)
        default:
            return .failure(.noLabelTest)
        }
    }

    static func label(_ e: TypedExpr) -> String? {
        if case .label(let n) = e.kind, e.type.base == .string { return n }
        if case .field(.alertname) = e.kind { return Program.alertnameFieldSlot }
        if case .macro(_, let body) = e.kind { return label(body) }
        return nil
    }

    static func strings(_ e: TypedExpr, _ lists: [String: PlainValue]) -> [String]? {
        let items: [PlainValue]
        switch e.kind {
        case .namedList(let n, _):
            guard case .list(let xs)? = lists[n] else { return nil }
            items = xs
        case .list(let xs):
            var out: [PlainValue] = []
            for x in xs {
                guard case .literal(.string(let s)) = x.kind else { return nil }
                out.append(.string(s.value))
            }
            items = out
        default: return nil
        }
        var out: [String] = []
        for i in items {
            guard case .string(let s) = i else { return nil }
            out.append(s)
        }
        return out
    }
}

import Foundation
import RuleLang
import RuleText
import RuleVM

/// The reference evaluator: a small tree-walking interpreter over `TypedExpr` that implements
/// docs/semantics.md directly. It is the oracle the VM is tested against, so it shares no code
/// with the VM except the single definitions of text forms (`CanonicalText`, `TimeMath`,
/// `parseDuration`, `parseRFC3339`). Budgets are not modelled: `usage` reports how much scratch
/// memory the VM would need at most, so tests can stay far below the VM's memory budget.
public struct ReferenceEvaluator: Sendable {
    public let alert: AlertInput
    public let now: Int64
    public let timezone: String
    public let windows: [String: WindowSpec]
    public let lists: [String: PlainValue]

    public init(alert: AlertInput, now: Int64, timezone: String = "UTC", windows: [String: WindowSpec] = [:],
                lists: [String: PlainValue] = [:]) {
        self.alert = alert
        self.now = now
        self.timezone = timezone
        self.windows = windows
        self.lists = lists
    }

    /// An upper bound of the scratch memory an evaluation computes (strings and list values).
    public struct Usage: Sendable, Equatable {
        /// UTF-8 bytes of every string computed (concatenations, case mappings, `string(x)`, …).
        public var stringBytes = 0
        /// Elements of every list computed (non-constant list literals, `split`).
        public var listValues = 0
    }

    /// The value of `e`, or the kind of run-time error (overflow, division by zero, out of range,
    /// regex limit).
    public func evaluate(_ e: TypedExpr) -> Result<PlainValue, RuntimeError.Kind> {
        evaluateWithUsage(e).result
    }

    /// The value of `e` and the scratch memory computing it took.
    public func evaluateWithUsage(_ e: TypedExpr) -> (result: Result<PlainValue, RuntimeError.Kind>, usage: Usage) {
        let run = ReferenceRun(self)
        do {
            let v = try run.eval(e)
            return (.success(v), run.usage)
        } catch let f as ReferenceFailure {
            return (.failure(f.kind), run.usage)
        } catch {
            fatalError("unexpected error \(error)")
        }
    }
}

/// A run-time error of the reference evaluator.
struct ReferenceFailure: Error {
    let kind: RuntimeError.Kind
}

/// One evaluation: the `it` stack, compiled regexes and the memory meter.
final class ReferenceRun {
    let env: ReferenceEvaluator
    /// `it` of each enclosing `any`/`all`, innermost last.
    var its: [PlainValue] = []
    var usage = ReferenceEvaluator.Usage()
    let regexes = ReferenceRegexCache()

    init(_ env: ReferenceEvaluator) { self.env = env }

    static func fail(_ kind: RuntimeError.Kind) -> ReferenceFailure { ReferenceFailure(kind: kind) }

    /// `true` only for the bool `true`: logic reads missing (and anything else) as false.
    static func isTrue(_ v: PlainValue) -> Bool { v == .bool(true) }

    static func isMissing(_ v: PlainValue) -> Bool {
        if case .missing = v { return true }
        return false
    }

    /// A computed string, counted by the meter.
    func computed(_ s: String) -> PlainValue {
        usage.stringBytes += s.utf8.count
        return .string(s)
    }

    static func literal(_ l: Literal) -> PlainValue {
        switch l {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s.value)
        case .duration(let ms): return .duration(ms)
        case .severity(let s): return .severity(UInt8(s.rawValue))
        }
    }

    /// The value of `key` in `map`, comparing keys byte by byte (no Unicode normalisation).
    static func lookup(_ map: [String: String], _ key: String) -> String? {
        for (k, v) in map where k.utf8.elementsEqual(key.utf8) { return v }
        return nil
    }

    func field(_ f: AlertField) -> PlainValue {
        let a = env.alert
        switch f {
        case .alertname: return .string(Self.lookup(a.labels, "alertname") ?? "")
        case .severity: return .severity(a.severity)
        case .value: return a.value.map { PlainValue.float($0) } ?? .missing
        case .startsAt: return .time(a.startsAt)
        case .source: return a.source.map { PlainValue.string($0) } ?? .missing
        case .fingerprint: return .string(a.fingerprint)
        case .tenant: return .string(a.tenant)
        case .tier: return .string(a.tier)
        case .labels: return .map(0)
        case .annotations: return .map(1)
        }
    }

    func eval(_ e: TypedExpr) throws -> PlainValue {
        switch e.kind {
        case .literal(let l):
            return Self.literal(l)
        case .list(let items):
            var out: [PlainValue] = []
            for i in items { out.append(try eval(i)) }
            usage.listValues += out.count
            return .list(out)
        case .field(let f):
            return field(f)
        case .label(let name) where e.type.base == .float:
            // A label declared `number`: parsed when the alert is bound (docs/semantics.md).
            guard let text = Self.lookup(env.alert.labels, name), let d = Double(text), d.isFinite else { return .missing }
            return .float(d)
        case .label(let name):
            return Self.lookup(env.alert.labels, name).map { PlainValue.string($0) } ?? .missing
        case .annotation(let name):
            return Self.lookup(env.alert.annotations, name).map { PlainValue.string($0) } ?? .missing
        case .mapIndex(let f, let keyExpr):
            let key = try eval(keyExpr)
            guard case .string(let k) = key else { return .missing }
            let map = f == .annotations ? env.alert.annotations : env.alert.labels
            guard let v = Self.lookup(map, k) else { return .missing }
            return computed(v)
        case .namedList(let name, _):
            return env.lists[name] ?? .list([])
        case .macro(_, let body):
            return try eval(body)
        case .it:
            return its.last ?? .missing
        case .listIndex(let listExpr, let indexExpr):
            let list = try eval(listExpr)
            let index = try eval(indexExpr)
            guard case .list(let items) = list, case .int(let i) = index, i >= 0, i < Int64(items.count) else { return .missing }
            return items[Int(i)]
        case .call(let f, let args):
            return try call(f, args)
        case .match(let subject, let re, let negated):
            let s = try eval(subject)
            guard case .string(let text) = s else { return .bool(negated) }
            let m = try matches(text, pattern: re.pattern, anchored: true)
            return .bool(negated ? !m : m)
        case .unary(.not, let x):
            return .bool(!Self.isTrue(try eval(x)))
        case .unary(.negate, let x):
            return try negate(try eval(x))
        case .binary(.and, let l, let r):
            guard Self.isTrue(try eval(l)) else { return .bool(false) }
            return .bool(Self.isTrue(try eval(r)))
        case .binary(.or, let l, let r):
            if Self.isTrue(try eval(l)) { return .bool(true) }
            return .bool(Self.isTrue(try eval(r)))
        case .binary(.coalesce, let l, let r):
            let v = try eval(l)
            if Self.isMissing(v) { return try eval(r) }
            return v
        case .binary(let op, let l, let r):
            let a = try eval(l)
            let b = try eval(r)
            return try binary(op, a, b)
        case .conditional(let c, let x, let y):
            if Self.isTrue(try eval(c)) { return try eval(x) }
            return try eval(y)
        case .aggregate:
            // Aggregates are supplied by the engine per correlation window: not modelled.
            return .missing
        case .window, .invalid:
            return .missing
        }
    }

    func negate(_ v: PlainValue) throws -> PlainValue {
        switch v {
        case .int(let i):
            if i == .min { throw Self.fail(.overflow) }
            return .int(-i)
        case .float(let d):
            return .float(-d)
        case .duration(let ms):
            // A duration result out of range (docs/semantics.md, Arithmetic).
            if ms == .min { throw Self.fail(.outOfRange) }
            return .duration(-ms)
        default:
            return .missing
        }
    }
}

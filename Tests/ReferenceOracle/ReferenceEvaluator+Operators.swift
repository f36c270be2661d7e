import Foundation
import RuleLang
import RuleVM

/// Comparison, membership and arithmetic of the reference evaluator (docs/semantics.md:
/// "Missing values", "Equality and order", "Arithmetic").
extension ReferenceRun {
    /// A binary operator other than `&&`, `||`, `??` on evaluated operands.
    func binary(_ op: BinaryOperator, _ a: PlainValue, _ b: PlainValue) throws -> PlainValue {
        switch op {
        case .eq: return .bool(Self.equal(a, b) == true)
        case .ne: return .bool(Self.equal(a, b) != true)
        case .lt: return .bool(Self.order(a, b).map { $0 < 0 } ?? false)
        case .le: return .bool(Self.order(a, b).map { $0 <= 0 } ?? false)
        case .gt: return .bool(Self.order(a, b).map { $0 > 0 } ?? false)
        case .ge: return .bool(Self.order(a, b).map { $0 >= 0 } ?? false)
        case .in: return .bool(member(a, of: b))
        case .notIn: return .bool(!member(a, of: b))
        case .contains:
            switch (a, b) {
            case (.string(let s), .string(let t)): return .bool(Self.find(Array(t.utf8), in: Array(s.utf8), from: 0) != nil)
            case (.list, _), (.map, _): return .bool(member(b, of: a))
            default: return .bool(false)
            }
        case .startsWith, .endsWith:
            guard case .string(let s) = a, case .string(let t) = b else { return .bool(false) }
            let sb = Array(s.utf8), tb = Array(t.utf8)
            guard tb.count <= sb.count else { return .bool(false) }
            return .bool(op == .startsWith ? sb.prefix(tb.count).elementsEqual(tb) : sb.suffix(tb.count).elementsEqual(tb))
        case .add, .sub, .mul, .div, .mod:
            return try arithmetic(op, a, b)
        case .match, .notMatch:
            // Regex matches are `.match` nodes; a binary form never reaches here.
            return .bool(op == .notMatch)
        case .and, .or, .coalesce:
            fatalError("short-circuit operators are evaluated by `eval`")
        }
    }

    /// Equality; nil when either side is missing.
    static func equal(_ a: PlainValue, _ b: PlainValue) -> Bool? {
        if isMissing(a) || isMissing(b) { return nil }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int(let x), .float(let y)): return Double(x) == y
        case (.float(let x), .int(let y)): return x == Double(y)
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.duration(let x), .duration(let y)), (.time(let x), .time(let y)): return x == y
        case (.severity(let x), .severity(let y)), (.map(let x), .map(let y)): return x == y
        case (.list(let xs), .list(let ys)):
            guard xs.count == ys.count else { return false }
            for (x, y) in zip(xs, ys) where equal(x, y) != true { return false }
            return true
        default: return false
        }
    }

    /// Order as -1, 0, 1; nil when either side is missing or the values are not ordered (NaN).
    static func order(_ a: PlainValue, _ b: PlainValue) -> Int? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int? {
            if x < y { return -1 }
            if x > y { return 1 }
            if x == y { return 0 }
            return nil
        }
        switch (a, b) {
        case (.int(let x), .int(let y)), (.duration(let x), .duration(let y)), (.time(let x), .time(let y)): return cmp(x, y)
        case (.int(let x), .float(let y)): return cmp(Double(x), y)
        case (.float(let x), .int(let y)): return cmp(x, Double(y))
        case (.float(let x), .float(let y)): return cmp(x, y)
        case (.severity(let x), .severity(let y)): return cmp(x, y)
        case (.string(let x), .string(let y)):
            if x.utf8.elementsEqual(y.utf8) { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        default: return nil
        }
    }

    /// `x in collection`: an element equal to `x`, or a label/annotation key (byte-wise).
    func member(_ x: PlainValue, of collection: PlainValue) -> Bool {
        if Self.isMissing(x) { return false }
        switch collection {
        case .map(let m):
            guard case .string(let key) = x else { return false }
            return Self.lookup(m == 0 ? env.alert.labels : env.alert.annotations, key) != nil
        case .list(let items):
            return items.contains { Self.equal(x, $0) == true }
        default:
            return false
        }
    }

    /// Byte offset of the first occurrence of `needle` in `hay` at or after `from`.
    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        let n = needle.count, h = hay.count
        if n == 0 { return from <= h ? from : nil }
        guard from <= h - n else { return nil }
        for i in from...(h - n) where hay[i..<(i + n)].elementsEqual(needle) { return i }
        return nil
    }

    // MARK: arithmetic

    func arithmetic(_ op: BinaryOperator, _ a: PlainValue, _ b: PlainValue) throws -> PlainValue {
        if Self.isMissing(a) || Self.isMissing(b) { return .missing }
        switch (a, b) {
        case (.int(let x), .int(let y)):
            return .int(try Self.integer(op, x, y, overflow: .overflow))
        case (.int(let x), .float(let y)):
            return .float(Self.real(op, Double(x), y))
        case (.float(let x), .int(let y)):
            return .float(Self.real(op, x, Double(y)))
        case (.float(let x), .float(let y)):
            return .float(Self.real(op, x, y))
        case (.string(let x), .string(let y)) where op == .add:
            return computed(x + y)
        case (.duration(let x), .duration(let y)):
            switch op {
            case .add, .sub, .mod: return .duration(try Self.integer(op, x, y, overflow: .outOfRange))
            case .div: return .float(Double(x) / Double(y))
            default: return .missing
            }
        case (.time(let x), .duration(let y)) where op == .add || op == .sub:
            return .time(try Self.integer(op, x, y, overflow: .outOfRange))
        case (.duration(let x), .time(let y)) where op == .add:
            return .time(try Self.integer(.add, y, x, overflow: .outOfRange))
        case (.time(let x), .time(let y)) where op == .sub:
            return .duration(try Self.integer(.sub, x, y, overflow: .outOfRange))
        case (.duration(let x), .int(let y)) where op == .mul || op == .div:
            return .duration(try Self.integer(op, x, y, overflow: .outOfRange))
        case (.int(let x), .duration(let y)) where op == .mul:
            return .duration(try Self.integer(.mul, x, y, overflow: .outOfRange))
        case (.duration(let x), .float(let y)) where op == .mul || op == .div:
            return .duration(try Self.scaled(x, y, divide: op == .div))
        case (.float(let x), .duration(let y)) where op == .mul:
            return .duration(try Self.scaled(y, x, divide: false))
        default:
            return .missing
        }
    }

    /// Checked 64-bit arithmetic; `overflow` is the error of a result out of range (`overflow`
    /// for ints, `outOfRange` for durations and times).
    static func integer(_ op: BinaryOperator, _ x: Int64, _ y: Int64, overflow: RuntimeError.Kind) throws -> Int64 {
        let r: (partialValue: Int64, overflow: Bool)
        switch op {
        case .add: r = x.addingReportingOverflow(y)
        case .sub: r = x.subtractingReportingOverflow(y)
        case .mul: r = x.multipliedReportingOverflow(by: y)
        case .div:
            if y == 0 { throw fail(.divisionByZero) }
            if x == .min && y == -1 { throw fail(overflow) }
            return x / y
        case .mod:
            if y == 0 { throw fail(.divisionByZero) }
            // The remainder always fits: Int64.min % -1 is 0 (`%` is not among the operators
            // that overflow in docs/semantics.md).
            if y == -1 { return 0 }
            return x % y
        default:
            return 0
        }
        if r.overflow { throw fail(overflow) }
        return r.partialValue
    }

    /// IEEE 754 double arithmetic; `%` is `fmod`.
    static func real(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Double {
        switch op {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        case .mod: return fmod(x, y)
        default: return .nan
        }
    }

    /// A duration multiplied or divided by a float, truncated toward zero to whole
    /// milliseconds; a result outside ±9.2e18 ms (or not finite) is out of range. Dividing by
    /// zero is a division by zero, as for `duration / 0`.
    static func scaled(_ ms: Int64, _ f: Double, divide: Bool) throws -> Int64 {
        if divide && f == 0 { throw fail(.divisionByZero) }
        let r = divide ? Double(ms) / f : Double(ms) * f
        guard r.isFinite, r > -9.2e18, r < 9.2e18 else { throw fail(.outOfRange) }
        return Int64(r.rounded(.towardZero))
    }
}

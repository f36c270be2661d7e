import Foundation
import RuleVM

/// A small, fast, seedable generator (SplitMix64), so every generated case reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The static types the generator aims at (optional-ness is left to the checker: every
/// operator and function accepts optional operands).
indirect enum GType: Hashable, Sendable, CustomStringConvertible {
    case bool, int, float, string, duration, time, severity
    /// `labels` / `annotations`.
    case map
    case list(GType)

    static let scalars: [GType] = [.bool, .int, .float, .string, .duration, .time, .severity]
    static let ordered: [GType] = [.int, .float, .string, .duration, .time, .severity]

    var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .duration: "duration"
        case .time: "time"
        case .severity: "severity"
        case .map: "map"
        case .list(let e): "list<\(e)>"
        }
    }
}

/// A generated expression tree: printed fully parenthesised, and shrinkable.
struct GNode: CustomStringConvertible {
    enum Shape: Equatable {
        /// Source text that is one unit (a literal, a name, `time("…")`, `(-1)`).
        case leaf(String)
        case prefix(String)
        case infix(String)
        case call(String)
        case list
        case index
        case conditional
    }

    var shape: Shape
    var kids: [GNode]
    var type: GType

    static func leaf(_ text: String, _ type: GType) -> GNode { GNode(shape: .leaf(text), kids: [], type: type) }

    var source: String {
        switch shape {
        case .leaf(let text): return text
        case .prefix(let op): return "(" + op + (op == "not" ? " " : "") + kids[0].source + ")"
        case .infix(let op): return "(" + kids[0].source + " " + op + " " + kids[1].source + ")"
        case .call(let name): return name + "(" + kids.map(\.source).joined(separator: ", ") + ")"
        case .list: return "[" + kids.map(\.source).joined(separator: ", ") + "]"
        case .index: return kids[0].source + "[" + kids[1].source + "]"
        case .conditional: return "(" + kids[0].source + " ? " + kids[1].source + " : " + kids[2].source + ")"
        }
    }

    var description: String { source }

    /// An upper bound of the checker's cost (spec 3.8), to stay under the rule budget.
    var estimatedCost: Int {
        switch shape {
        case .leaf:
            return 2
        case .call(let name) where name == "any" || name == "all":
            let bound = kids[0].shape == .list ? kids[0].kids.count : 256
            return 2 + kids[0].estimatedCost + bound * (kids[1].estimatedCost + 2)
        default:
            return 1 + kids.reduce(0) { $0 + $1.estimatedCost }
        }
    }

    // MARK: shrinking

    /// Paths to every node, root first.
    func paths(_ prefix: [Int] = []) -> [[Int]] {
        var out = [prefix]
        for (i, k) in kids.enumerated() { out += k.paths(prefix + [i]) }
        return out
    }

    func subtree(at path: ArraySlice<Int>) -> GNode {
        guard let first = path.first else { return self }
        return kids[first].subtree(at: path.dropFirst())
    }

    func replacing(at path: ArraySlice<Int>, with node: GNode) -> GNode {
        guard let first = path.first else { return node }
        var copy = self
        copy.kids[first] = kids[first].replacing(at: path.dropFirst(), with: node)
        return copy
    }

    /// Smaller trees: each subtree replaced by one of its children of the same type, by a small
    /// literal of its type, or (for a list literal) without one of its items.
    var shrinkCandidates: [GNode] {
        var out: [GNode] = []
        for p in paths() {
            let s = subtree(at: p[...])
            var replacements = s.kids.filter { $0.type == s.type }
            let small = GNode.smallLiteral(s.type)
            if small.source != s.source { replacements.append(small) }
            if s.shape == .list && s.kids.count > 1 {
                for i in s.kids.indices {
                    var fewer = s
                    fewer.kids.remove(at: i)
                    replacements.append(fewer)
                }
            }
            for r in replacements { out.append(replacing(at: p[...], with: r)) }
        }
        return out
    }

    static func smallLiteral(_ t: GType) -> GNode {
        switch t {
        case .bool: return .leaf("true", t)
        case .int: return .leaf("1", t)
        case .float: return .leaf("0.5", t)
        case .string: return .leaf("\"a\"", t)
        case .duration: return .leaf("1s", t)
        case .time: return .leaf("starts_at", t)
        case .severity: return .leaf("info", t)
        case .map: return .leaf("labels", t)
        case .list(let e): return GNode(shape: .list, kids: [smallLiteral(e)], type: t)
        }
    }
}

/// An alert and the evaluation time.
struct AlertCase: Sendable {
    var alert: AlertInput
    var now: Int64
}

/// A type-directed generator of well-typed expressions over a small grammar (spec 3.4–3.6:
/// every operator, every function but aggregates, `now()` and `in_window`), and of alerts.
struct ExpressionGenerator {
    var rng: SplitMix64
    /// Element types of the enclosing `any`/`all`, innermost last.
    private var its: [GType] = []
    private var loopDepth = 0
    /// `any`/`all` over `split(…)` cost 256 predicate runs: at most one per expression.
    private var splitLoopsLeft = 1

    /// Also generate values near the VM's 64 KiB memory budget: long literals, strings grown by
    /// `replace` and concatenation, long lists (for the optimized-vs-unoptimized differential,
    /// where both sides run on the VM with its budgets; the reference evaluator models none).
    var budgetSized = false

    init(seed: UInt64, budgetSized: Bool = false) {
        rng = SplitMix64(seed: seed)
        self.budgetSized = budgetSized
    }

    /// A string literal of 8 KiB to just under 64 KiB (of one or two repeated characters).
    mutating func longLiteral() -> GNode {
        let n = pick([8 * 1024, 20_000, 32 * 1024, 40_000, 65_000, 65_535])
        let unit = pick(["a", "ab", "é", ","])
        let text = String(repeating: unit, count: max(1, n / unit.utf8.count))
        return .leaf(Self.quote(text), .string)
    }

    /// A string that grows toward the budget: a long literal doubled by `replace` or `+`.
    mutating func growingString(_ d: Int) -> GNode {
        let base = chance(0.5) ? longLiteral() : gen(.string, min(d, 1))
        switch count(0...2) {
        case 0: return Self.call("replace", [base, .leaf("\"a\"", .string), .leaf("\"aa\"", .string)], .string)
        case 1: return Self.infix("+", base, chance(0.5) ? longLiteral() : base, .string)
        default: return Self.call("join", [Self.call("split", [base, .leaf("\",\"", .string)], .list(.string)), .leaf("\",,\"", .string)], .string)
        }
    }

    // MARK: randomness

    mutating func chance(_ p: Double) -> Bool { Double(rng.next() >> 11) / 9_007_199_254_740_992.0 < p }

    mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }

    mutating func count(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(rng.next() % UInt64(r.count)) }

    /// An index chosen with the given weights (zero weights are never chosen).
    mutating func weighted(_ weights: [Int]) -> Int {
        var r = Int(rng.next() % UInt64(weights.reduce(0, +)))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    // MARK: pools (source text)

    static let ints = ["0", "1", "2", "3", "7", "10", "42", "255", "1000", "(-1)", "(-7)", "9223372036854775807",
                       "(-9223372036854775807)", "4611686018427387904", "3037000500", "(-3037000500)", "2147483648"]
    static let floats = ["0.0", "0.1", "0.5", "1.5", "2.5", "(-2.5)", "3.0", "1e3", "1e308", "(-1e308)", "1e-300",
                         "5e-324", "(-0.0)", "123.456", "0.3"]
    static let durations = ["0s", "1ms", "250ms", "30s", "5m", "1h", "1h30m", "7d", "3650d",
                            "(-3650d)", "(-5m)", "(-1ms)"]
    static let times = ["starts_at", "starts_at", "starts_at", "time(\"2026-01-01T09:00:00Z\")",
                        "time(\"1969-12-31T23:59:59.999Z\")", "time(\"2026-03-29T01:30:00.250+02:00\")"]
    static let severities = ["info", "warning", "error", "critical", "severity", "severity"]
    static let stringReads = ["env", "env", "service", "region", "team", "empty", "labels.count", "labels[\"count\"]",
                              "alertname", "annotations.summary", "source", "tier", "fingerprint", "labels.K"]
    static let stringValues = ["", "a", "abc", "a,b,,c", ",", "é→日本", "prod", "PROD", "x", "42", "-7", "+5", "3.5",
                               "1e400", "5m", "1h30m", "250ms", "2026-01-01T09:00:00Z", " \t pad\n ", "\u{A0}nb\u{2003}",
                               "ß", "İ", "e\u{301}", "é", "\u{212A}", "K", "😀x", "\"q\"", "a\\b", "9223372036854775808",
                               "-9223372036854775808", "nan", "inf", " 5", "xyxy", "aaa", ".", "0x10", "ǅ", "ﬀ"]
    static let patterns = ["a.*", "(x|y)+", "[0-9]+", "^$", "é", ".*", "(x)?b", "\\d+", "p.*d", "(?i)prod", "[^,]*",
                           "日本", "(\\w+)-(\\d+)", "", "a|", "(a|aa)+$", "x",
                           // Literal prefixes (checked before PCRE2 is called) and their edge cases.
                           "ab*", "ab+c", "xy?", "éa{2}", "a\\.b", "p(a|b)", "[]a]b", "a[|]", "pr\\d", "(?:x)y", "xyx"]
    static let keys = ["env", "team", "nope", "alertname", "count", "K", "\u{212A}", ""]
    static let separators = [",", ",", "", "a", " ", "é", ",,"]
    static let oldStrings = ["a", "", ",", "é", "b", "ab", "\u{301}"]
    static let newStrings = ["", "x", "é→", ",,", "ab"]
    static let durationTexts = ["5m", "1h30m", "250ms", "0s", "7d", "bad", "9223372036854775807ms", "1h 30m", "", "-5m"]
    static let timeTexts = ["2026-01-01T09:00:00Z", "2026-03-29T01:30:00.250+02:00", "1969-12-31T23:59:59.999Z",
                            "2026-13-01T00:00:00Z", "not a time", "2026-01-01t09:00:00z"]
    static let indexes = ["0", "1", "2", "3", "(-1)", "9223372036854775807"]
    static let labelValues = ["prod", "PROD", "", "é→日本", "42", "-7", "3.5", "1e400", "a,b,,c", " padded ", "x",
                              "9223372036854775808", "5m", "2026-01-01T09:00:00Z", "ß", "İ", "xyxy", "abc", "e\u{301}",
                              "é", "\u{212A}", "aaaa", "1h30m", "+5", "-0", "0.1", "x-12", "日本"]

    /// A string literal in expression syntax.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                let v = u.value
                if v < 0x20 || (v >= 0x7F && v <= 0xA0) || (u.properties.isWhitespace && u != " ") || v == 0x212A
                    || u.properties.generalCategory == .nonspacingMark || v == 0xFEFF {
                    out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    mutating func stringLiteral(_ pool: [String]) -> GNode { .leaf(Self.quote(pick(pool)), .string) }

    // MARK: expressions

    /// A random well-typed expression at most `maxDepth` operators deep, within the cost budget.
    mutating func expression(maxDepth: Int = 5) -> GNode {
        for _ in 0..<10 {
            its = []
            loopDepth = 0
            splitLoopsLeft = 1
            let e = gen(topType(), maxDepth)
            if e.estimatedCost <= 8_000 { return e }
        }
        return .leaf("true", .bool)
    }

    /// A random well-typed expression of type `t` (see `expression(maxDepth:)`).
    mutating func expression(_ t: GType, maxDepth: Int = 5) -> GNode {
        for _ in 0..<10 {
            its = []
            loopDepth = 0
            splitLoopsLeft = 1
            let e = gen(t, maxDepth)
            if e.estimatedCost <= 8_000 { return e }
        }
        return t == .bool ? .leaf("true", .bool) : .leaf("\"\"", .string)
    }

    mutating func topType() -> GType {
        switch weighted([30, 14, 12, 18, 9, 6, 3, 8]) {
        case 0: return .bool
        case 1: return .int
        case 2: return .float
        case 3: return .string
        case 4: return .duration
        case 5: return .time
        case 6: return .severity
        default: return .list(pick([GType.int, .string, .float, .duration]))
        }
    }

    mutating func gen(_ t: GType, _ d: Int) -> GNode {
        if d <= 0 || chance(0.2) { return leaf(t) }
        switch t {
        case .bool: return genBool(d)
        case .int: return genInt(d)
        case .float: return genFloat(d)
        case .string: return genString(d)
        case .duration: return genDuration(d)
        case .time: return genTime(d)
        case .severity: return genSeverity(d)
        case .map: return .leaf("labels", .map)
        case .list(let e): return genList(e, d, allowEmpty: true)
        }
    }

    mutating func leaf(_ t: GType) -> GNode {
        if let it = its.last, it == t, chance(0.4) { return .leaf("it", t) }
        switch t {
        case .bool: return .leaf(pick(["true", "false"]), t)
        case .int: return .leaf(pick(Self.ints), t)
        case .float:
            if chance(0.15) { return .leaf(pick(Self.ints), .int) }  // an int widens to float
            if chance(0.3) { return .leaf("value", t) }
            return .leaf(pick(Self.floats), t)
        case .string: return chance(0.5) ? .leaf(pick(Self.stringReads), t) : stringLiteral(Self.stringValues)
        case .duration: return .leaf(chance(0.1) ? "age()" : pick(Self.durations), t)
        case .time: return .leaf(pick(Self.times), t)
        case .severity: return .leaf(pick(Self.severities), t)
        case .map: return .leaf(pick(["labels", "annotations"]), t)
        case .list(let e): return GNode(shape: .list, kids: items(count(1...3), e, 0), type: t)
        }
    }

    mutating func items(_ n: Int, _ t: GType, _ d: Int) -> [GNode] {
        var out: [GNode] = []
        for _ in 0..<n { out.append(gen(t, d)) }
        return out
    }

    static func prefix(_ op: String, _ x: GNode, _ t: GType) -> GNode { GNode(shape: .prefix(op), kids: [x], type: t) }

    static func infix(_ op: String, _ a: GNode, _ b: GNode, _ t: GType) -> GNode { GNode(shape: .infix(op), kids: [a, b], type: t) }

    static func call(_ name: String, _ args: [GNode], _ t: GType) -> GNode { GNode(shape: .call(name), kids: args, type: t) }

    static func index(_ base: GNode, _ i: GNode, _ t: GType) -> GNode { GNode(shape: .index, kids: [base, i], type: t) }

    mutating func conditional(_ t: GType, _ d: Int) -> GNode {
        let c = gen(.bool, d - 1)
        let a = gen(t, d - 1)
        let b = gen(t, d - 1)
        return GNode(shape: .conditional, kids: [c, a, b], type: t)
    }

    mutating func coalesce(_ t: GType, _ d: Int) -> GNode {
        let a = gen(t, d - 1)
        let b = gen(t, d - 1)
        return Self.infix("??", a, b, t)
    }

    mutating func indexExpr(_ d: Int) -> GNode { chance(0.7) ? .leaf(pick(Self.indexes), .int) : gen(.int, d) }

    mutating func genBool(_ d: Int) -> GNode {
        switch weighted([3, 4, 8, 2, 3, 4, 2, 3, 2, 2, 2, 3, 2, 2]) {
        case 0:
            return Self.prefix(pick(["!", "!", "not"]), gen(.bool, d - 1), .bool)
        case 1:
            let op = pick(["&&", "||", "and", "or"])
            return Self.infix(op, gen(.bool, d - 1), gen(.bool, d - 1), .bool)
        case 2:
            let t = pick(GType.ordered)
            let op = pick(["==", "!=", "<", "<=", ">", ">="])
            return Self.infix(op, gen(t, d - 1), gen(t, d - 1), .bool)
        case 3:
            let t = pick([GType.bool, .list(.int), .list(.string), .list(.float)])
            let op = pick(["==", "!="])
            return Self.infix(op, gen(t, d - 1), gen(t, d - 1), .bool)
        case 4:
            let op = pick(["=~", "!~"])
            return Self.infix(op, gen(.string, d - 1), stringLiteral(Self.patterns), .bool)
        case 5:
            let t = pick([GType.int, .float, .string, .string, .severity, .duration])
            let op = pick(["in", "not in"])
            return Self.infix(op, gen(t, d - 1), genList(t, d - 1, allowEmpty: true), .bool)
        case 6:
            let key = chance(0.6) ? stringLiteral(Self.keys) : gen(.string, d - 1)
            if chance(0.3) { return Self.infix("contains", .leaf("labels", .map), key, .bool) }
            return Self.infix(pick(["in", "not in"]), key, .leaf(pick(["labels", "labels", "annotations"]), .map), .bool)
        case 7:
            let op = pick(["contains", "startswith", "endswith"])
            return Self.infix(op, gen(.string, d - 1), gen(.string, d - 1), .bool)
        case 8:
            let t = pick([GType.int, .string, .float])
            return Self.infix("contains", genList(t, d - 1, allowEmpty: true), gen(t, d - 1), .bool)
        case 9:
            return Self.call("search", [gen(.string, d - 1), stringLiteral(Self.patterns)], .bool)
        case 10:
            let t = pick(GType.scalars + [.list(.string)])
            return Self.call("exists", [gen(t, d - 1)], .bool)
        case 11:
            return quantifier(pick(["any", "all"]), d)
        case 12:
            return conditional(.bool, d)
        default:
            return coalesce(.bool, d)
        }
    }

    /// `any`/`all` over a short list literal or over `split(…)` (with a small predicate, as it
    /// may run 256 times), with `it` bound to the element type.
    mutating func quantifier(_ name: String, _ d: Int) -> GNode {
        let list: GNode
        let element: GType
        let useSplit = splitLoopsLeft > 0 && loopDepth == 0 && chance(0.35)
        if useSplit {
            splitLoopsLeft -= 1
            list = Self.call("split", [gen(.string, min(d - 1, 2)), stringLiteral(Self.separators)], .list(.string))
            element = .string
        } else {
            element = pick([GType.int, .float, .string, .string, .severity, .duration, .bool])
            list = GNode(shape: .list, kids: items(count(1...4), element, min(d - 1, 2)), type: .list(element))
        }
        its.append(element)
        loopDepth += 1
        var predicate = gen(.bool, useSplit ? min(d - 1, 2) : d - 1)
        var tries = 0
        while useSplit && predicate.estimatedCost > 20 && tries < 8 {
            predicate = gen(.bool, tries < 4 ? 2 : 1)
            tries += 1
        }
        its.removeLast()
        loopDepth -= 1
        return Self.call(name, [list, predicate], .bool)
    }

    mutating func genInt(_ d: Int) -> GNode {
        switch weighted([6, 2, 3, 3, 2, 2, 2, 2]) {
        case 0:
            let op = pick(["+", "-", "*", "/", "%"])
            return Self.infix(op, gen(.int, d - 1), gen(.int, d - 1), .int)
        case 1:
            return Self.prefix("-", gen(.int, d - 1), .int)
        case 2:
            if chance(0.6) { return Self.call("len", [gen(.string, d - 1)], .int) }
            return Self.call("len", [genList(pick([GType.int, .string]), d - 1, allowEmpty: true)], .int)
        case 3:
            let t = pick([GType.int, .float, .float, .string, .string, .bool, .duration])
            return Self.call("int", [gen(t, d - 1)], .int)
        case 4:
            return Self.call(pick(["hour", "weekday"]), [gen(.time, d - 1)], .int)
        case 5:
            return Self.index(genList(.int, d - 1, allowEmpty: false), indexExpr(d - 1), .int)
        case 6:
            return conditional(.int, d)
        default:
            return coalesce(.int, d)
        }
    }

    mutating func genFloat(_ d: Int) -> GNode {
        switch weighted([6, 2, 3, 2, 2, 2, 2]) {
        case 0:
            let op = pick(["+", "-", "*", "/", "%"])
            return Self.infix(op, gen(.float, d - 1), gen(.float, d - 1), .float)
        case 1:
            return Self.prefix("-", gen(.float, d - 1), .float)
        case 2:
            let t = pick([GType.int, .float, .string, .string, .bool])
            return Self.call("float", [gen(t, d - 1)], .float)
        case 3:
            return Self.infix("/", gen(.duration, d - 1), gen(.duration, d - 1), .float)
        case 4:
            return Self.index(genList(.float, d - 1, allowEmpty: false), indexExpr(d - 1), .float)
        case 5:
            return conditional(.float, d)
        default:
            return coalesce(.float, d)
        }
    }

    /// A string for `replace`'s `old`/`new`: mostly short literals, so results stay small.
    mutating func smallString(_ pool: [String], _ d: Int) -> GNode {
        chance(0.75) ? stringLiteral(pool) : gen(.string, min(d, 1))
    }

    /// A `list<string>` for `join`: `split(…)` or a literal of string literals.
    mutating func joinList(_ d: Int) -> GNode {
        if loopDepth == 0 && chance(0.5) {
            return Self.call("split", [gen(.string, d), stringLiteral(Self.separators)], .list(.string))
        }
        var kids: [GNode] = []
        for _ in 0..<count(0...3) { kids.append(stringLiteral(Self.stringValues)) }
        return GNode(shape: .list, kids: kids, type: .list(.string))
    }

    mutating func genString(_ d: Int) -> GNode {
        if budgetSized && chance(0.15) { return growingString(d) }
        switch weighted([4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2]) {
        case 0:
            return Self.infix("+", gen(.string, d - 1), gen(.string, d - 1), .string)
        case 1:
            return Self.call(pick(["lower", "upper", "trim"]), [gen(.string, d - 1)], .string)
        case 2:
            let s = gen(.string, d - 1)
            let old = smallString(Self.oldStrings, d - 1)
            let new = smallString(Self.newStrings, d - 1)
            return Self.call("replace", [s, old, new], .string)
        case 3:
            var args = [gen(.string, d - 1), indexExpr(d - 1)]
            if chance(0.6) { args.append(indexExpr(d - 1)) }
            return Self.call("substr", args, .string)
        case 4:
            return Self.call("join", [joinList(d - 1), stringLiteral(Self.separators)], .string)
        case 5:
            return Self.call("string", [gen(pick(GType.scalars), d - 1)], .string)
        case 6:
            return Self.call("extract", [gen(.string, d - 1), stringLiteral(Self.patterns)], .string)
        case 7:
            let key = chance(0.5) ? stringLiteral(Self.keys) : gen(.string, d - 1)
            // `+ ""` keeps the key computed (a literal key reads the label directly).
            let computed = chance(0.5) ? Self.infix("+", key, .leaf("\"\"", .string), .string) : key
            return Self.index(.leaf(pick(["labels", "labels", "annotations"]), .map), computed, .string)
        case 8:
            return Self.index(genList(.string, d - 1, allowEmpty: false), indexExpr(d - 1), .string)
        case 9:
            return conditional(.string, d)
        default:
            return coalesce(.string, d)
        }
    }

    mutating func genDuration(_ d: Int) -> GNode {
        switch weighted([4, 4, 2, 2, 3, 2, 2, 2]) {
        case 0:
            let op = pick(["+", "-", "%"])
            return Self.infix(op, gen(.duration, d - 1), gen(.duration, d - 1), .duration)
        case 1:
            let n = gen(pick([GType.int, .float]), d - 1)
            let x = gen(.duration, d - 1)
            switch count(0...2) {
            case 0: return Self.infix("*", x, n, .duration)
            case 1: return Self.infix("*", n, x, .duration)
            default: return Self.infix("/", x, n, .duration)
            }
        case 2:
            return Self.prefix("-", gen(.duration, d - 1), .duration)
        case 3:
            return Self.infix("-", gen(.time, d - 1), gen(.time, d - 1), .duration)
        case 4:
            if chance(0.2) { return Self.call("duration", [gen(.duration, d - 1)], .duration) }
            let s = chance(0.5) ? stringLiteral(Self.durationTexts) : gen(.string, d - 1)
            return Self.call("duration", [s], .duration)
        case 5:
            return Self.index(genList(.duration, d - 1, allowEmpty: false), indexExpr(d - 1), .duration)
        case 6:
            return conditional(.duration, d)
        default:
            return coalesce(.duration, d)
        }
    }

    mutating func genTime(_ d: Int) -> GNode {
        switch weighted([3, 2, 3, 1, 2, 2]) {
        case 0:
            let op = pick(["+", "-"])
            return Self.infix(op, gen(.time, d - 1), gen(.duration, d - 1), .time)
        case 1:
            return Self.infix("+", gen(.duration, d - 1), gen(.time, d - 1), .time)
        case 2:
            let s = chance(0.6) ? stringLiteral(Self.timeTexts) : gen(.string, d - 1)
            return Self.call("time", [s], .time)
        case 3:
            return Self.call("time", [gen(.time, d - 1)], .time)
        case 4:
            return conditional(.time, d)
        default:
            return coalesce(.time, d)
        }
    }

    mutating func genSeverity(_ d: Int) -> GNode {
        switch weighted([2, 2, 1, 1]) {
        case 0: return conditional(.severity, d)
        case 1: return coalesce(.severity, d)
        case 2: return Self.index(genList(.severity, d - 1, allowEmpty: false), indexExpr(d - 1), .severity)
        default: return leaf(.severity)
        }
    }

    /// A list of `e`: a literal, `split(…)` for strings (not inside `any`/`all`), `?:` or `??`.
    /// `allowEmpty: false` avoids `[]`, whose element type is unknown (no `it`, no indexing).
    mutating func genList(_ e: GType, _ d: Int, allowEmpty: Bool) -> GNode {
        if d <= 0 || chance(0.3) {
            let n = budgetSized && chance(0.1) ? count(200...1_500) : allowEmpty && chance(0.1) ? 0 : count(1...3)
            return GNode(shape: .list, kids: items(n, e, 0), type: .list(e))
        }
        switch weighted([5, e == .string && loopDepth == 0 ? 4 : 0, 1, 1]) {
        case 0:
            let n = count(allowEmpty ? 0...3 : 1...3)
            return GNode(shape: .list, kids: items(n, e, d - 1), type: .list(e))
        case 1:
            return Self.call("split", [gen(.string, d - 1), stringLiteral(Self.separators)], .list(.string))
        case 2:
            let c = gen(.bool, d - 1)
            let a = genList(e, d - 1, allowEmpty: allowEmpty)
            let b = genList(e, d - 1, allowEmpty: allowEmpty)
            return GNode(shape: .conditional, kids: [c, a, b], type: .list(e))
        default:
            let a = genList(e, d - 1, allowEmpty: allowEmpty)
            let b = genList(e, d - 1, allowEmpty: allowEmpty)
            return Self.infix("??", a, b, .list(e))
        }
    }

    // MARK: alerts

    /// A random alert: labels sometimes missing or empty, unicode, numeric-looking; value
    /// sometimes absent; start times near and far.
    mutating func alertCase() -> AlertCase {
        var labels: [String: String] = [:]
        for name in ["env", "service", "region", "team", "count", "K", "alertname"] where chance(0.7) {
            labels[name] = pick(Self.labelValues)
        }
        if chance(0.6) { labels["empty"] = chance(0.8) ? "" : pick(Self.labelValues) }
        var annotations: [String: String] = [:]
        if chance(0.5) { annotations["summary"] = pick(Self.labelValues) }
        if chance(0.2) { annotations["env"] = pick(Self.labelValues) }
        let value: Double? = chance(0.3) ? nil : pick([0, 0.5, -1.5, 42, 1e308, -0.0, 3, 0.1, -7, 9.2e18, 1e-310, 2.5] as [Double])
        let base: Int64 = 1_767_258_000_000  // 2026-01-01T09:00:00Z
        var startsAt: Int64 = pick([base, base + 250, 0, -1, 1_711_675_800_000, 253_402_300_799_999, base - 86_400_000 * 3])
        var now = startsAt &+ pick([0, 1, 60_000, 3_600_000, -5_000, 86_400_000 * 3, 37_800_123] as [Int64])
        if chance(0.02) {
            startsAt = Int64.min + 5  // age() is out of range
            now = base
        }
        let alert = AlertInput(labels: labels, annotations: annotations, severity: UInt8(count(0...3)), value: value,
                               startsAt: startsAt, source: chance(0.5) ? nil : pick(["prometheus", "é"]),
                               fingerprint: pick(["fp-1", ""]), tenant: "t", tier: pick(["silver", "gold"]))
        return AlertCase(alert: alert, now: now)
    }
}

/// Alerts as one-line JSON, for failure reports and the regression file.
enum OracleAlertCodec {
    struct Body: Codable {
        var labels: [String: String]
        var annotations: [String: String]?
        var severity: String?
        var value: Double?
        var starts_at: Int64?
        var now: Int64?
        var source: String?
        var fingerprint: String?
        var tenant: String?
        var tier: String?
    }

    static let severities = ["info", "warning", "error", "critical"]

    static func encode(_ c: AlertCase) -> String {
        let a = c.alert
        let body = Body(labels: a.labels, annotations: a.annotations.isEmpty ? nil : a.annotations,
                        severity: severities[Int(min(a.severity, 3))], value: a.value, starts_at: a.startsAt, now: c.now,
                        source: a.source, fingerprint: a.fingerprint, tenant: a.tenant, tier: a.tier)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(body) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ json: String) throws -> AlertCase {
        let body = try JSONDecoder().decode(Body.self, from: Data(json.utf8))
        let severity = body.severity.flatMap { severities.firstIndex(of: $0) } ?? 1
        let alert = AlertInput(labels: body.labels, annotations: body.annotations ?? [:], severity: UInt8(severity),
                               value: body.value, startsAt: body.starts_at ?? 0, source: body.source,
                               fingerprint: body.fingerprint ?? "", tenant: body.tenant ?? "t", tier: body.tier ?? "silver")
        return AlertCase(alert: alert, now: body.now ?? (body.starts_at ?? 0))
    }
}

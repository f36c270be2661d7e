import RuleVM

/// A necessary condition of a rule: it can only match alerts whose `label` is one of `values`.
public struct RuleGuard: Sendable, Equatable {
    /// A label name, or `Program.alertnameFieldSlot` for the `alertname` field.
    public let label: String
    public let values: [String]

    public init(label: String, values: [String]) {
        self.label = label
        self.values = values
    }
}

/// Why a rule is scanned linearly (`rulec check --explain-index`).
public enum Unindexed: String, Error, Sendable {
    case noLabelTest = "no `label == \"const\"` or `label in [consts]` test in its top-level `&&`"
    case disjunction = "an `||` of tests on different labels"
    case matchesEverything = "it matches every alert"
}

/// A discrimination index over an ordered rule list: one hash table per guard label, each
/// mapping a value to the rules guarded on that label with that value; rules without a guard are
/// scanned. An alert's candidates are its labels' hits and the scanned rules, merged back in rule
/// order, so first-match semantics (and `continue`) are exact: a rule left out is one whose guard
/// the alert fails. A class: the evaluator consults it per alert without copying its tables.
public final class RuleIndex: Sendable {
    /// The hashed labels, the one most rules are guarded on first (ties: the smaller name).
    public let labels: [String]
    /// Per hashed label, in `labels`' order, its table.
    let tables: [LabelTable]
    /// Rules without a guard, in order.
    public let scanned: [Int]
    public let count: Int

    /// The label most rules are guarded on, when any rule is guarded.
    public var label: String? { labels.first }

    public init(guards: [RuleGuard?]) {
        count = guards.count
        var byLabel: [String: Int] = [:]
        for g in guards.compactMap({ $0 }) { byLabel[g.label, default: 0] += 1 }
        let labels = byLabel.sorted { a, b in a.value > b.value || (a.value == b.value && a.key < b.key) }.map(\.key)
        // Guards find their table by the label's bytes, as the VM reads labels; a label spelt
        // with other bytes for the same text (folded into one key above) is scanned: slower,
        // never wrong.
        let numbers = NameTable(labels)
        var rules = [[(rule: Int, values: [String])]](repeating: [], count: labels.count)
        var scanned: [Int] = []
        for (i, g) in guards.enumerated() {
            if let g, let l = numbers.value(g.label) { rules[l].append((i, g.values)) } else { scanned.append(i) }
        }
        self.labels = labels
        self.scanned = scanned
        self.tables = rules.map { LabelTable($0, scanned: scanned) }
    }

    /// Two ascending lists of rule numbers as one.
    static func merge(_ hashed: [Int], _ scanned: [Int]) -> [Int] {
        if scanned.isEmpty { return hashed }
        if hashed.isEmpty { return scanned }
        var out: [Int] = []
        out.reserveCapacity(hashed.count + scanned.count)
        var i = 0, j = 0
        while i < hashed.count || j < scanned.count {
            if j == scanned.count || (i < hashed.count && hashed[i] < scanned[j]) { out.append(hashed[i]); i += 1 } else { out.append(scanned[j]); j += 1 }
        }
        return out
    }

    /// The number of `value` in the table of label `label` (by position in `labels`); nil when
    /// no rule is guarded on it or the label is absent.
    func valueNumber(label: Int, _ value: String?) -> Int? {
        value.flatMap { tables[label].values.value($0) }
    }

    /// As `valueNumber(label:_:)`, for the value's bytes.
    func valueNumber(label: Int, bytes value: UnsafeRawBufferPointer?) -> Int? {
        value.flatMap { tables[label].values.lookup($0) }
    }

    /// The rules that could match an alert, in rule order, given for each hashed label (by
    /// position in `labels`) the number of the alert's value in its table (nil: the alert lacks
    /// the label, or no rule names its value).
    func candidates(_ hit: (Int) -> Int?) -> [Int] {
        // One label hit (every alert, when one label is hashed) needs no merge: its candidate
        // list is ready, or merged with the scanned rules once.
        var first: (label: Int, value: Int)?
        var more: [Int]?
        for l in tables.indices {
            guard let v = hit(l) else { continue }
            if let f = first {
                more = RuleIndex.merge(more ?? tables[f.label].candidates(at: f.value), tables[l].hashed[v])
            } else {
                first = (l, v)
            }
        }
        if let more { return more }
        if let first { return tables[first.label].candidates(at: first.value) }
        return scanned
    }

    /// The candidates for an alert whose guard labels have these values (keys as in `labels`;
    /// a label missing from `values` is absent from the alert).
    package func candidates(_ values: [String: String]) -> [Int] {
        candidates { valueNumber(label: $0, values[labels[$0]]) }
    }
}

/// One hashed label of a `RuleIndex`: its values by their bytes (as the VM compares; two
/// spellings of one text are two values) and per value the rules guarded on it; with few
/// scanned rules, each value's candidates (its rules and the scanned ones merged in rule order)
/// once, here.
struct LabelTable: Sendable {
    let values: NameTable
    let hashed: [[Int]]
    let merged: [[Int]]?
    let scanned: [Int]

    init(_ rules: [(rule: Int, values: [String])], scanned: [Int]) {
        var table: [[UInt8]: [Int]] = [:]
        for (i, values) in rules {
            for v in Set(values.map { Array($0.utf8) }) { table[v, default: []].append(i) }
        }
        let keys = table.keys.sorted { $0.lexicographicallyPrecedes($1) }
        self.values = NameTable(keys.map { String(decoding: $0, as: UTF8.self) })
        let hashed = keys.map { table[$0]! }
        self.hashed = hashed
        self.scanned = scanned
        // Merged lists cost values × scanned rules: kept only while that stays small.
        self.merged = scanned.count <= 32 ? hashed.map { RuleIndex.merge($0, scanned) } : nil
    }

    /// The candidates of an alert that hits only this table, at value `i`.
    func candidates(at i: Int) -> [Int] { merged?[i] ?? RuleIndex.merge(hashed[i], scanned) }
}

/// `rulec check --explain-index`: how the index reaches each rule.
public enum IndexReport {
    /// One rule of a list: hashed under the guard `label`, or scanned for `reason`.
    public struct Entry: Sendable, Equatable {
        /// The rule's kind and name (routes by path).
        public let rule: String
        /// The guard label it is hashed on (`alertname` for the field), or nil when scanned.
        public let label: String?
        /// Why it is scanned, when it is.
        public let reason: String?
    }

    /// Every rule of the pack in list order (enrich, suppress, correlate, anomalies, then the
    /// routes in pre-order, shown by path).
    public static func entries(_ pack: RuntimePack) -> [Entry] {
        let reasons = Dictionary(pack.unindexed.map { ($0.rule, $0.reason.rawValue) }, uniquingKeysWith: { a, _ in a })
        var out: [Entry] = []
        // Every guarded rule is hashed under its guard's label (one table per label); the
        // others are scanned.
        func report(_ shown: String, _ name: String, _ g: RuleGuard?, prefix: String) {
            if let g {
                out.append(Entry(rule: prefix + shown, label: display(g.label), reason: nil))
            } else {
                out.append(Entry(rule: prefix + shown, label: nil, reason: reasons[prefix + name] ?? "it has no condition"))
            }
        }
        // Enrich rules run in order and may change labels, so they are always scanned.
        for r in pack.enrich {
            out.append(Entry(rule: "enrich \(r.name)", label: nil, reason: "enrich rules run in order and may set the labels an index would hash"))
        }
        for (kind, list) in [("suppress", pack.suppress), ("correlate", pack.correlate), ("anomaly", pack.anomalies)] {
            for r in list { report(r.name, r.name, r.guardTest, prefix: "\(kind) ") }
        }
        func walk(_ routes: [RuntimeRoute], _ path: [String]) {
            for r in routes {
                report((path + [r.name]).joined(separator: "/"), r.name, r.guardTest, prefix: "route ")
                walk(r.children, path + [r.name])
            }
        }
        walk(pack.routes, [])
        return out
    }

    static func display(_ label: String) -> String { label == Program.alertnameFieldSlot ? "alertname" : label }
}

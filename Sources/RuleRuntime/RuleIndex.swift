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

/// A discrimination index over an ordered rule list: the rules guarded on the most common label
/// are hashed by value, the rest are scanned; candidates are merged back in rule order, so
/// first-match semantics are exact. A class: the evaluator consults it per alert without
/// copying its tables.
public final class RuleIndex: Sendable {
    /// The hashed label, when any rule is guarded.
    public let label: String?
    /// The hashed values by their bytes (as the VM compares; two spellings of one text are two
    /// values), and per value the rules hashed on it; with few scanned rules, the candidates
    /// (hashed and scanned merged in rule order) once, here.
    let values: NameTable
    let hashed: [[Int]]
    let merged: [[Int]]?
    /// Rules not in the table, in order.
    public let scanned: [Int]
    public let count: Int

    public init(guards: [RuleGuard?]) {
        count = guards.count
        var byLabel: [String: Int] = [:]
        for g in guards.compactMap({ $0 }) { byLabel[g.label, default: 0] += 1 }
        let best = byLabel.max { a, b in a.value < b.value || (a.value == b.value && a.key > b.key) }?.key
        var table: [[UInt8]: [Int]] = [:]
        var scanned: [Int] = []
        for (i, g) in guards.enumerated() {
            if let g, let best, NameTable.sameBytes(g.label, best) {
                for v in Set(g.values.map { Array($0.utf8) }) { table[v, default: []].append(i) }
            } else {
                scanned.append(i)
            }
        }
        self.label = best
        self.scanned = scanned
        let keys = table.keys.sorted { $0.lexicographicallyPrecedes($1) }
        self.values = NameTable(keys.map { String(decoding: $0, as: UTF8.self) })
        let hashed = keys.map { table[$0]! }
        self.hashed = hashed
        // Merged lists cost values × scanned rules: kept only while that stays small.
        self.merged = scanned.count <= 32 ? hashed.map { Self.merge($0, scanned) } : nil
    }

    /// Two ascending lists of rule numbers as one.
    static func merge(_ hashed: [Int], _ scanned: [Int]) -> [Int] {
        if scanned.isEmpty { return hashed }
        var out: [Int] = []
        out.reserveCapacity(hashed.count + scanned.count)
        var i = 0, j = 0
        while i < hashed.count || j < scanned.count {
            if j == scanned.count || (i < hashed.count && hashed[i] < scanned[j]) { out.append(hashed[i]); i += 1 } else { out.append(scanned[j]); j += 1 }
        }
        return out
    }

    private func candidates(at i: Int) -> [Int] { merged?[i] ?? Self.merge(hashed[i], scanned) }

    /// The rules that could match an alert whose indexed label has `value` (nil: absent), in
    /// rule order.
    public func candidates(_ value: String?) -> [Int] {
        guard let value else { return scanned }
        return values.value(value).map(candidates(at:)) ?? scanned
    }

    /// As `candidates(_:)`, for the value's bytes.
    public func candidates(bytes value: UnsafeRawBufferPointer?) -> [Int] {
        guard let value else { return scanned }
        return values.lookup(value).map(candidates(at:)) ?? scanned
    }
}

/// `rulec check --explain-index`: every rule its list scans linearly, and why.
public enum IndexReport {
    public static func scanned(_ pack: RuntimePack) -> [(rule: String, reason: String)] {
        let reasons = Dictionary(pack.unindexed.map { ($0.rule, $0.reason.rawValue) }, uniquingKeysWith: { a, _ in a })
        var out: [(String, String)] = []
        /// `names`: what to print, and the rule's name (names are unique in a pack).
        func report(_ names: [(shown: String, name: String)], _ guards: [RuleGuard?], prefix: String) {
            let index = RuleIndex(guards: guards)
            for i in index.scanned {
                if let g = guards[i], let hashed = index.label {
                    out.append((prefix + names[i].shown, "guarded on `\(display(g.label))`, but this list hashes `\(display(hashed))`"))
                } else {
                    out.append((prefix + names[i].shown, reasons[prefix + names[i].name] ?? "no guard"))
                }
            }
        }
        // Enrich rules run in order and may change labels, so they are always scanned.
        for r in pack.enrich { out.append(("enrich \(r.name)", "enrich rules run in order and may set the labels an index would hash")) }
        for (kind, list) in [("suppress", pack.suppress), ("correlate", pack.correlate), ("anomaly", pack.anomalies)] {
            report(list.map { ($0.name, $0.name) }, list.map(\.guardTest), prefix: "\(kind) ")
        }
        func walk(_ routes: [RuntimeRoute], _ path: [String]) {
            report(routes.map { ((path + [$0.name]).joined(separator: "/"), $0.name) }, routes.map(\.guardTest), prefix: "route ")
            for r in routes { walk(r.children, path + [r.name]) }
        }
        walk(pack.routes, [])
        return out
    }

    static func display(_ label: String) -> String { label == Program.alertnameFieldSlot ? "alertname" : label }
}

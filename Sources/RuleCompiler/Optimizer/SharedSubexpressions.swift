import RuleLang

/// Common-subexpression sharing across the rules of a pack: an expensive subexpression (one with
/// a regex match or a builtin call) that several rules contain is computed once per alert and
/// remembered in a memo slot. Safety: only pure subexpressions (no `it`, no aggregate) whose
/// value is a scalar (bool, number, duration, time, severity) are shared, so a remembered value
/// never points into per-run scratch memory; a subexpression that fails is not remembered, so
/// every rule that reaches it fails the same way it would alone.
/// Cost: every fact is computed once per node, bottom up (a node's identity is a number interned
/// from its own head and its children's numbers), so the pass is linear in the rules' size
/// however deep their chains.
enum SharedSubexpressions {
    static let scalar: Set<RLType> = [.bool, .int, .float, .duration, .time, .severity]

    /// What the lowering needs: the memo slot of each node that holds a shared subexpression,
    /// by the node's span (see `slots`).
    struct Slots {
        /// A span whose nodes all hold the same shared subexpression, its slot and its type.
        var bySpan: [SourceSpan: (slot: Int, type: RLType)] = [:]
        /// How many slots the program needs.
        var count = 0

        /// The memo slot of `e`, when it holds a shared subexpression.
        func slot(_ e: TypedExpr) -> Int? {
            guard let s = bySpan[e.span], s.type == e.type else { return nil }
            return s.slot
        }
    }

    /// One node of a rule, in pre-order: its structural identity when it may be shared.
    private struct Node {
        let key: Int?
        let span: SourceSpan
        let type: RLType
        /// Index of the node after this one's subtree.
        var end = 0
    }

    /// Interns structures: equal subexpressions get equal numbers.
    private struct Interner {
        struct Shape: Hashable {
            let head: [UInt8]
            let kids: [Int]
        }
        var ids: [Shape: Int] = [:]

        mutating func id(_ head: [UInt8], _ kids: [Int]) -> Int {
            let shape = Shape(head: head, kids: kids)
            if let i = ids[shape] { return i }
            ids[shape] = ids.count
            return ids.count - 1
        }
    }

    /// Facts of a subtree, computed from its children's.
    private struct Facts {
        let id: Int
        let expensive: Bool
        let pure: Bool
    }

    /// Memo slots for the largest subexpressions that occur in at least two of `rules` (at most
    /// `limit`), found by their spans: a span where any of the rules has a node that is not the
    /// shared subexpression (a parent and child written over the same text) gets no slot.
    static func slots(_ rules: [TypedExpr], limit: Int) -> Slots {
        var interner = Interner()
        var flat: [[Node]] = []
        var seenIn: [Int: Int] = [:]
        for rule in rules {
            var nodes: [Node] = []
            var keys: Set<Int> = []
            _ = walk(rule, &nodes, &interner, &keys)
            for k in keys { seenIn[k, default: 0] += 1 }
            flat.append(nodes)
        }
        // Top down, the largest shared subexpression of each rule is the one remembered; slots
        // are numbered in the order the rules select them.
        var slotOf: [Int: Int] = [:]
        for nodes in flat {
            var i = 0
            while i < nodes.count {
                if let k = nodes[i].key, seenIn[k, default: 0] >= 2 {
                    if slotOf[k] == nil, slotOf.count < limit { slotOf[k] = slotOf.count }
                    i = nodes[i].end
                } else {
                    i += 1
                }
            }
        }
        // Every node's span, with the slot it would use (or none); a span where two nodes
        // disagree gets no slot.
        struct Use: Equatable { let slot: Int?; let type: RLType }
        var uses: [SourceSpan: Use] = [:]
        var conflicted: Set<SourceSpan> = []
        for nodes in flat {
            for n in nodes {
                let use = Use(slot: n.key.flatMap { slotOf[$0] }, type: n.type)
                if let seen = uses[n.span], seen != use { conflicted.insert(n.span) } else { uses[n.span] = use }
            }
        }
        var out = Slots(count: slotOf.count)
        for (span, use) in uses where !conflicted.contains(span) {
            if let slot = use.slot { out.bySpan[span] = (slot, use.type) }
        }
        return out
    }

    /// Appends `e`'s subtree to `nodes` in pre-order and returns its facts; `keys` collects the
    /// identities of the subexpressions that may be shared.
    private static func walk(_ e: TypedExpr, _ nodes: inout [Node], _ interner: inout Interner, _ keys: inout Set<Int>) -> Facts {
        let at = nodes.count
        nodes.append(Node(key: nil, span: e.span, type: e.type))
        let kids = e.children.map { walk($0, &nodes, &interner, &keys) }
        let facts = Facts(id: interner.id(head(e), kids.map(\.id)),
                          expensive: selfExpensive(e) ?? kids.contains { $0.expensive },
                          pure: selfPure(e) && kids.allSatisfy(\.pure))
        let shared = scalar.contains(e.type.base) && facts.expensive && facts.pure
        nodes[at] = Node(key: shared ? facts.id : nil, span: e.span, type: e.type, end: nodes.count)
        if shared { keys.insert(facts.id) }
        return facts
    }

    /// Whether the node itself makes its subtree expensive (true), cannot (false), or leaves it
    /// to its children (nil).
    private static func selfExpensive(_ e: TypedExpr) -> Bool? {
        switch e.kind {
        case .match: true
        case .call(let b, _) where b != .exists && b != .now: true
        case .literal, .label, .field, .annotation, .namedList, .it, .window, .invalid: false
        default: nil
        }
    }

    private static func selfPure(_ e: TypedExpr) -> Bool {
        switch e.kind {
        case .it, .aggregate, .invalid: false
        default: true
        }
    }

    /// The node without its children: its kind and operands, then its type. Bytes, not a
    /// String: canonically equivalent texts (`"é"`, `"e\u{301}"`) are different expressions.
    private static func head(_ e: TypedExpr) -> [UInt8] {
        let h: String
        switch e.kind {
        // A leaf prints whole, once: its text is its identity.
        case .literal, .field, .label, .annotation, .namedList, .it, .window, .invalid: return Array(TypedPrinter.print(e).utf8)
        case .list: h = "list"
        case .mapIndex(let f, _): h = "\(f.rawValue)[]"
        case .macro(let n, _): h = "macro \(n)"
        case .listIndex: h = "[]"
        case .call(let b, _): h = "call \(b.rawValue)"
        case .match(_, let re, let negated): h = (negated ? "!~ " : "=~ ") + re.pattern
        case .unary(let op, _): h = "unary \(op.rawValue)"
        case .binary(let op, _, _): h = "binary \(op.rawValue)"
        case .conditional: h = "?:"
        case .aggregate(let a, let x): h = "aggregate \(a.rawValue) \(x == nil ? 0 : 1)"
        }
        return Array("\(e.type)|\(h)".utf8)
    }
}

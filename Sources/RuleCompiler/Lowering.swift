import RuleText
import RuleLang
import RuleVM
import RuleText

/// Lowers typed expressions to VM code: values onto the stack, conditions as jumps (short-
/// circuit, with missing reading as false), and fused instructions for the shapes rules are made
/// of: `label == "const"`, `label in [consts]`, `label =~ re`, severity comparisons.
struct Lowering {
    var b: ProgramBuilder
    /// Constant values of the pack's named lists.
    let lists: [String: PlainValue]
    private var loopDepth = 0
    /// Aggregates of the rule being lowered, in order of appearance.
    var aggregates: [(Aggregate, TypedExpr?)] = []
    /// Shared subexpressions and their memo slots (see `SharedSubexpressions`).
    var memo = SharedSubexpressions.Slots()

    init(builder: ProgramBuilder, lists: [String: PlainValue]) {
        self.b = builder
        self.lists = lists
    }

    /// Compiles a rule condition as an entry returning true or false.
    mutating func condition(_ e: TypedExpr, entry name: String) {
        let start = b.pc
        b.mark(e.span)
        let falseJumps = branch(e, jumpIf: false)
        b.emit(.retTrue)
        let falsePC = b.emit(.retFalse)
        for j in falseJumps { b.patch(j, to: falsePC) }
        b.addEntry(name, pc: start, cost: b.pc - start)
    }

    /// Compiles an expression as an entry returning its value.
    mutating func valueEntry(_ e: TypedExpr, entry name: String) {
        let start = b.pc
        value(e)
        b.emit(.ret)
        b.addEntry(name, pc: start, cost: b.pc - start)
    }

    /// Compiles a template as an entry returning its text.
    mutating func templateEntry(_ parts: [TemplatePart], span: SourceSpan, entry name: String) {
        let start = b.pc
        b.mark(span)
        for p in parts {
            switch p {
            case .text(let s): b.emit(.const_, c: b.u32(b.constant(.string(s)), "constants"))
            case .expr(let e): value(e)
            }
        }
        b.emit(.format, c: b.u32(parts.count, "template parts"))
        b.emit(.ret)
        b.addEntry(name, pc: start, cost: b.pc - start)
    }

    // MARK: conditions

    /// Emits code that jumps when `e`'s truth equals `sense` (missing counts as false) and falls
    /// through otherwise; returns the jumps to patch.
    mutating func branch(_ e: TypedExpr, jumpIf sense: Bool) -> [Int] {
        switch e.kind {
        case .literal(.bool(let x)):
            return x == sense ? [b.emit(.jump)] : []
        case .macro(_, let body):
            return branch(body, jumpIf: sense)
        case .unary(.not, let x):
            return branch(x, jumpIf: !sense)
        case .binary(.and, let l, let r):
            if sense {
                let skip = branch(l, jumpIf: false)
                let jumps = branch(r, jumpIf: true)
                for j in skip { b.patch(j, to: b.pc) }
                return jumps
            }
            return branch(l, jumpIf: false) + branch(r, jumpIf: false)
        case .binary(.or, let l, let r):
            if sense { return branch(l, jumpIf: true) + branch(r, jumpIf: true) }
            let skip = branch(l, jumpIf: true)
            let jumps = branch(r, jumpIf: false)
            for j in skip { b.patch(j, to: b.pc) }
            return jumps
        default:
            if memo.slot(e) == nil, let fused = fusedBranch(e, jumpIf: sense) { return fused }
            b.mark(e.span)
            value(e)
            return [b.emit(sense ? .jumpIf : .jumpIfNot)]
        }
    }

    /// The label read by `e`, when it is a plain label read.
    private func labelName(_ e: TypedExpr) -> String? {
        if case .label(let n) = e.kind, e.type.base == .string { return n }
        if case .field(.alertname) = e.kind { return Program.alertnameFieldSlot }
        if case .macro(_, let body) = e.kind { return labelName(body) }
        return nil
    }

    /// Constant strings of a list literal or a named list.
    private func constantStrings(_ e: TypedExpr) -> [String]? {
        var plain: PlainValue?
        switch e.kind {
        case .namedList(let n, _): plain = lists[n]
        case .list(let items):
            var out: [PlainValue] = []
            for i in items {
                guard case .literal(let l) = i.kind else { return nil }
                out.append(Self.plain(l))
            }
            plain = .list(out)
        default: return nil
        }
        guard case .list(let items)? = plain else { return nil }
        var strings: [String] = []
        for i in items {
            guard case .string(let s) = i else { return nil }
            strings.append(s)
        }
        return strings
    }

    private func constantSeverity(_ e: TypedExpr) -> UInt8? {
        if case .literal(.severity(let s)) = e.kind { return UInt8(s.rawValue) }
        return nil
    }

    /// Lists of at most this many strings are tested as a run of label equalities, which the VM
    /// scans faster than it probes a hash set.
    static let equalityRunLimit = 8

    /// Fused test-and-branch instructions (the jumps to patch); nil when `e` has none of the
    /// fused shapes.
    private mutating func fusedBranch(_ e: TypedExpr, jumpIf sense: Bool) -> [Int]? {
        if case .binary(let op, let l, let r) = e.kind, op == .in || op == .notIn,
           let label = labelName(l), let members = constantStrings(r),
           (1...Self.equalityRunLimit).contains(members.count), members.allSatisfy({ $0.utf8.count <= Int(UInt16.max) }) {
            return equalityRun(label, members, jumpWhenInside: (op == .in) == sense, span: e.span)
        }
        return fusedTest(e, jumpIf: sense).map { [$0] }
    }

    /// `label in [m1, …, mn]` as label equalities. Jumping when inside: `jlabeleq` to the target
    /// for every member. Jumping when outside: `jlabeleq` past the run for the first n-1 members,
    /// then `jlabelne` to the target for the last. A missing label equals no member either way.
    private mutating func equalityRun(_ label: String, _ members: [String], jumpWhenInside: Bool, span: SourceSpan) -> [Int] {
        b.mark(span)
        let slot = b.u16(b.labelSlot(label), "distinct labels", at: span)
        var jumps: [Int] = [], skips: [Int] = []
        for (i, m) in members.enumerated() {
            let last = i == members.count - 1
            let j = b.emit(jumpWhenInside || !last ? .jumpLabelEq : .jumpLabelNe, b: slot)
            let k = b.stringValue(m)
            b.emit(.const_, b: UInt16(k.count), c: b.u32(k.offset, "bytes of constant strings"))
            if jumpWhenInside || last { jumps.append(j) } else { skips.append(j) }
        }
        for j in skips { b.patch(j, to: b.pc) }
        return jumps
    }

    /// One fused test-and-branch instruction for `e`, the jump to patch; nil when `e` has none.
    private mutating func fusedTest(_ e: TypedExpr, jumpIf sense: Bool) -> Int? {
        switch e.kind {
        case .binary(let op, let l, let r) where op == .eq || op == .ne:
            var (label, other) = (labelName(l), r)
            if label == nil { (label, other) = (labelName(r), l) }
            if let label, case .literal(.string(let s)) = other.kind, s.value.utf8.count <= Int(UInt16.max) {
                b.mark(e.span)
                let equal = (op == .eq) == sense
                let j = b.emit(equal ? .jumpLabelEq : .jumpLabelNe, b: b.u16(b.labelSlot(label), "distinct labels", at: e.span))
                let k = b.stringValue(s.value)
                b.emit(.const_, b: UInt16(k.count), c: b.u32(k.offset, "bytes of constant strings"))
                return j
            }
            return severityBranch(e, jumpIf: sense)
        case .binary(let op, let l, let r) where op == .in || op == .notIn:
            if let label = labelName(l), let members = constantStrings(r) {
                b.mark(e.span)
                let inside = (op == .in) == sense
                let j = b.emit(inside ? .jumpLabelIn : .jumpLabelNotIn, b: b.u16(b.labelSlot(label), "distinct labels", at: e.span))
                b.emit(.const_, c: b.u32(b.stringSet(members), "string sets"))
                return j
            }
            return severityBranch(e, jumpIf: sense)
        case .binary(let op, let l, let r) where op == .startsWith || op == .endsWith || op == .contains:
            guard let label = labelName(l), case .literal(.string(let s)) = r.kind, s.value.utf8.count <= Int(UInt16.max) else { return nil }
            b.mark(e.span)
            let test: LabelAffix = op == .startsWith ? .prefix : op == .endsWith ? .suffix : .contains
            let j = b.emit(sense ? .jumpLabelAffix : .jumpLabelNotAffix, a: test.rawValue, b: b.u16(b.labelSlot(label), "distinct labels", at: e.span))
            let k = b.stringValue(s.value)
            b.emit(.const_, b: UInt16(k.count), c: b.u32(k.offset, "bytes of constant strings"))
            return j
        case .binary(let op, let l, let r) where op == .lt || op == .le || op == .gt || op == .ge:
            if let fused = severityBranch(e, jumpIf: sense) { return fused }
            value(l); value(r)
            b.mark(e.span)
            let test: Comparison = switch op { case .lt: .lt; case .le: .le; case .gt: .gt; default: .ge }
            return b.emit(.jumpCompare, a: ComparisonJump(test, whenTrue: sense).rawValue)
        case .call(.exists, let args) where args.count == 1:
            // A present label is a string, so it starts with "": `exists(label)` is the fused
            // prefix test with the empty string, and entries made of such tests stay tests-only.
            guard let label = labelName(args[0]) else { return nil }
            b.mark(e.span)
            let j = b.emit(sense ? .jumpLabelAffix : .jumpLabelNotAffix, a: LabelAffix.prefix.rawValue,
                           b: b.u16(b.labelSlot(label), "distinct labels", at: e.span))
            let k = b.stringValue("")
            b.emit(.const_, b: UInt16(k.count), c: b.u32(k.offset, "bytes of constant strings"))
            return j
        case .match(let s, let re, let negated):
            guard let label = labelName(s) else { return nil }
            b.mark(e.span)
            let matches = negated != sense
            let j = b.emit(matches ? .jumpLabelMatch : .jumpLabelNoMatch, b: b.u16(b.labelSlot(label), "distinct labels", at: e.span))
            b.emit(.const_, c: b.u32(b.regex(re.pattern, anchored: true), "regular expressions"))
            return j
        default:
            return nil
        }
    }

    /// `severity <op> level` (either order) and `severity in [levels]` as one mask test.
    private mutating func severityBranch(_ e: TypedExpr, jumpIf sense: Bool) -> Int? {
        guard case .binary(let op, let l, let r) = e.kind else { return nil }
        func isSeverityField(_ x: TypedExpr) -> Bool { if case .field(.severity) = x.kind { return true }; return false }
        var mask: UInt8 = 0
        if isSeverityField(l), let k = constantSeverity(r) {
            mask = Self.severityMask(op, k)
        } else if isSeverityField(r), let k = constantSeverity(l) {
            let flipped: BinaryOperator = switch op { case .lt: .gt; case .le: .ge; case .gt: .lt; case .ge: .le; default: op }
            mask = Self.severityMask(flipped, k)
        } else if isSeverityField(l), op == .in || op == .notIn, case .list(let items) = r.kind {
            for i in items {
                guard let k = constantSeverity(i) else { return nil }
                mask |= 1 << k
            }
            if op == .notIn { mask = ~mask & 0xF }
        } else {
            return nil
        }
        b.mark(e.span)
        return b.emit(.jumpSeverity, a: sense ? mask : ~mask & 0xF)
    }

    static func severityMask(_ op: BinaryOperator, _ k: UInt8) -> UInt8 {
        var mask: UInt8 = 0
        for s in UInt8(0)...3 {
            let holds = switch op {
            case .eq, .in: s == k
            case .ne, .notIn: s != k
            case .lt: s < k
            case .le: s <= k
            case .gt: s > k
            case .ge: s >= k
            default: false
            }
            if holds { mask |= 1 << s }
        }
        return mask
    }

    // MARK: values

    static func plain(_ l: Literal) -> PlainValue {
        switch l {
        case .bool(let x): .bool(x)
        case .int(let i): .int(i)
        case .float(let d): .float(d)
        case .string(let s): .string(s.value)
        case .duration(let ms): .duration(ms)
        case .severity(let s): .severity(UInt8(s.rawValue))
        }
    }

    static let fieldMap: [AlertField: Field] = [
        .alertname: .alertname, .severity: .severity, .value: .value, .startsAt: .startsAt, .source: .source,
        .fingerprint: .fingerprint, .labels: .labels, .annotations: .annotations, .tenant: .tenant, .tier: .tier,
    ]

    static let binaryMap: [BinaryOperator: Opcode] = [
        .eq: .eq, .ne: .ne, .lt: .lt, .le: .le, .gt: .gt, .ge: .ge, .in: .in_, .notIn: .notIn, .contains: .contains,
        .startsWith: .startsWith, .endsWith: .endsWith, .add: .add, .sub: .sub, .mul: .mul, .div: .div, .mod: .mod,
    ]

    /// Emits code that pushes `e`'s value (from its memo slot when it is shared).
    mutating func value(_ e: TypedExpr) {
        if let k = memo.slot(e) {
            let load = b.emit(.memoLoad, b: UInt16(k))
            compute(e)
            b.emit(.memoStore, b: UInt16(k))
            b.patch(load, to: b.pc)
            return
        }
        compute(e)
    }

    /// Emits code that computes `e`'s value.
    private mutating func compute(_ e: TypedExpr) {
        switch e.kind {
        case .literal(let l):
            b.emit(.const_, c: b.u32(b.constant(Self.plain(l)), "constants"))
        case .list(let items):
            if let constant = Self.constantList(items) {
                b.emit(.const_, c: b.u32(b.constant(constant), "constants"))
            } else {
                for i in items { value(i) }
                b.emit(.makeList, c: b.u32(items.count, "list items"))
            }
        case .field(let f):
            b.emit(.field, a: Self.fieldMap[f]!.rawValue)
        case .label(let n) where e.type.base == .float:
            b.emit(.number, b: b.u16(b.numberSlot(n), "distinct `number` labels", at: e.span))
        case .label(let n):
            b.emit(.label, b: b.u16(b.labelSlot(n), "distinct labels", at: e.span))
        case .annotation(let n):
            b.emit(.annotation, b: b.u16(b.annotationSlot(n), "distinct annotations", at: e.span))
        case .mapIndex(let f, let key):
            value(key)
            b.emit(.mapGet, a: (f == .labels ? AlertMap.labels : .annotations).rawValue)
        case .namedList(let n, _):
            b.emit(.const_, c: b.u32(b.constant(lists[n] ?? .list([])), "constants"))
        case .macro(_, let body):
            value(body)
        case .it:
            b.emit(.it, a: UInt8(max(0, loopDepth - 1)))
        case .listIndex(let l, let i):
            value(l); value(i)
            b.mark(e.span)
            b.emit(.index)
        case .call(let f, let args):
            call(f, args, e)
        case .match(let s, let re, let negated):
            value(s)
            b.mark(e.span)
            b.emit(negated ? .noMatch : .match, c: b.u32(b.regex(re.pattern, anchored: true), "regular expressions"))
        case .unary(.not, let x):
            value(x)
            b.emit(.not)
        case .unary(.negate, let x):
            value(x)
            b.mark(e.span)
            b.emit(.neg)
        case .binary(.and, _, _), .binary(.or, _, _):
            let falseJumps = branch(e, jumpIf: false)
            b.emit(.const_, c: b.u32(b.constant(.bool(true)), "constants"))
            let end = b.emit(.jump)
            for j in falseJumps { b.patch(j, to: b.pc) }
            b.emit(.const_, c: b.u32(b.constant(.bool(false)), "constants"))
            b.patch(end, to: b.pc)
        case .binary(.coalesce, let l, let r):
            value(l)
            let present = b.emit(.jumpIfPresent)
            value(r)
            b.patch(present, to: b.pc)
        case .binary(let op, let l, let r):
            if op == .in || op == .notIn, let members = constantStrings(r), l.type.base == .string {
                value(l)
                b.emit(op == .in ? .inSet : .notInSet, c: b.u32(b.stringSet(members), "string sets"))
                return
            }
            value(l); value(r)
            b.mark(e.span)
            b.emit(Self.binaryMap[op]!)
        case .conditional(let c, let x, let y):
            let elseJumps = branch(c, jumpIf: false)
            value(x)
            let end = b.emit(.jump)
            for j in elseJumps { b.patch(j, to: b.pc) }
            value(y)
            b.patch(end, to: b.pc)
        case .aggregate(let a, let arg):
            aggregates.append((a, arg))
            b.emit(.aggregate, b: b.u16(aggregates.count - 1, "aggregates in one rule", at: e.span))
        case .window, .invalid:
            b.emit(.const_, c: b.u32(b.constant(.missing), "constants"))
        }
    }

    static func constantList(_ items: [TypedExpr]) -> PlainValue? {
        var out: [PlainValue] = []
        for i in items {
            guard case .literal(let l) = i.kind else { return nil }
            out.append(plain(l))
        }
        return .list(out)
    }

    private mutating func call(_ f: Builtin, _ args: [TypedExpr], _ e: TypedExpr) {
        switch f {
        case .now:
            b.emit(.field, a: Field.now.rawValue)
        case .inWindow:
            guard case .window(let w) = args.first?.kind, let i = b.windowIndex[w] else {
                b.emit(.const_, c: b.u32(b.constant(.missing), "constants"))
                return
            }
            b.emit(.inWindow, b: b.u16(i, "time windows", at: e.span))
        case .search, .extract:
            value(args[0])
            guard case .literal(.string(let p)) = args[1].kind else { return }
            b.mark(e.span)
            b.emit(f == .search ? .search : .extract, c: b.u32(b.regex(p.value, anchored: false), "regular expressions"))
        case .any, .all:
            quantifier(any: f == .any, args[0], args[1], e)
        case .len, .lower, .upper, .trim, .split, .join, .replace, .substr, .int, .float, .string, .duration, .time, .exists,
             .age, .hour, .weekday:
            guard let id = f.callID else { preconditionFailure("`\(f.rawValue)` has no VM builtin") }
            for a in args { value(a) }
            b.mark(e.span)
            b.emit(.call, a: id.rawValue, b: UInt16(args.count))
        }
    }

    /// `any`/`all` as a loop charged per iteration (docs/semantics.md).
    private mutating func quantifier(any: Bool, _ list: TypedExpr, _ pred: TypedExpr, _ e: TypedExpr) {
        guard loopDepth < RuleLimits.loopDepth else {
            // Unreachable for a checked pack: the checker rejects deeper nesting (E0106).
            b.emit(.const_, c: b.u32(b.constant(.missing), "constants"))
            return
        }
        value(list)
        b.mark(e.span)
        let depth = UInt8(loopDepth)
        let iterate = b.emit(.iterate, a: depth)
        let head = b.emit(.next, a: depth, b: 1)
        loopDepth += 1
        let found = branch(pred, jumpIf: any)
        loopDepth -= 1
        b.emit(.jump, c: b.u32(head, "instructions"))
        let charge = b.pc - head
        let exhausted = b.pc
        b.emit(.const_, c: b.u32(b.constant(.bool(!any)), "constants"))
        let end = b.emit(.jump)
        for j in found { b.patch(j, to: b.pc) }
        b.emit(.const_, c: b.u32(b.constant(.bool(any)), "constants"))
        b.patch(end, to: b.pc)
        b.patch(iterate, to: b.pc)
        b.patch(head, to: exhausted)
        b.setCharge(head, charge)
    }
}

/// A part of a template, for `templateEntry`.
enum TemplatePart {
    case text(String)
    case expr(TypedExpr)
}

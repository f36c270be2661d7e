import RuleText

/// Why a program was rejected.
public struct VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let pc: Int?
    public let message: String

    public var description: String { pc.map { "pc \($0): \(message)" } ?? message }
}

/// Checks a program before any VM runs it, so a corrupt or hostile artifact is an error, never a
/// crash: operand indices in range, jump targets on instruction boundaries, every path ending in
/// a return, stack depth consistent and bounded, loop depths bounded, values well-formed.
public enum Verifier {
    public static func verify(_ p: Program) -> VerificationError? {
        let depths: [EntryDepth]
        switch measure(p) {
        case .failure(let e): return e
        case .success(let d): depths = d
        }
        for (entry, d) in zip(p.entries, depths) {
            guard entry.cost <= p.budget else {
                return VerificationError(pc: entry.pc, message: "entry `\(entry.name)` costs \(entry.cost), over the budget of \(p.budget)")
            }
            guard d.depth <= VM.stackLimit else { return VerificationError(pc: d.pc, message: "stack deeper than \(VM.stackLimit)") }
        }
        return nil
    }

    /// Everything `verify` checks but the two limits a compiler can exceed on valid input (an
    /// entry's cost over the budget, a stack deeper than the VM's), and what those limits are
    /// judged on: each entry's deepest stack, and where it is reached. The compiler reports
    /// rules beyond the limits from these figures, so its diagnostics and the verifier agree.
    package static func measure(_ p: Program) -> Result<[EntryDepth], VerificationError> {
        func fail(_ pc: Int?, _ m: String) -> Result<[EntryDepth], VerificationError> { .failure(VerificationError(pc: pc, message: m)) }
        guard p.budget >= 0, p.budget <= RuleLimits.maxRuleBudget else { return fail(nil, "budget \(p.budget) is over the limit of \(RuleLimits.maxRuleBudget)") }
        var lastPC = -1
        for (pc, s) in p.spans {
            guard pc > lastPC, pc <= p.code.count else { return fail(pc, "span table not sorted by pc") }
            guard Int(s.file) < p.files.count, s.start <= s.end else { return fail(pc, "span outside the file table") }
            lastPC = pc
        }
        // Values: strings and lists inside their pools.
        for (i, v) in p.constants.enumerated() {
            if let e = checkValue(v, p) { return fail(nil, "constant \(i): \(e)") }
        }
        for (i, v) in p.listElements.enumerated() {
            if v.tag == .list { return fail(nil, "list element \(i): nested list") }
            if let e = checkValue(v, p) { return fail(nil, "list element \(i): \(e)") }
        }
        // Instruction boundaries.
        var starts = [Bool](repeating: false, count: p.code.count)
        var pc = 0
        while pc < p.code.count {
            starts[pc] = true
            pc += p.code[pc].op.width
        }
        if pc != p.code.count { return fail(p.code.count - 1, "truncated instruction at the end") }
        for pc in p.code.indices where starts[pc] {
            if let e = checkOperands(p.code[pc], pc: pc, p, starts) { return fail(pc, e) }
        }
        // Stack depth over every path from every entry. Each pc is visited once and pushes at
        // most one value, so the walk ends and no depth exceeds the code's length.
        var depth = [Int](repeating: -1, count: p.code.count)
        var deepest: [EntryDepth] = []
        for entry in p.entries {
            guard entry.pc >= 0, entry.pc < p.code.count, starts[entry.pc] else { return fail(nil, "entry `\(entry.name)` outside the code") }
            guard entry.cost >= 0 else { return fail(entry.pc, "entry `\(entry.name)` has a negative cost") }
            var work = [(entry.pc, 0)]
            var most = EntryDepth(depth: 0, pc: entry.pc)
            while let (pc, d) = work.popLast() {
                if depth[pc] >= 0 {
                    if depth[pc] != d { return fail(pc, "stack depth \(d) here, \(depth[pc]) on another path") }
                    continue
                }
                depth[pc] = d
                if d > most.depth { most = EntryDepth(depth: d, pc: pc) }
                let ins = p.code[pc]
                let next = pc + ins.op.width
                func push(_ target: Int, _ d: Int) -> VerificationError? {
                    if d < 0 { return VerificationError(pc: pc, message: "stack underflow") }
                    if target >= p.code.count { return VerificationError(pc: pc, message: "falls off the end of the code") }
                    // The values an instruction leaves count where it is: the deepest point of
                    // an expression is its last push, not the instruction after it.
                    if d > most.depth { most = EntryDepth(depth: d, pc: pc) }
                    work.append((target, d))
                    return nil
                }
                // The walk follows the effect `Opcode` declares: nothing here restates it.
                let effect = ins.op.effect(ins)
                if d < effect.pops { return fail(pc, "`\(ins.op.mnemonic)` needs \(effect.pops) values, the stack holds \(d)") }
                let left = d - effect.pops
                var problem: VerificationError?
                if let pushed = effect.jump { problem = push(Int(ins.c), left + pushed) }
                if problem == nil, let pushed = effect.next { problem = push(next, left + pushed) }
                if let problem { return .failure(problem) }
            }
            deepest.append(most)
        }
        return .success(deepest)
    }

    /// `offset + count <= size`, without overflow for hostile values.
    private static func fits(_ v: Value, _ size: Int) -> Bool {
        v.bits <= UInt64(size) && UInt64(v.count) <= UInt64(size) - v.bits
    }

    /// An entry's deepest stack (values) and the pc of the instruction that reaches it.
    package struct EntryDepth: Sendable, Equatable {
        package let depth: Int
        package let pc: Int
    }

    private static func checkValue(_ v: Value, _ p: Program) -> String? {
        switch v.tag {
        case .string:
            guard v.pool == .constant, fits(v, p.constantBytes.count) else { return "string outside the constant bytes" }
        case .list:
            guard v.pool == .constant, fits(v, p.listElements.count) else { return "list outside the list elements" }
        case .severity: if v.bits > 3 { return "severity out of range" }
        case .bool: if v.bits > 1 { return "bool out of range" }
        case .map: if UInt8(exactly: v.bits).flatMap(AlertMap.init(rawValue:)) == nil { return "map out of range" }
        default: break
        }
        return nil
    }

    private static func checkOperands(_ ins: Instruction, pc: Int, _ p: Program, _ starts: [Bool]) -> String? {
        // Every backward jump lands on a `next`, which charges the budget at least 1: every
        // loop terminates.
        func target(_ t: UInt32) -> String? {
            guard Int(t) < p.code.count, starts[Int(t)] else { return "jump target \(t) is not an instruction" }
            if Int(t) <= pc && p.code[Int(t)].op != .next { return "backward jump to \(t), which is not a loop head" }
            return nil
        }
        func second() -> Instruction? { pc + 1 < p.code.count ? p.code[pc + 1] : nil }
        switch ins.op.operands {
        case .none: return nil
        case .constant: return Int(ins.c) < p.constants.count ? nil : "constant \(ins.c) out of range"
        case .labelSlot: return Int(ins.b) < p.labelSlots.count ? nil : "label slot \(ins.b) out of range"
        case .numberSlot: return Int(ins.b) < p.numberSlots.count ? nil : "number slot \(ins.b) out of range"
        case .annotationSlot: return Int(ins.b) < p.annotationSlots.count ? nil : "annotation slot \(ins.b) out of range"
        case .field: return Int(ins.a) < Field.allCases.count ? nil : "field \(ins.a) out of range"
        case .map: return AlertMap(rawValue: ins.a) != nil ? nil : "map \(ins.a) out of range"
        case .depth: return Int(ins.a) < RuleLimits.loopDepth ? nil : "loop depth \(ins.a) out of range"
        case .stringSet: return Int(ins.c) < p.stringSets.count ? nil : "string set \(ins.c) out of range"
        case .regex: return Int(ins.c) < p.regexes.count ? nil : "regex \(ins.c) out of range"
        case .target: return target(ins.c)
        case .labelConstTarget:
            guard Int(ins.b) < p.labelSlots.count else { return "label slot \(ins.b) out of range" }
            if ins.op == .jumpLabelAffix || ins.op == .jumpLabelNotAffix, LabelAffix(rawValue: ins.a) == nil { return "unknown string test \(ins.a)" }
            guard let k = second(), UInt64(k.c) + UInt64(k.b) <= UInt64(p.constantBytes.count) else { return "string outside the constant bytes" }
            return target(ins.c)
        case .labelSetTarget:
            guard Int(ins.b) < p.labelSlots.count else { return "label slot \(ins.b) out of range" }
            guard let k = second(), Int(k.c) < p.stringSets.count else { return "string set out of range" }
            return target(ins.c)
        case .labelRegexTarget:
            guard Int(ins.b) < p.labelSlots.count else { return "label slot \(ins.b) out of range" }
            guard let k = second(), Int(k.c) < p.regexes.count else { return "regex out of range" }
            return target(ins.c)
        case .severityTarget: return target(ins.c)
        case .compareTarget: return ComparisonJump(rawValue: ins.a) != nil ? target(ins.c) : "unknown comparison \(ins.a)"
        case .builtin:
            guard let f = BuiltinID(rawValue: ins.a) else { return "unknown builtin \(ins.a)" }
            return f.arity.contains(Int(ins.b)) ? nil : "builtin \(f) takes \(f.arity), not \(ins.b) arguments"
        case .window: return Int(ins.b) < p.windows.count ? nil : "window \(ins.b) out of range"
        case .count: return nil
        case .iterate: return Int(ins.a) < RuleLimits.loopDepth ? target(ins.c) : "loop depth \(ins.a) out of range"
        case .next:
            guard ins.b >= 1 else { return "a loop iteration must charge the budget" }
            return Int(ins.a) < RuleLimits.loopDepth ? target(ins.c) : "loop depth \(ins.a) out of range"
        case .aggregate: return nil
        case .memo:
            guard Int(ins.b) < p.memoCount else { return "memo slot \(ins.b) out of range" }
            return ins.op == .memoLoad ? target(ins.c) : nil
        }
    }
}

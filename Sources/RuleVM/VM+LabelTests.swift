#if canImport(Glibc)
import Glibc
#endif

// The label-test loops: tests-only entries and runs of fused label equalities, followed
// without going back through the dispatch loop.
extension VM {
    /// The loop for `Entry.testsOnly` entries: label and severity tests jumping forward to a
    /// `ret`. No stack, no budget (every jump goes forward) and no error is possible. A test
    /// landing on a `ret` returns at once (`settle`), without another trip through the switch.
    @inline(__always)
    func tests(from start: Int) -> Bool {
        let code = codeBase, slots = slotBase
        var pc = settle(start)
        while pc >= 0 {
            let ins = code[pc]
            switch ins.op {
            case .jumpLabelNe, .jumpLabelEq:
                pc = scanLabels(pc)
            case .jumpLabelIn, .jumpLabelNotIn:
                let v = slots[Int(ins.b)]
                let hit = v.tag == .string && program.setContains(Int(code[pc &+ 1].c), bytes(v), Int(v.count))
                pc = settle(hit == (ins.op == .jumpLabelIn) ? Int(ins.c) : pc &+ 2)
            case .jumpLabelAffix, .jumpLabelNotAffix:
                let hit = labelAffix(slots[Int(ins.b)], ins.affix, code[pc &+ 1])
                pc = settle(hit == (ins.op == .jumpLabelAffix) ? Int(ins.c) : pc &+ 2)
            case .jumpSeverity:
                pc = settle((UInt64(ins.a) >> fieldBase[Int(Field.severity.rawValue)].bits) & 1 != 0 ? Int(ins.c) : pc &+ 1)
            case .const_, .label, .annotation, .number, .field, .mapGet, .it, .pop, .not, .neg, .toBool, .eq, .ne, .lt, .le, .gt,
                 .ge, .in_, .notIn, .inSet, .notInSet, .contains, .startsWith, .endsWith, .match, .noMatch, .add, .sub, .mul, .div,
                 .mod, .jump, .jumpIf, .jumpIfNot, .jumpIfPresent, .jumpLabelMatch, .jumpLabelNoMatch, .call, .search, .extract,
                 .inWindow, .makeList, .format, .iterate, .next, .aggregate, .index, .memoLoad, .memoStore, .ret, .retTrue,
                 .retFalse, .jumpCompare:
                preconditionFailure("`\(ins.op.mnemonic)` in a tests-only entry: Program.testsOnly admits none")
            }
        }
        return pc == VM.settledTrue
    }

    /// The first stretch of a `testsOnly` entry: runs of label equalities against constants of
    /// up to 16 bytes, up to a `ret` (`scanLabels` calling nothing). Everything else (sets,
    /// affixes, severities, longer constants) goes on out of line in `tests(from:)`, as a tail
    /// call, so the loop itself calls nothing (measured: P2 7.4-7.9 -> 5.9-6.5 ns).
    @inline(__always)
    func quickTests(from start: Int) -> Bool {
        let pc = scanLabels(start, calls: false)
        return pc < 0 ? pc == VM.settledTrue : testsOutOfLine(pc)
    }

    @inline(never)
    private func testsOutOfLine(_ pc: Int) -> Bool { tests(from: pc) }

    /// In the label-test loops: `settledTrue` or `settledFalse` when the instruction at `pc` is a
    /// `ret`, else `pc`.
    @inline(__always)
    func settle(_ pc: Int) -> Int {
        switch codeBase[pc].op {
        case .retTrue: VM.settledTrue
        case .retFalse: VM.settledFalse
        default: pc
        }
    }
    static let settledTrue = -1, settledFalse = -2

    /// Whether the label in `slots[test.b]` equals the constant of the `jlabeleq`/`jlabelne` at
    /// `pc`. Label slots hold input strings or missing, so one compare of the value's second word
    /// (length, tag and pool) against the constant's (`LabelTest`) settles all but the bytes,
    /// which up to 16 are compared with words pre-loaded from the constant.
    @inline(__always)
    func labelEquals(_ pc: Int, _ test: Instruction, _ input: UnsafeMutablePointer<UInt8>) -> Bool {
        if let equal = shortLabelEquals(pc, test, input) { return equal }
        let slot = slotBase[Int(test.b)]
        return memcmp(input + slot.offset, constantBytes.baseAddress! + Int(codeBase[pc &+ 1].c), Int(slot.count)) == 0
    }

    /// `labelEquals` without calling anything: nil when the lengths agree and the constant is
    /// longer than 16 bytes (the caller compares those).
    @inline(__always)
    func shortLabelEquals(_ pc: Int, _ test: Instruction, _ input: UnsafeMutablePointer<UInt8>) -> Bool? {
        let slot = UnsafeRawPointer(slotBase + Int(test.b))
        let t = labelTestBase[pc]
        guard slot.load(fromByteOffset: 8, as: UInt64.self) & 0xFFFF_FFFF_FFFF == t.expected else { return false }
        let p = UnsafeRawPointer(input + Int(truncatingIfNeeded: slot.load(as: UInt64.self)))
        let n = Int(truncatingIfNeeded: t.expected & 0xFFFF_FFFF)
        if n <= 8 { return (p.loadUnaligned(as: UInt64.self) & t.mask) == t.word0 }
        if n <= 16 { return p.loadUnaligned(as: UInt64.self) == t.word0 && (p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & t.mask) == t.word1 }
        return nil
    }

    /// Label equality tests (`jlabeleq`, `jlabelne`) from `start` on, following their jumps,
    /// without going back through the dispatch: the same tests, in the same order, with their
    /// own targets. A run of one kind (an `||` or an `&&` of tests) has a loop of its own, which
    /// only looks at the next test's kind. The pc of the first other instruction, settled; with
    /// `calls: false`, also the pc of the first test whose constant is over 16 bytes (comparing
    /// it would call `memcmp`).
    @inline(__always)
    func scanLabels(_ start: Int, calls: Bool = true) -> Int {
        let code = codeBase, input = inputBase.pointee
        var pc = start
        scan: while true {
            var test = code[pc]
            switch test.op {
            case .jumpLabelEq, .jumpLabelNe:
                let kind = test.op
                while true {
                    let equal: Bool
                    if calls {
                        equal = labelEquals(pc, test, input)
                    } else {
                        guard let short = shortLabelEquals(pc, test, input) else { return pc }
                        equal = short
                    }
                    if equal == (kind == .jumpLabelEq) { pc = Int(test.c); continue scan }
                    pc &+= 2
                    test = code[pc]
                    if test.op != kind { continue scan }
                }
            default:
                return settle(pc)
            }
        }
    }

    /// A label's string test against the constant string described by the second word `k`;
    /// false when the label is missing.
    @inline(__always)
    func labelAffix(_ v: Value, _ test: LabelAffix, _ k: Instruction) -> Bool {
        guard v.tag == .string else { return false }
        let needle = Value.string(.constant, offset: Int(k.c), count: Int(k.b))
        let start: Int
        switch test {
        case .contains: return find(needle, in: v, from: 0) != nil
        case .prefix:
            guard k.b <= v.count else { return false }
            start = 0
        case .suffix:
            guard k.b <= v.count else { return false }
            start = Int(v.count) - Int(k.b)
        }
        return sameString(.string(v.pool, offset: v.offset + start, count: Int(k.b)), needle)
    }
}

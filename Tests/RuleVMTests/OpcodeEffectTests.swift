import Testing
import RuleText
import RuleVM

/// The stack effect each opcode declares (`Opcode.effect`, which the verifier walks) is what the
/// VM does. Each case runs one instruction between two sentinels on the stack and, on the way out
/// it takes, gathers the `1 + pushes` values the declaration says are on top into a list: the
/// list starts with the upper sentinel only when the VM took exactly `pops` values and left
/// exactly `pushes`. A marker after the list says which way it went.
@Suite struct OpcodeEffectTests {
    /// Which way out a case takes.
    enum Way: Equatable, Sendable { case next, jump, returns }

    /// One run of an opcode: its arguments (constant indices pushed before it), its operands
    /// (`c` only when it is not the jump target), its second word, the alert, and the way out.
    struct Case: CustomStringConvertible, Sendable {
        var op: Opcode
        var args: [UInt32] = []
        var a: UInt8 = 0
        var b: UInt16 = 0
        var c: UInt32 = 0
        var second: Instruction?
        var labels: [String: String] = [:]
        var severity: UInt8 = 1
        /// Code run as another entry first, on the same bound alert (to fill a memo slot).
        var prelude: [Instruction] = []
        var way: Way

        var description: String { "\(op.mnemonic) args \(args) a \(a) b \(b) → \(way)" }
    }

    // The constant pool every case draws on.
    static let s0: UInt32 = 0, s1: UInt32 = 1, one: UInt32 = 2, list: UInt32 = 3, ab: UInt32 = 4, yes: UInt32 = 5
    static let missing: UInt32 = 6, jumped: UInt32 = 7, fell: UInt32 = 8, no: UInt32 = 9, two: UInt32 = 10
    static let bytes = Array("s0s1abJN".utf8)
    static let constants: [Value] = [
        str(0, 2), str(2, 2), .int(1), .list(.constant, offset: 0, count: 2), str(4, 2), .true, .missing, str(6, 1), str(7, 1),
        .false, .int(2),
    ]
    /// `ab` as the second word of a label test against a constant string.
    static let abWord = Instruction(.const_, b: 2, c: 4)

    static let cases: [Case] = [
        Case(op: .const_, c: one, way: .next),
        Case(op: .label, b: 0, labels: ["env": "ab"], way: .next),
        Case(op: .annotation, b: 0, way: .next),
        Case(op: .number, b: 0, way: .next),
        Case(op: .field, a: Field.severity.rawValue, way: .next),
        Case(op: .mapGet, args: [ab], a: AlertMap.labels.rawValue, way: .next),
        Case(op: .it, a: 0, way: .next),
        Case(op: .pop, args: [one], way: .next),
        Case(op: .not, args: [yes], way: .next),
        Case(op: .neg, args: [one], way: .next),
        Case(op: .toBool, args: [one], way: .next),
        Case(op: .eq, args: [one, two], way: .next),
        Case(op: .ne, args: [one, two], way: .next),
        Case(op: .lt, args: [one, two], way: .next),
        Case(op: .le, args: [one, two], way: .next),
        Case(op: .gt, args: [one, two], way: .next),
        Case(op: .ge, args: [one, two], way: .next),
        Case(op: .in_, args: [ab, list], way: .next),
        Case(op: .notIn, args: [ab, list], way: .next),
        Case(op: .inSet, args: [ab], c: 0, way: .next),
        Case(op: .notInSet, args: [ab], c: 0, way: .next),
        Case(op: .contains, args: [ab, ab], way: .next),
        Case(op: .startsWith, args: [ab, ab], way: .next),
        Case(op: .endsWith, args: [ab, ab], way: .next),
        Case(op: .match, args: [ab], c: 0, way: .next),
        Case(op: .noMatch, args: [ab], c: 0, way: .next),
        Case(op: .add, args: [one, two], way: .next),
        Case(op: .sub, args: [one, two], way: .next),
        Case(op: .mul, args: [one, two], way: .next),
        Case(op: .div, args: [one, two], way: .next),
        Case(op: .mod, args: [one, two], way: .next),
        Case(op: .jump, way: .jump),
        Case(op: .jumpIf, args: [yes], way: .jump),
        Case(op: .jumpIf, args: [no], way: .next),
        Case(op: .jumpIfNot, args: [no], way: .jump),
        Case(op: .jumpIfNot, args: [yes], way: .next),
        Case(op: .jumpIfPresent, args: [one], way: .jump),
        Case(op: .jumpIfPresent, args: [missing], way: .next),
        Case(op: .jumpLabelEq, second: abWord, labels: ["env": "ab"], way: .jump),
        Case(op: .jumpLabelEq, second: abWord, labels: ["env": "x"], way: .next),
        Case(op: .jumpLabelNe, second: abWord, labels: ["env": "x"], way: .jump),
        Case(op: .jumpLabelNe, second: abWord, labels: ["env": "ab"], way: .next),
        Case(op: .jumpLabelAffix, a: LabelAffix.prefix.rawValue, second: abWord, labels: ["env": "abc"], way: .jump),
        Case(op: .jumpLabelAffix, a: LabelAffix.suffix.rawValue, second: abWord, labels: ["env": "abc"], way: .next),
        Case(op: .jumpLabelNotAffix, a: LabelAffix.contains.rawValue, second: abWord, labels: ["env": "x"], way: .jump),
        Case(op: .jumpLabelNotAffix, a: LabelAffix.contains.rawValue, second: abWord, labels: ["env": "xaby"], way: .next),
        Case(op: .jumpLabelIn, second: Instruction(.const_, c: 0), labels: ["env": "ab"], way: .jump),
        Case(op: .jumpLabelIn, second: Instruction(.const_, c: 0), labels: ["env": "x"], way: .next),
        Case(op: .jumpLabelNotIn, second: Instruction(.const_, c: 0), labels: ["env": "x"], way: .jump),
        Case(op: .jumpLabelNotIn, second: Instruction(.const_, c: 0), labels: ["env": "ab"], way: .next),
        Case(op: .jumpLabelMatch, second: Instruction(.const_, c: 0), labels: ["env": "ab"], way: .jump),
        Case(op: .jumpLabelMatch, second: Instruction(.const_, c: 0), labels: ["env": "x"], way: .next),
        Case(op: .jumpLabelNoMatch, second: Instruction(.const_, c: 0), labels: ["env": "x"], way: .jump),
        Case(op: .jumpLabelNoMatch, second: Instruction(.const_, c: 0), labels: ["env": "ab"], way: .next),
        Case(op: .jumpSeverity, a: 0b1000, severity: 3, way: .jump),
        Case(op: .jumpSeverity, a: 0b1000, severity: 1, way: .next),
        Case(op: .call, args: [], a: BuiltinID.age.rawValue, b: 0, way: .next),
        Case(op: .call, args: [ab], a: BuiltinID.len.rawValue, b: 1, way: .next),
        Case(op: .call, args: [ab, one, one], a: BuiltinID.substr.rawValue, b: 3, way: .next),
        Case(op: .search, args: [ab], c: 0, way: .next),
        Case(op: .extract, args: [ab], c: 0, way: .next),
        Case(op: .inWindow, b: 0, way: .next),
        Case(op: .makeList, args: [], c: 0, way: .next),
        Case(op: .makeList, args: [one, two, one], c: 3, way: .next),
        Case(op: .format, args: [ab, one], c: 2, way: .next),
        Case(op: .iterate, args: [list], a: 0, way: .next),
        Case(op: .iterate, args: [missing], a: 0, way: .jump),
        // Outside a loop, a `next` finds its list done.
        Case(op: .next, a: 0, b: 1, way: .jump),
        Case(op: .aggregate, b: 0, way: .next),
        Case(op: .index, args: [list, one], way: .next),
        Case(op: .memoLoad, b: 0, way: .next),
        Case(op: .memoLoad, b: 0, prelude: [Instruction(.const_, c: one), Instruction(.memoStore, b: 0), Instruction(.ret)], way: .jump),
        Case(op: .memoStore, args: [one], b: 0, way: .next),
        Case(op: .ret, args: [one], way: .returns),
        Case(op: .retTrue, way: .returns),
        Case(op: .retFalse, way: .returns),
        Case(op: .jumpCompare, args: [one, two], a: ComparisonJump(.lt, whenTrue: true).rawValue, way: .jump),
        Case(op: .jumpCompare, args: [two, one], a: ComparisonJump(.lt, whenTrue: true).rawValue, way: .next),
        Case(op: .jumpCompare, args: [two, one], a: ComparisonJump(.ge, whenTrue: false).rawValue, way: .next),
    ]

    /// The program of a case: sentinels, arguments, the instruction, then one block per way out
    /// that lists the values the declaration says are on top and marks the way.
    static func program(_ t: Case) -> Program {
        var code = [Instruction(.const_, c: s0), Instruction(.const_, c: s1)] + t.args.map { Instruction(.const_, c: $0) }
        let at = code.count
        let probe = Instruction(t.op, a: t.a, b: t.b, c: t.c)
        let effect = t.op.effect(probe)
        code.append(probe)
        if let second = t.second { code.append(second) }
        func block(_ pushed: Int, _ marker: UInt32) -> [Instruction] {
            [Instruction(.makeList, c: UInt32(1 + pushed)), Instruction(.const_, c: marker), Instruction(.makeList, c: 2), Instruction(.ret)]
        }
        if let pushed = effect.next { code += block(pushed, fell) }
        if let pushed = effect.jump {
            code[at].c = UInt32(code.count)
            code += block(pushed, jumped)
        }
        var entries = [Entry(name: "case", pc: 0, cost: code.count)]
        if !t.prelude.isEmpty {
            entries.append(Entry(name: "prelude", pc: code.count, cost: t.prelude.count))
            code += t.prelude
        }
        return Program(code: code, constants: constants, constantBytes: bytes, listElements: [str(4, 1), str(5, 1)],
                       stringSets: [StringSet(["ab", "cd"])], regexes: [try! Regex.compile("a.*", anchored: true).get()],
                       labelSlots: ["env"], annotationSlots: ["note"], numberSlots: ["ratio"],
                       windows: [WindowSpec(name: "w", weekdays: 0x7F, startMinute: 0, endMinute: 1440, zone: "UTC")],
                       timezone: "UTC", entries: entries, files: [], spans: [], budget: 1_000, memoCount: 1)
    }

    @Test(arguments: cases)
    func declaredEffectIsWhatTheVMDoes(_ t: Case) throws {
        let program = Self.program(t)
        let vm = VM(program: try VerifiedProgram(program))
        vm.bind(AlertInput(labels: t.labels.merging(["alertname": "A"]) { a, _ in a }, severity: t.severity, startsAt: 0), now: 60_000)
        if program.entries.count > 1 { _ = vm.run(entry: 1) }
        let result = vm.plain(try vm.run(entry: 0).get())
        switch t.way {
        case .returns:
            let expected: PlainValue = t.op == .ret ? .int(1) : .bool(t.op == .retTrue)
            #expect(result == expected)
        case .next, .jump:
            guard case .list(let parts) = result, parts.count == 2, case .list(let top) = parts[0] else {
                Issue.record("\(t): \(result)")
                return
            }
            #expect(parts[1] == .string(t.way == .jump ? "J" : "N"), "\(t): went the other way")
            #expect(top.first == .string("s1"), "\(t): the stack under the instruction moved: \(top)")
        }
    }

    /// Every opcode has a case for each way out it declares (a `next` outside a loop can only
    /// find its list done), so a new opcode cannot go untested here.
    @Test func everyDeclaredWayHasACase() {
        for op in Opcode.allCases {
            let mine = Self.cases.filter { $0.op == op }
            #expect(!mine.isEmpty, "no case for \(op.mnemonic)")
            guard let first = mine.first else { continue }
            let effect = op.effect(Instruction(op, a: first.a, b: first.b, c: first.c))
            if effect.returns { #expect(mine.contains { $0.way == .returns }, "\(op.mnemonic)") }
            if effect.jump != nil { #expect(mine.contains { $0.way == .jump }, "\(op.mnemonic) never jumps here") }
            if effect.next != nil, op != .next { #expect(mine.contains { $0.way == .next }, "\(op.mnemonic) never goes on here") }
        }
    }

    /// Sub-operands the enums do not know are rejected by the verifier.
    @Test func unknownSubOperandsAreRejected() {
        let cases: [(Case, String)] = [
            (Case(op: .mapGet, args: [Self.ab], a: 2, way: .next), "pc 3: map 2 out of range"),
            (Case(op: .jumpLabelAffix, a: 3, second: Self.abWord, way: .jump), "pc 2: unknown string test 3"),
            (Case(op: .jumpCompare, args: [Self.one, Self.two], a: 8, way: .jump), "pc 4: unknown comparison 8"),
            (Case(op: .call, args: [Self.ab], a: UInt8(BuiltinID.allCases.count), b: 1, way: .next), "pc 3: unknown builtin 17"),
            (Case(op: .call, args: [Self.ab, Self.ab], a: BuiltinID.len.rawValue, b: 2, way: .next), "pc 4: builtin len takes 1...1, not 2 arguments"),
        ]
        for (t, message) in cases {
            #expect(Verifier.verify(Self.program(t))?.description == message, "\(t)")
        }
    }
}

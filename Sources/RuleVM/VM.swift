#if canImport(Glibc)
import RuleText
import Glibc
#endif

/// Runs a program's entries against one bound alert at a time. Not thread-safe: each thread
/// (or evaluation task) uses its own VM over a shared `Program`.
public final class VM {
    public let program: Program
    /// Most values on the stack; the verifier proves every entry stays below it.
    public static let stackLimit = 256
    /// Deepest nesting of `any`/`all`.
    public static let loopDepthLimit = 8
    /// Bytes of computed strings per evaluation (the memory budget).
    public static let scratchBytes = 64 * 1024
    /// Values of computed lists per evaluation.
    public static let scratchValues = 4096

    // Invariant: all buffers below are allocated in `init` (input may be replaced by `bind`),
    // freed in `deinit`, and indexed only at positions the verifier or the bind step proved valid.
    let code: UnsafeMutableBufferPointer<Instruction>
    let constants: UnsafeMutableBufferPointer<Value>
    let constantBytes: UnsafeMutableBufferPointer<UInt8>
    let listElements: UnsafeMutableBufferPointer<Value>
    /// Per entry: `pc << 1`, plus 1 when the entry is `testsOnly`, and the budget left for it
    /// (the program's budget less its straight-line cost); `entryCount` of them.
    let entryWords: UnsafeMutablePointer<Int>
    let entryBudgets: UnsafeMutablePointer<Int>
    let entryCount: Int
    /// `input`'s base address behind a pointer fixed at init, for the label-test loops.
    let inputBase: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>>
    let scratch: UnsafeMutableBufferPointer<UInt8>
    /// Bytes of `scratch` in use (reset per run).
    var scratchUsed: Int {
        get { counters[0] }
        set { counters[0] = newValue }
    }
    let scratchList: UnsafeMutableBufferPointer<Value>
    /// Values of `scratchList` in use (reset per run).
    var scratchListUsed: Int {
        get { counters[1] }
        set { counters[1] = newValue }
    }
    /// Memo slots: value and the bind generation it was computed in.
    let memoValues: UnsafeMutablePointer<Value>
    let memoGeneration: UnsafeMutablePointer<Int>
    /// Increases with every `bind`, invalidating all memo slots at once.
    var generation: Int {
        get { counters[2] }
        set { counters[2] = newValue }
    }
    /// The run's counters behind a pointer, so the hot path pays no exclusivity checks.
    let counters: UnsafeMutablePointer<Int>
    let stack: UnsafeMutablePointer<Value>
    /// Base pointers of the buffers the loop reads, fixed at init (no optional unwrapping per run).
    let codeBase: UnsafeMutablePointer<Instruction>
    let labelTestBase: UnsafeMutablePointer<LabelTest>
    let constantBase: UnsafeMutablePointer<Value>
    let slotBase: UnsafeMutablePointer<Value>
    let fieldBase: UnsafeMutablePointer<Value>
    /// Per loop depth: the list, the next index, and the current element.
    let loopList: UnsafeMutablePointer<Value>
    let loopIndex: UnsafeMutablePointer<Int>
    let loopItem: UnsafeMutablePointer<Value>

    /// Bound label values by slot, annotation values, parsed number labels, and fields by
    /// `Field.rawValue`. Invariant: allocated in `init` with the program's slot counts.
    let slots: UnsafeMutableBufferPointer<Value>
    let annotationSlots: UnsafeMutableBufferPointer<Value>
    let numberSlots: UnsafeMutableBufferPointer<Value>
    let fields: UnsafeMutableBufferPointer<Value>
    /// What `bind` and the enrich sets change (the input pool, the label maps, aggregates, the
    /// bind tag, the clock), behind a pointer fixed at init: a class's stored `var`s pay a
    /// dynamic exclusivity check (a thread-local look-up) on every access. Read and written
    /// through the properties in VM+BoundState.swift.
    let bound: UnsafeMutablePointer<BoundState>
    /// Label, `number` label and annotation slots by the bytes of their names (two canonically
    /// equivalent spellings are two names, as the program's slots are).
    let labelNames: NameTable
    /// Per name of `labelNames`: its label slot and its `number` slot (-1: none), and whether
    /// it is `alertname`.
    let labelTargets: [(slot: Int32, number: Int32, alertname: Bool)]
    let annotationNames: NameTable
    /// The slot of `Program.alertnameFieldSlot`, when the program reads it.
    let alertnameSlot: Int?
    let matcher = Matcher()
    /// Each window's zone, and the pack's (`hour()`, `weekday()`), with their offsets cached.
    let windowClocks: [ZoneClock]
    let windowTimes: [WindowTimes]
    let packClock: ZoneClock

    /// A VM for a verified program (the unchecked reads below rely on it).
    public init(program verified: VerifiedProgram) {
        let program = verified.program
        self.program = program
        windowClocks = program.windows.map { ZoneClock($0.zone) }
        windowTimes = program.windows.map(\.times)
        packClock = ZoneClock(program.timezone)
        code = program.codeBuffer
        constants = program.constantBuffer
        constantBytes = program.constantBytesBuffer
        listElements = program.listBuffer
        // Pools carry 16 bytes of padding past their usable size (see `sameString`).
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096 + 16)
        bound = .allocate(capacity: 1)
        bound.initialize(to: BoundState(input: input))
        inputBase = .allocate(capacity: 1)
        entryCount = program.entries.count
        entryWords = .allocate(capacity: max(1, entryCount))
        entryBudgets = .allocate(capacity: max(1, entryCount))
        for (i, e) in program.entries.enumerated() {
            entryWords[i] = e.pc << 1 | (e.testsOnly ? 1 : 0)
            entryBudgets[i] = program.budget - e.cost
        }
        inputBase.initialize(to: input.baseAddress!)
        scratch = .allocate(capacity: VM.scratchBytes + 16)
        scratchList = .allocate(capacity: VM.scratchValues)
        stack = .allocate(capacity: VM.stackLimit)
        loopList = .allocate(capacity: VM.loopDepthLimit)
        loopIndex = .allocate(capacity: VM.loopDepthLimit)
        loopItem = .allocate(capacity: VM.loopDepthLimit)
        loopList.initialize(repeating: .list(.scratch, offset: 0, count: 0), count: VM.loopDepthLimit)
        loopIndex.initialize(repeating: 0, count: VM.loopDepthLimit)
        loopItem.initialize(repeating: .missing, count: VM.loopDepthLimit)
        input.initialize(repeating: 0)
        scratch.initialize(repeating: 0)
        counters = .allocate(capacity: 3)
        counters.initialize(repeating: 0, count: 3)
        memoValues = .allocate(capacity: max(1, program.memoCount))
        memoValues.initialize(repeating: .missing, count: max(1, program.memoCount))
        memoGeneration = .allocate(capacity: max(1, program.memoCount))
        memoGeneration.initialize(repeating: -1, count: max(1, program.memoCount))
        func values(_ n: Int) -> UnsafeMutableBufferPointer<Value> {
            let b = UnsafeMutableBufferPointer<Value>.allocate(capacity: max(1, n))
            b.initialize(repeating: .missing)
            return UnsafeMutableBufferPointer(rebasing: b[0..<n])
        }
        slots = values(program.labelSlots.count)
        codeBase = program.codeBuffer.baseAddress!
        labelTestBase = program.labelTests.baseAddress!
        constantBase = program.constantBuffer.baseAddress!
        annotationSlots = values(program.annotationSlots.count)
        numberSlots = values(program.numberSlots.count)
        fields = values(Field.allCases.count)
        slotBase = slots.baseAddress!
        fieldBase = fields.baseAddress!
        // One table for label and `number` slots (and `alertname`): one look-up per label.
        // Names are found by their bytes in a dictionary: a pack may read 65,536 labels.
        var names: [String] = [], targets: [(slot: Int32, number: Int32, alertname: Bool)] = []
        var index: [[UInt8]: Int] = [:]
        func target(_ name: String) -> Int {
            let key = Array(name.utf8)
            if let i = index[key] { return i }
            index[key] = names.count
            names.append(name)
            targets.append((-1, -1, name == "alertname"))
            return names.count - 1
        }
        for (s, name) in program.labelSlots.enumerated() {
            let i = target(name)
            if targets[i].slot < 0 { targets[i].slot = Int32(s) }
        }
        for (n, name) in program.numberSlots.enumerated() {
            let i = target(name)
            if targets[i].number < 0 { targets[i].number = Int32(n) }
        }
        _ = target("alertname")
        labelNames = NameTable(names)
        labelTargets = targets
        annotationNames = NameTable(program.annotationSlots)
        alertnameSlot = program.labelSlots.firstIndex(of: Program.alertnameFieldSlot)
    }

    deinit {
        input.deallocate()
        bound.deinitialize(count: 1)
        bound.deallocate()
        scratch.deallocate()
        scratchList.deallocate()
        stack.deallocate()
        loopList.deallocate()
        loopIndex.deallocate()
        loopItem.deallocate()
        counters.deallocate()
        inputBase.deallocate()
        entryWords.deallocate()
        entryBudgets.deallocate()
        memoValues.deallocate()
        memoGeneration.deallocate()
        for b in [slots, annotationSlots, numberSlots, fields] { UnsafeMutableRawPointer(b.baseAddress!).deallocate() }
    }

    /// Copies `s` into the input pool.
    func intern(_ s: String) -> Value {
        // Read where it is (`withUTF8` needs a mutable copy: a retain and a release each).
        if let v = s.utf8.withContiguousStorageIfAvailable({ intern(bytes: $0) }) { return v }
        var s = s
        return s.withUTF8 { intern(bytes: $0) }
    }

    private func intern(bytes b: UnsafeBufferPointer<UInt8>) -> Value {
        makeInputRoom(for: b.count)
        if b.count > 0 { (input.baseAddress! + inputUsed).update(from: b.baseAddress!, count: b.count) }
        defer { inputUsed += b.count }
        return .string(.input, offset: inputUsed, count: b.count)
    }

    /// Room in the input pool for `n` more bytes (and its 16 bytes of padding): a pool twice as
    /// big, or as big as needed, with the bytes in use copied over, when this one is short.
    @inline(__always)
    func makeInputRoom(for n: Int) {
        if inputUsed + n + 16 > input.count { growInput(for: n) }
    }

    @inline(never)
    private func growInput(for n: Int) {
        let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(input.count * 2, inputUsed + n + 16))
        bigger.initialize(repeating: 0)
        _ = bigger.initialize(from: input[0..<inputUsed])
        input.deallocate()
        input = bigger
    }

    /// Binds an alert once: every label the program reads gets its slot; `now` is the
    /// evaluation time in milliseconds since the epoch.
    public func bind(_ alert: AlertInput, now: Int64) {
        bindTag = nil
        inputUsed = 0
        generation += 1
        self.now = now
        for i in slots.indices { slots[i] = .missing }
        for i in annotationSlots.indices { annotationSlots[i] = .missing }
        for i in numberSlots.indices { numberSlots[i] = .missing }
        var alertname: String?
        // Whether every label name is ASCII, found on the way when every label is looked at.
        var asciiNames: Bool?
        if alert.labels.count <= slots.count + numberSlots.count + 1 {
            // Each label name is hashed once (its bytes) into the program's slots.
            var high: UInt8 = 0
            for (k, v) in alert.labels {
                let found = k.utf8.withContiguousStorageIfAvailable { b in
                    for x in b { high |= x }
                    return labelNames.lookup(UnsafeRawBufferPointer(b))
                }
                if found == nil { high |= 0x80 }      // (not contiguous: looked at by the map itself)
                guard let t = found ?? labelNames.value(k) else { continue }
                let target = labelTargets[t]
                if target.slot >= 0 { slots[Int(target.slot)] = intern(v) }
                if target.number >= 0 { numberSlots[Int(target.number)] = Self.number(v) }
                if target.alertname { alertname = v }
            }
            if high < 0x80 { asciiNames = true }
        } else {
            // Many more labels than the program reads: look up the ones it reads.
            for (s, name) in program.labelSlots.enumerated() {
                if let i = alert.labels.index(forKey: name), NameTable.sameBytes(alert.labels[i].key, name) { slots[s] = intern(alert.labels[i].value) }
            }
            // `number` labels and `alertname` are ASCII names: a dictionary look-up is exact.
            for (n, name) in program.numberSlots.enumerated() { if let v = alert.labels[name] { numberSlots[n] = Self.number(v) } }
            alertname = alert.labels["alertname"]
        }
        if !annotationSlots.isEmpty {
            for (k, v) in alert.annotations {
                if let s = annotationNames.value(k) { annotationSlots[s] = intern(v) }
            }
        }
        labelMap.bind(alert.labels, asciiKeys: asciiNames)
        annotationMap.bind(alert.annotations)
        fields[Int(Field.alertname.rawValue)] = alertname.map(intern) ?? .string(.input, offset: 0, count: 0)
        if let s = alertnameSlot { slots[s] = fields[Int(Field.alertname.rawValue)] }
        fields[Int(Field.severity.rawValue)] = .severity(alert.severity)
        fields[Int(Field.value.rawValue)] = alert.value.map(Value.float) ?? .missing
        fields[Int(Field.startsAt.rawValue)] = .time(alert.startsAt)
        fields[Int(Field.source.rawValue)] = alert.source.map(intern) ?? .missing
        fields[Int(Field.fingerprint.rawValue)] = intern(alert.fingerprint)
        fields[Int(Field.tenant.rawValue)] = intern(alert.tenant)
        fields[Int(Field.tier.rawValue)] = intern(alert.tier)
        fields[Int(Field.labels.rawValue)] = Value(tag: .map, bits: 0)
        fields[Int(Field.annotations.rawValue)] = Value(tag: .map, bits: 1)
        fields[Int(Field.now.rawValue)] = .time(now)
    }

    /// A `number` label's value: the label read as a finite float, else missing.
    static func number(_ text: String) -> Value {
        Double(text).flatMap { $0.isFinite ? Value.float($0) : nil } ?? .missing
    }

    /// The bound alert's labels and annotations, with what `setLabel`/`setAnnotation` changed.
    public var labels: [String: String] { labelMap.dictionary }
    public var annotations: [String: String] { annotationMap.dictionary }

    /// The bound alert's label `name` (after `setLabel`), without building the whole map.
    public func label(_ name: String) -> String? { labelMap[name] }

    /// The slot of the label named `name` (`Program.alertnameFieldSlot`: the `alertname`
    /// field), when the program reads it.
    public func labelSlot(_ name: String) -> Int? {
        guard let t = labelNames.value(name), labelTargets[t].slot >= 0 else { return nil }
        return Int(labelTargets[t].slot)
    }

    /// The bytes of a label slot's value as bound and set (nil: missing), for `body` only.
    public func withSlotBytes<R>(_ slot: Int, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        let v = slots[slot]
        guard v.tag == .string else { return body(nil) }
        return body(UnsafeRawBufferPointer(start: bytes(v), count: Int(v.count)))
    }

    /// Pointer to a string's bytes.
    @inline(__always)
    func bytes(_ v: Value) -> UnsafePointer<UInt8> {
        switch v.pool {
        case .constant: UnsafePointer(constantBytes.baseAddress! + v.offset)
        case .input: UnsafePointer(input.baseAddress! + v.offset)
        case .scratch: UnsafePointer(scratch.baseAddress! + v.offset)
        }
    }

    /// Byte-wise string equality (word-wise up to 16 bytes: every pool is padded by 16 bytes).
    @inline(__always)
    func sameString(_ a: Value, _ b: Value) -> Bool {
        a.count == b.count && Program.sameBytes(bytes(a), bytes(b), Int(a.count))
    }

    /// Evaluates `entry` against the bound alert: its value, or the run-time error.
    public func run(_ entry: Entry) -> Result<Value, RuntimeError> {
        if entry.testsOnly { return .success(.bool(tests(from: entry.pc))) }
        return general(entry.pc, program.budget - entry.cost)
    }

    /// Evaluates the program's entry number `index` (as `run(program.entries[index])`, without
    /// copying the entry).
    public func run(entry index: Int) -> Result<Value, RuntimeError> {
        precondition(index >= 0 && index < entryCount, "no entry \(index)")
        let word = entryWords[index]
        if word & 1 != 0 { return .success(.bool(quickTests(from: word >> 1))) }
        return general(word >> 1, entryBudgets[index])
    }

    /// Whether the program's entry number `index` matched (as `matches(program.entries[index])`).
    public func matches(entry index: Int) -> Bool {
        precondition(index >= 0 && index < entryCount, "no entry \(index)")
        let word = entryWords[index]
        if word & 1 != 0 { return quickTests(from: word >> 1) }
        return generalMatches(word >> 1, entryBudgets[index])
    }

    @inline(never)
    private func general(_ pc: Int, _ budget: Int) -> Result<Value, RuntimeError> {
        counters[0] = 0
        counters[1] = 0
        do {
            return .success(try execute(from: pc, budget: budget))
        } catch {
            return .failure(error)
        }
    }

    /// Whether `entry` matched: true only for `true` (missing and errors do not match).
    public func matches(_ entry: Entry) -> Bool {
        if entry.testsOnly { return tests(from: entry.pc) }
        return generalMatches(entry.pc, program.budget - entry.cost)
    }

    @inline(never)
    private func generalMatches(_ pc: Int, _ budget: Int) -> Bool {
        counters[0] = 0
        counters[1] = 0
        do {
            return try execute(from: pc, budget: budget).isTrue
        } catch {
            return false
        }
    }

    /// The loop for `Entry.testsOnly` entries: label and severity tests jumping forward to a
    /// `ret`. No stack, no budget (every jump goes forward) and no error is possible. A test
    /// landing on a `ret` returns at once (`settle`), without another trip through the switch.
    @inline(__always)
    private func tests(from start: Int) -> Bool {
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
                let hit = labelAffix(slots[Int(ins.b)], ins.a, code[pc &+ 1])
                pc = settle(hit == (ins.op == .jumpLabelAffix) ? Int(ins.c) : pc &+ 2)
            case .jumpSeverity:
                pc = settle((UInt64(ins.a) >> fieldBase[Int(Field.severity.rawValue)].bits) & 1 != 0 ? Int(ins.c) : pc &+ 1)
            default:
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
    private func quickTests(from start: Int) -> Bool {
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

    /// `startswith` (0), `endswith` (1) or `contains` (2) of a label against the constant string
    /// described by the second word `k`; false when the label is missing.
    @inline(__always)
    func labelAffix(_ v: Value, _ test: UInt8, _ k: Instruction) -> Bool {
        guard v.tag == .string else { return false }
        let needle = Value.string(.constant, offset: Int(k.c), count: Int(k.b))
        if test == 2 { return find(needle, in: v, from: 0) != nil }
        guard k.b <= v.count else { return false }
        let start = test == 0 ? 0 : Int(v.count) - Int(k.b)
        return sameString(.string(v.pool, offset: v.offset + start, count: Int(k.b)), needle)
    }

    /// Sets the aggregates of the current window (after `bind`): strings are copied into the
    /// input pool; lists are not aggregate results and read as missing.
    public func bindAggregates(_ values: [PlainValue]) {
        // Memo slots may hold values computed with the aggregates before.
        generation += 1
        aggregates = values.map { v in
            switch v {
            case .missing, .list, .map: .missing
            case .bool(let b): .bool(b)
            case .int(let i): .int(i)
            case .float(let d): .float(d)
            case .string(let s): intern(s)
            case .duration(let ms): .duration(ms)
            case .time(let ms): .time(ms)
            case .severity(let s): .severity(min(s, 3))
            }
        }
    }

    /// `a < b` (0), `<=` (1), `>` (2) or `>=` (3) for values other than two floats; false when
    /// they have no order (as `lt`, `le`, `gt`, `ge`).
    @inline(never)
    func compare(_ a: Value, _ b: Value, _ test: UInt8) -> Bool {
        guard let o = order(a, b) else { return false }
        return switch test {
        case 0: o < 0
        case 1: o <= 0
        case 2: o > 0
        default: o >= 0
        }
    }

    /// `in_window(w)` at the evaluation time.
    @inline(never)
    func inWindow(_ w: Int) -> Value { .bool(windowClocks[w].inWindow(now, windowTimes[w])) }

    /// Whether `ms` falls in the program's window named `name` (nil: it has none of that name),
    /// with the window's zone offset cached as `in_window` has it.
    public func inWindow(named name: String, at ms: Int64) -> Bool? {
        program.windows.firstIndex { $0.name == name }.map { windowClocks[$0].inWindow(ms, windowTimes[$0]) }
    }

    /// Aggregate `i` of the current window (missing when the engine supplied none).
    @inline(never)
    func aggregate(_ i: Int) -> Value { i < aggregates.count ? aggregates[i] : .missing }

    /// The dispatch loop: one switch, fast paths inline, slow paths in `@inline(never)` helpers.
    @inline(__always)
    private func execute(from start: Int, budget: Int) throws(RuntimeError) -> Value {
        var budgetLeft = budget
        // Locals, so the loop reads plain pointers (no exclusivity checks, no retains).
        let code = codeBase, constants = constantBase
        let slots = slotBase, fields = fieldBase
        let stack = self.stack
        var pc = start
        var sp = 0
        while true {
            let ins = code[pc]
            switch ins.op {
            case .const_:
                stack[sp] = constants[Int(ins.c)]; sp &+= 1; pc &+= 1
            case .label:
                stack[sp] = slots[Int(ins.b)]; sp &+= 1; pc &+= 1
            case .annotation:
                stack[sp] = annotationSlots.baseAddress![Int(ins.b)]; sp &+= 1; pc &+= 1
            case .number:
                stack[sp] = numberSlots.baseAddress![Int(ins.b)]; sp &+= 1; pc &+= 1
            case .field:
                stack[sp] = fields[Int(ins.a)]; sp &+= 1; pc &+= 1
            case .mapGet:
                stack[sp - 1] = mapGet(ins.a, stack[sp - 1]); pc &+= 1
            case .it:
                stack[sp] = loopItem[Int(ins.a)]; sp &+= 1; pc &+= 1
            case .pop:
                sp &-= 1; pc &+= 1
            case .not:
                stack[sp - 1] = .bool(!stack[sp - 1].isTrue); pc &+= 1
            case .toBool:
                stack[sp - 1] = .bool(stack[sp - 1].isTrue); pc &+= 1
            case .neg:
                stack[sp - 1] = try negate(stack[sp - 1], pc); pc &+= 1
            case .eq:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                stack[sp &- 1] = .bool(a.tag == .string && b.tag == .string ? sameString(a, b) : equal(a, b) == true)
                pc &+= 1
            case .ne:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                stack[sp &- 1] = .bool(a.tag == .string && b.tag == .string ? !sameString(a, b) : equal(a, b) != true)
                pc &+= 1
            case .lt:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .bool(a.float < b.float)
                } else {
                    stack[sp &- 1] = .bool(compare(a, b, 0))
                }
                pc &+= 1
            case .le:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .bool(a.float <= b.float)
                } else {
                    stack[sp &- 1] = .bool(compare(a, b, 1))
                }
                pc &+= 1
            case .gt:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .bool(a.float > b.float)
                } else {
                    stack[sp &- 1] = .bool(compare(a, b, 2))
                }
                pc &+= 1
            case .ge:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .bool(a.float >= b.float)
                } else {
                    stack[sp &- 1] = .bool(compare(a, b, 3))
                }
                pc &+= 1
            case .in_:
                sp &-= 1; stack[sp - 1] = .bool(member(stack[sp - 1], stack[sp])); pc &+= 1
            case .notIn:
                sp &-= 1; stack[sp - 1] = .bool(!member(stack[sp - 1], stack[sp])); pc &+= 1
            case .inSet:
                let v = stack[sp - 1]
                stack[sp - 1] = .bool(v.tag == .string && program.setContains(Int(ins.c), bytes(v), Int(v.count))); pc &+= 1
            case .notInSet:
                let v = stack[sp - 1]
                stack[sp - 1] = .bool(!(v.tag == .string && program.setContains(Int(ins.c), bytes(v), Int(v.count)))); pc &+= 1
            case .contains:
                sp &-= 1; stack[sp - 1] = .bool(contains(stack[sp - 1], stack[sp])); pc &+= 1
            case .startsWith:
                sp &-= 1; stack[sp - 1] = .bool(affix(stack[sp - 1], stack[sp], prefix: true)); pc &+= 1
            case .endsWith:
                sp &-= 1; stack[sp - 1] = .bool(affix(stack[sp - 1], stack[sp], prefix: false)); pc &+= 1
            case .match:
                stack[sp - 1] = .bool(try regexMatch(stack[sp - 1], Int(ins.c), pc) == true); pc &+= 1
            case .noMatch:
                stack[sp - 1] = .bool(try regexMatch(stack[sp - 1], Int(ins.c), pc) != true); pc &+= 1
            case .add:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .float(a.float + b.float)
                } else {
                    stack[sp &- 1] = try arithmetic(.add, a, b, pc)
                }
                pc &+= 1
            case .sub:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .float(a.float - b.float)
                } else {
                    stack[sp &- 1] = try arithmetic(.sub, a, b, pc)
                }
                pc &+= 1
            case .mul:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .float(a.float * b.float)
                } else {
                    stack[sp &- 1] = try arithmetic(.mul, a, b, pc)
                }
                pc &+= 1
            case .div:
                sp &-= 1; stack[sp - 1] = try arithmetic(.div, stack[sp - 1], stack[sp], pc); pc &+= 1
            case .mod:
                sp &-= 1; stack[sp - 1] = try arithmetic(.mod, stack[sp - 1], stack[sp], pc); pc &+= 1
            case .jumpCompare:
                sp &-= 2
                let a = stack[sp], b = stack[sp &+ 1]
                let holds: Bool
                if a.tag == .float && b.tag == .float {
                    holds = switch ins.a & 3 {
                    case 0: a.float < b.float
                    case 1: a.float <= b.float
                    case 2: a.float > b.float
                    default: a.float >= b.float
                    }
                } else {
                    holds = compare(a, b, ins.a & 3)
                }
                pc = holds == (ins.a & 4 != 0) ? Int(ins.c) : pc &+ 1
            case .jump:
                pc = Int(ins.c)
            case .jumpIf:
                sp &-= 1; pc = stack[sp].isTrue ? Int(ins.c) : pc &+ 1
            case .jumpIfNot:
                sp &-= 1; pc = stack[sp].isTrue ? pc &+ 1 : Int(ins.c)
            case .jumpIfPresent:
                if stack[sp - 1].isMissing { sp &-= 1; pc &+= 1 } else { pc = Int(ins.c) }
            case .jumpLabelEq, .jumpLabelNe:
                pc = scanLabels(pc)
                if pc < 0 { return .bool(pc == VM.settledTrue) }
            case .jumpLabelAffix:
                let k = code[pc &+ 1]
                pc = labelAffix(slots[Int(ins.b)], ins.a, k) ? Int(ins.c) : pc &+ 2
            case .jumpLabelNotAffix:
                let k = code[pc &+ 1]
                pc = labelAffix(slots[Int(ins.b)], ins.a, k) ? pc &+ 2 : Int(ins.c)
            case .jumpLabelIn:
                let v = slots[Int(ins.b)]
                let hit = v.tag == .string && program.setContains(Int(code[pc &+ 1].c), bytes(v), Int(v.count))
                pc = hit ? Int(ins.c) : pc &+ 2
            case .jumpLabelNotIn:
                let v = slots[Int(ins.b)]
                let hit = v.tag == .string && program.setContains(Int(code[pc &+ 1].c), bytes(v), Int(v.count))
                pc = hit ? pc &+ 2 : Int(ins.c)
            case .jumpLabelMatch:
                pc = try regexMatch(slots[Int(ins.b)], Int(code[pc &+ 1].c), pc) == true ? Int(ins.c) : pc &+ 2
            case .jumpLabelNoMatch:
                pc = try regexMatch(slots[Int(ins.b)], Int(code[pc &+ 1].c), pc) == true ? pc &+ 2 : Int(ins.c)
            case .jumpSeverity:
                let sev = fields[Int(Field.severity.rawValue)].bits
                pc = (UInt64(ins.a) >> sev) & 1 != 0 ? Int(ins.c) : pc &+ 1
            case .call:
                let argc = Int(ins.b)
                stack[sp - argc] = try call(BuiltinID(rawValue: ins.a)!, UnsafeBufferPointer(start: stack + sp - argc, count: argc), pc)
                sp -= argc - 1; pc &+= 1
            case .search:
                stack[sp - 1] = try search(stack[sp - 1], Int(ins.c), pc); pc &+= 1
            case .extract:
                stack[sp - 1] = try extract(stack[sp - 1], Int(ins.c), pc); pc &+= 1
            case .inWindow:
                stack[sp] = inWindow(Int(ins.b)); sp &+= 1; pc &+= 1
            case .makeList:
                let n = Int(ins.c)
                stack[sp - n] = try makeList(UnsafeBufferPointer(start: stack + sp - n, count: n), pc)
                sp -= n - 1; pc &+= 1
            case .format:
                let n = Int(ins.c)
                stack[sp - n] = try format(UnsafeBufferPointer(start: stack + sp - n, count: n), pc)
                sp -= n - 1; pc &+= 1
            case .iterate:
                sp &-= 1
                let list = stack[sp]
                if list.tag == .list {
                    loopList[Int(ins.a)] = list; loopIndex[Int(ins.a)] = 0; pc &+= 1
                } else {
                    stack[sp] = .missing; sp &+= 1; pc = Int(ins.c)
                }
            case .next:
                let d = Int(ins.a)
                let list = loopList[d]
                let i = loopIndex[d]
                if i < Int(list.count) {
                    loopItem[d] = element(list, i)
                    loopIndex[d] = i + 1
                    budgetLeft -= Int(ins.b)
                    if budgetLeft < 0 { throw RuntimeError(kind: .instructionBudget, pc: pc) }
                    pc &+= 1
                } else {
                    // Leaving a loop costs too, so no path through a `next` is free.
                    budgetLeft -= 1
                    if budgetLeft < 0 { throw RuntimeError(kind: .instructionBudget, pc: pc) }
                    pc = Int(ins.c)
                }
            case .aggregate:
                stack[sp] = aggregate(Int(ins.b)); sp &+= 1; pc &+= 1
            case .index:
                sp &-= 1
                let list = stack[sp - 1], i = stack[sp]
                stack[sp - 1] = list.tag == .list && i.tag == .int && i.int >= 0 && i.int < Int64(list.count) ? element(list, Int(i.int)) : .missing
                pc &+= 1
            case .memoLoad:
                if memoGeneration[Int(ins.b)] == counters[2] {
                    stack[sp] = memoValues[Int(ins.b)]; sp &+= 1; pc = Int(ins.c)
                } else {
                    pc &+= 1
                }
            case .memoStore:
                memoValues[Int(ins.b)] = stack[sp &- 1]; memoGeneration[Int(ins.b)] = counters[2]; pc &+= 1
            case .ret:
                return stack[sp - 1]
            case .retTrue:
                return .true
            case .retFalse:
                return .false
            }
        }
    }
}

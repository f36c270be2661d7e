#if canImport(Glibc)
import RuleText
import Glibc
#endif
import RuleText

/// Runs a program's entries against one bound alert at a time. Not thread-safe: each thread
/// (or evaluation task) uses its own VM over a shared `Program`.
public final class VM {
    public let program: Program
    /// Most values on the stack; the verifier proves every entry stays below it.
    public static let stackLimit = 256
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
        loopList = .allocate(capacity: RuleLimits.loopDepth)
        loopIndex = .allocate(capacity: RuleLimits.loopDepth)
        loopItem = .allocate(capacity: RuleLimits.loopDepth)
        loopList.initialize(repeating: .list(.scratch, offset: 0, count: 0), count: RuleLimits.loopDepth)
        loopIndex.initialize(repeating: 0, count: RuleLimits.loopDepth)
        loopItem.initialize(repeating: .missing, count: RuleLimits.loopDepth)
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
}

#if canImport(Glibc)
import Glibc
#endif

/// A source location carried by a program, so a run-time error renders the same excerpt as a
/// compile error: a file index into `Program.files` and a byte range.
public struct SpanRef: Sendable, Equatable {
    public let file: UInt16
    public let start: UInt32
    public let end: UInt32

    public init(file: UInt16, start: UInt32, end: UInt32) {
        self.file = file
        self.start = start
        self.end = end
    }
}

/// A time window as the VM evaluates it.
public struct WindowSpec: Sendable, Equatable {
    public let name: String
    /// Bit d set for ISO weekday d (1 = Monday … 7 = Sunday).
    public let weekdays: UInt8
    public let startMinute: Int
    public let endMinute: Int
    /// IANA zone name.
    public let zone: String

    public init(name: String, weekdays: UInt8, startMinute: Int, endMinute: Int, zone: String) {
        self.name = name
        self.weekdays = weekdays
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.zone = zone
    }

    /// Its days and minutes (no strings: copied without retaining anything).
    public var times: WindowTimes { WindowTimes(weekdays: weekdays, startMinute: startMinute, endMinute: endMinute) }
}

/// The days and minutes of a `WindowSpec`, without its name and zone.
public struct WindowTimes: Sendable, Equatable {
    public let weekdays: UInt8
    public let startMinute: Int
    public let endMinute: Int
}

/// An entry point: one rule's compiled condition (or value expression).
public struct Entry: Sendable, Equatable {
    public let name: String
    public let pc: Int
    /// Worst-case instructions of its straight-line code (the verifier checks it fits the budget).
    public let cost: Int
    /// Set by `Program` when every instruction the entry can reach is a fused label or severity
    /// test jumping forward, or a `ret`: the VM then runs it on a loop without stack or budget.
    public let testsOnly: Bool

    public init(name: String, pc: Int, cost: Int) {
        self.init(name: name, pc: pc, cost: cost, testsOnly: false)
    }

    init(name: String, pc: Int, cost: Int, testsOnly: Bool) {
        self.name = name
        self.pc = pc
        self.cost = cost
        self.testsOnly = testsOnly
    }
}

/// An immutable, shareable compiled program: code, constants, string sets, regexes, label
/// slots, windows and the pc → source table. Built by the compiler, checked by the verifier.
public final class Program: @unchecked Sendable {
    // Invariant: these buffers are copies of the arrays below, allocated once in `init`, never
    // written after it and freed in `deinit`; a VM holds the program alive while it reads them.
    let codeBuffer: UnsafeMutableBufferPointer<Instruction>
    let constantBuffer: UnsafeMutableBufferPointer<Value>
    let constantBytesBuffer: UnsafeMutableBufferPointer<UInt8>
    let listBuffer: UnsafeMutableBufferPointer<Value>
    /// Every string set's slots, concatenated: (byte offset into `setBytes`, length or -1).
    let setSlots: UnsafeMutableBufferPointer<SIMD2<Int32>>
    let setBytes: UnsafeMutableBufferPointer<UInt8>
    /// Per set: first slot, mask (slot count - 1), first member and member count.
    let setInfo: UnsafeMutableBufferPointer<SIMD4<Int32>>
    /// Every set's members in order, concatenated: (byte offset into `setBytes`, length).
    let setMembers: UnsafeMutableBufferPointer<SIMD2<Int32>>
    /// Per regex: (offset into `regexPrefixBytes`, length) of its literal prefix (`Regex.prefix`).
    let regexPrefixes: UnsafeMutableBufferPointer<SIMD2<Int32>>
    let regexPrefixBytes: UnsafeMutableBufferPointer<UInt8>
    /// Per pc, for `jlabeleq` / `jlabelne`: the constant pre-loaded (`LabelTest`); zero elsewhere.
    let labelTests: UnsafeMutableBufferPointer<LabelTest>
    /// The compiled code of each regex (owned by `regexes`, which this program keeps alive).
    let regexCode: UnsafeMutableBufferPointer<OpaquePointer>

    public let code: [Instruction]
    /// Constants; strings and lists point into `constantBytes` / `listElements`.
    public let constants: [Value]
    public let constantBytes: [UInt8]
    public let listElements: [Value]
    public let stringSets: [StringSet]
    public let regexes: [Regex]
    /// Label names by slot.
    public let labelSlots: [String]
    public let annotationSlots: [String]
    /// Labels declared `number`, parsed to floats when an alert is bound.
    public let numberSlots: [String]
    public let windows: [WindowSpec]
    /// The pack's IANA zone for `hour()` and `weekday()`.
    public let timezone: String
    public let entries: [Entry]
    /// Source files named by `SpanRef.file`.
    public let files: [String]
    /// `(pc, span)` sorted by pc: the span of the instruction at `pc` and those after it up to
    /// the next entry.
    public let spans: [(pc: Int, span: SpanRef)]
    /// The label slot name that holds the `alertname` field (the label, or "" when absent), so
    /// fused label tests apply to it; no real label name contains a NUL.
    public static let alertnameFieldSlot = "\u{0}alertname"

    /// Instruction budget per rule.
    public let budget: Int
    /// Memo slots: subexpressions shared by several rules, computed once per bound alert.
    public let memoCount: Int

    public init(code: [Instruction], constants: [Value], constantBytes: [UInt8], listElements: [Value],
                stringSets: [StringSet], regexes: [Regex], labelSlots: [String], annotationSlots: [String],
                numberSlots: [String] = [], windows: [WindowSpec], timezone: String, entries: [Entry], files: [String],
                spans: [(pc: Int, span: SpanRef)], budget: Int, memoCount: Int = 0) {
        self.code = code
        self.constants = constants
        self.constantBytes = constantBytes
        self.listElements = listElements
        self.stringSets = stringSets
        self.regexes = regexes
        self.labelSlots = labelSlots
        self.annotationSlots = annotationSlots
        self.numberSlots = numberSlots
        self.windows = windows
        self.timezone = timezone
        self.entries = entries.map {
            Entry(name: $0.name, pc: $0.pc, cost: $0.cost,
                  testsOnly: Program.testsOnly(code, from: $0.pc, labelSlots: labelSlots.count, sets: stringSets.count))
        }
        self.files = files
        self.spans = spans
        self.budget = budget
        self.memoCount = memoCount
        func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, a.count))
            _ = b.initialize(from: a)
            return b
        }
        codeBuffer = copy(code)
        constantBuffer = copy(constants)
        // 16 zero bytes of padding: string compares may load whole words past a string's end.
        constantBytesBuffer = copy(constantBytes + [UInt8](repeating: 0, count: 16))
        listBuffer = copy(listElements)
        var slots: [SIMD2<Int32>] = [], bytes: [UInt8] = [], info: [SIMD4<Int32>] = [], members: [SIMD2<Int32>] = []
        for s in stringSets {
            info.append(SIMD4(Int32(slots.count), Int32(s.mask), Int32(members.count), Int32(s.members.count)))
            for (off, len) in s.slots {
                slots.append(SIMD2(len < 0 ? 0 : off + Int32(bytes.count), len))
                if len >= 0 { members.append(SIMD2(off + Int32(bytes.count), len)) }
            }
            bytes += s.bytes
        }
        setSlots = copy(slots)
        setBytes = copy(bytes + [UInt8](repeating: 0, count: 16))
        setInfo = copy(info)
        setMembers = copy(members)
        regexCode = copy(regexes.map(\.code))
        var prefixes: [SIMD2<Int32>] = [], prefixBytes: [UInt8] = []
        for r in regexes {
            prefixes.append(SIMD2(Int32(prefixBytes.count), Int32(r.prefix.count)))
            prefixBytes += r.prefix
        }
        regexPrefixes = copy(prefixes)
        regexPrefixBytes = copy(prefixBytes + [UInt8](repeating: 0, count: 16))
        labelTests = copy(code.indices.map { pc in
            let op = code[pc].op
            guard op == .jumpLabelEq || op == .jumpLabelNe, pc + 1 < code.count else { return LabelTest() }
            let k = code[pc + 1]
            guard Int(k.c) + Int(k.b) <= constantBytes.count else { return LabelTest() }
            return LabelTest(Array(constantBytes[Int(k.c)..<Int(k.c) + Int(k.b)]))
        })
    }

    /// Whether every instruction reachable from `start` is a fused label test (==, !=, in, not
    /// in, affixes) or a severity test whose target lies ahead, or a `ret`: such an entry cannot
    /// fail, loop or touch the stack (`Entry.testsOnly`).
    static func testsOnly(_ code: [Instruction], from start: Int, labelSlots: Int, sets: Int) -> Bool {
        var work = [start], seen = Set<Int>()
        while let pc = work.popLast() {
            guard pc >= 0, pc < code.count else { return false }
            guard seen.insert(pc).inserted else { continue }
            let ins = code[pc]
            switch ins.op {
            case .retTrue, .retFalse:
                continue
            case .jumpSeverity:
                work.append(pc + 1)
            case .jumpLabelEq, .jumpLabelNe, .jumpLabelAffix, .jumpLabelNotAffix:
                guard pc + 1 < code.count, Int(ins.b) < labelSlots else { return false }
                work.append(pc + 2)
            case .jumpLabelIn, .jumpLabelNotIn:
                guard pc + 1 < code.count, Int(ins.b) < labelSlots, Int(code[pc + 1].c) < sets else { return false }
                work.append(pc + 2)
            case .const_, .label, .annotation, .number, .field, .mapGet, .it, .pop, .not, .neg, .toBool, .eq, .ne, .lt, .le, .gt,
                 .ge, .in_, .notIn, .inSet, .notInSet, .contains, .startsWith, .endsWith, .match, .noMatch, .add, .sub, .mul, .div,
                 .mod, .jump, .jumpIf, .jumpIfNot, .jumpIfPresent, .jumpLabelMatch, .jumpLabelNoMatch, .call, .search, .extract,
                 .inWindow, .makeList, .format, .iterate, .next, .aggregate, .index, .memoLoad, .memoStore, .ret, .jumpCompare:
                return false
            }
            guard Int(ins.c) > pc else { return false }
            work.append(Int(ins.c))
        }
        return true
    }

    /// Whether the `count` bytes at `p` (16 readable bytes past them) are in string set `set`:
    /// a scan comparing lengths first for up to 8 members, else a hash probe.
    func setContains(_ set: Int, _ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let info = setInfo[set]
        let base = setBytes.baseAddress!
        if info.w <= 8 {
            for m in Int(info.z)..<Int(info.z + info.w) {
                let member = setMembers[m]
                if Int(member.y) == count && Program.sameBytes(base + Int(member.x), p, count) { return true }
            }
            return false
        }
        var i = StringSet.hash(UnsafeRawPointer(p), count) & Int(info.y)
        while true {
            let slot = setSlots[Int(info.x) + i]
            if slot.y < 0 { return false }
            if Int(slot.y) == count && Program.sameBytes(base + Int(slot.x), p, count) { return true }
            i = (i + 1) & Int(info.y)
        }
    }

    /// Equality of `n` bytes at `a` and `b`, both with 16 readable bytes past them: up to 16
    /// bytes as two masked words, more with `memcmp`.
    @inline(__always)
    static func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let p = UnsafeRawPointer(a), q = UnsafeRawPointer(b)
        if n <= 8 {
            let mask: UInt64 = n == 8 ? ~0 : (1 << UInt64(n * 8)) &- 1
            return (p.loadUnaligned(as: UInt64.self) ^ q.loadUnaligned(as: UInt64.self)) & mask == 0
        }
        if n <= 16 {
            let mask: UInt64 = n == 16 ? ~0 : (1 << UInt64((n - 8) * 8)) &- 1
            return p.loadUnaligned(as: UInt64.self) == q.loadUnaligned(as: UInt64.self)
                && (p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ q.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & mask == 0
        }
        return memcmp(p, q, n) == 0
    }

    deinit {
        codeBuffer.deallocate()
        constantBuffer.deallocate()
        constantBytesBuffer.deallocate()
        listBuffer.deallocate()
        setSlots.deallocate()
        setBytes.deallocate()
        setInfo.deallocate()
        setMembers.deallocate()
        regexCode.deallocate()
        labelTests.deallocate()
        regexPrefixes.deallocate()
        regexPrefixBytes.deallocate()
    }

    /// The source span of the instruction at `pc`.
    public func span(at pc: Int) -> SpanRef? {
        var lo = 0, hi = spans.count - 1, found: SpanRef?
        while lo <= hi {
            let mid = (lo + hi) / 2
            if spans[mid].pc <= pc { found = spans[mid].span; lo = mid + 1 } else { hi = mid - 1 }
        }
        return found
    }

    /// The bytes of a constant string.
    public func constantString(_ v: Value) -> String {
        String(decoding: constantBytes[v.offset..<(v.offset + Int(v.count))], as: UTF8.self)
    }
}

/// A label equality test's constant, laid out for the VM's label-test loops: the second word a
/// label slot holds when its value has the constant's length (length, `string` tag, `input`
/// pool), and the constant's first 16 bytes as two words with the mask of the last one in use.
struct LabelTest {
    var expected: UInt64 = ~0
    var word0: UInt64 = 0
    var word1: UInt64 = 0
    var mask: UInt64 = 0

    init() {}

    init(_ bytes: [UInt8]) {
        expected = UInt64(bytes.count) | UInt64(Tag.string.rawValue) << 32 | UInt64(Pool.input.rawValue) << 40
        var padded = bytes + [UInt8](repeating: 0, count: 16)
        padded.withUnsafeMutableBytes { b in
            word0 = b.loadUnaligned(as: UInt64.self)
            word1 = b.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        }
        let last = bytes.count <= 8 ? bytes.count : bytes.count - 8
        mask = last >= 8 ? ~0 : (1 << UInt64(last * 8)) &- 1
        if bytes.count <= 8 { word0 &= mask } else if bytes.count <= 16 { word1 &= mask }
    }
}

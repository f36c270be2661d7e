import RuleLang
import RuleVM

/// The short-lived builder the compiler fills and then freezes into an immutable `Program`:
/// code with patchable jumps, deduplicated constants, string sets, regexes and label slots,
/// and the pc → source span table.
struct ProgramBuilder {
    private(set) var code: [Instruction] = []
    private var constants: [Value] = []
    /// Keys are bytes, not Strings: canonically equivalent strings are different constants.
    private var constantIndex: [[UInt8]: Int] = [:]
    private var constantBytes: [UInt8] = []
    private var stringOffsets: [[UInt8]: Int] = [:]
    private var listElements: [Value] = []
    private var stringSets: [StringSet] = []
    private var setIndex: [[[UInt8]]: Int] = [:]
    private var regexes: [Regex] = []
    private var regexIndex: [[UInt8]: Int] = [:]
    private(set) var labelSlots: [String] = []
    private var labelIndex: [[UInt8]: Int] = [:]
    private var numberSlots: [String] = []
    private var numberIndex: [[UInt8]: Int] = [:]
    private var annotationSlots: [String] = []
    private var annotationIndex: [[UInt8]: Int] = [:]
    var windows: [WindowSpec] = []
    var windowIndex: [String: Int] = [:]
    private var files: [String] = []
    /// The source files behind `files`, so a pc maps back to a `SourceSpan` (`sourceSpan(_:)`).
    private(set) var sourceFiles: [SourceFile] = []
    private var fileIndex: [ObjectIdentifier: Int] = [:]
    /// The span last marked: where an operand that does not fit is reported.
    private var lastSpan: SourceSpan?
    /// Operands wider than their instruction field: limits of the VM the pack exceeds. The
    /// compiler reports each (E0312) and builds no program from code holding them.
    private(set) var overflows: [OperandOverflow] = []
    private var spans: [(pc: Int, span: SpanRef)] = []
    private(set) var entries: [Entry] = []

    var pc: Int { code.count }

    @discardableResult
    mutating func emit(_ op: Opcode, a: UInt8 = 0, b: UInt16 = 0, c: UInt32 = 0) -> Int {
        code.append(Instruction(op, a: a, b: b, c: c))
        return code.count - 1
    }

    /// Sets the per-iteration charge of the `next` at `at`.
    mutating func setCharge(_ at: Int, _ charge: Int) { code[at].b = u16(max(1, charge), "instructions in the body of one `any` or `all`") }

    /// Points the jump at `at` to `target`.
    mutating func patch(_ at: Int, to target: Int) { code[at].c = u32(target, "instructions") }

    /// `value` as a 16-bit operand; when it does not fit, records the overflow at `span` (else
    /// at the span last marked) and returns 0, never trapping and never clamping.
    mutating func u16(_ value: Int, _ what: String, at span: SourceSpan? = nil) -> UInt16 {
        if let v = UInt16(exactly: value) { return v }
        overflows.append(OperandOverflow(what: what, limit: Int(UInt16.max) + 1, span: span ?? lastSpan))
        return 0
    }

    /// `value` as a 32-bit operand (see `u16`).
    mutating func u32(_ value: Int, _ what: String, at span: SourceSpan? = nil) -> UInt32 {
        if let v = UInt32(exactly: value) { return v }
        overflows.append(OperandOverflow(what: what, limit: Int(UInt32.max) + 1, span: span ?? lastSpan))
        return 0
    }

    /// The source span of a span table entry.
    func sourceSpan(_ ref: SpanRef) -> SourceSpan? {
        guard Int(ref.file) < sourceFiles.count else { return nil }
        return SourceSpan(file: sourceFiles[Int(ref.file)], start: Int(ref.start), end: Int(ref.end))
    }

    /// Records that the instructions from here on come from `span`.
    mutating func mark(_ span: SourceSpan) {
        let f: Int
        if let i = fileIndex[ObjectIdentifier(span.file)] { f = i } else {
            f = files.count
            files.append(span.file.path)
            sourceFiles.append(span.file)
            fileIndex[ObjectIdentifier(span.file)] = f
        }
        lastSpan = span
        let ref = SpanRef(file: u16(f, "source files"), start: u32(span.start, "bytes in one file"), end: u32(span.end, "bytes in one file"))
        if let last = spans.last, last.pc == pc { spans[spans.count - 1] = (pc, ref) } else if spans.last?.span != ref { spans.append((pc, ref)) }
    }

    mutating func addEntry(_ name: String, pc: Int, cost: Int) { entries.append(Entry(name: name, pc: pc, cost: cost)) }

    private mutating func intern(_ v: Value, key: [UInt8]) -> Int {
        if let i = constantIndex[key] { return i }
        constants.append(v)
        constantIndex[key] = constants.count - 1
        return constants.count - 1
    }

    /// A string as a constant value (its bytes in the constant pool, stored once).
    mutating func stringValue(_ s: String) -> Value {
        let bytes = Array(s.utf8)
        if let at = stringOffsets[bytes] { return .string(.constant, offset: at, count: bytes.count) }
        let v = Value.string(.constant, offset: constantBytes.count, count: bytes.count)
        stringOffsets[bytes] = constantBytes.count
        constantBytes += bytes
        return v
    }

    /// Index of a constant, deduplicated.
    mutating func constant(_ v: PlainValue) -> Int {
        let key = Array("\(v.kindKey)|".utf8) + v.keyBytes
        if let i = constantIndex[key] { return i }
        return intern(value(v), key: key)
    }

    /// A plain value as a constant VM value (lists and strings copied into the pools).
    mutating func value(_ v: PlainValue) -> Value {
        switch v {
        case .missing: return .missing
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return stringValue(s)
        case .duration(let ms): return .duration(ms)
        case .time(let ms): return .time(ms)
        case .severity(let s): return .severity(s)
        case .map(let m): return Value(tag: .map, bits: UInt64(m))
        case .list(let items):
            let values = items.map { value($0) }
            let start = listElements.count
            listElements += values
            return .list(.constant, offset: start, count: values.count)
        }
    }

    mutating func stringSet(_ members: [String]) -> Int {
        let key = members.map { Array($0.utf8) }
        if let i = setIndex[key] { return i }
        stringSets.append(StringSet(members))
        setIndex[key] = stringSets.count - 1
        return stringSets.count - 1
    }

    /// Index of a compiled regex; the checker already proved the pattern compiles.
    mutating func regex(_ pattern: String, anchored: Bool) -> Int {
        let key = Array(((anchored ? "A" : "S") + pattern).utf8)
        if let i = regexIndex[key] { return i }
        guard case .success(let re) = Regex.compile(pattern, anchored: anchored) else {
            preconditionFailure("pattern accepted by the checker failed to compile: \(pattern)")
        }
        regexes.append(re)
        regexIndex[key] = regexes.count - 1
        return regexes.count - 1
    }

    mutating func labelSlot(_ name: String) -> Int {
        if let i = labelIndex[Array(name.utf8)] { return i }
        labelSlots.append(name)
        labelIndex[Array(name.utf8)] = labelSlots.count - 1
        return labelSlots.count - 1
    }

    mutating func numberSlot(_ name: String) -> Int {
        if let i = numberIndex[Array(name.utf8)] { return i }
        numberSlots.append(name)
        numberIndex[Array(name.utf8)] = numberSlots.count - 1
        return numberSlots.count - 1
    }

    mutating func annotationSlot(_ name: String) -> Int {
        if let i = annotationIndex[Array(name.utf8)] { return i }
        annotationSlots.append(name)
        annotationIndex[Array(name.utf8)] = annotationSlots.count - 1
        return annotationSlots.count - 1
    }

    func build(timezone: String, budget: Int, memoCount: Int = 0) -> Program {
        Program(code: code, constants: constants, constantBytes: constantBytes, listElements: listElements,
                stringSets: stringSets, regexes: regexes, labelSlots: labelSlots, annotationSlots: annotationSlots, numberSlots: numberSlots,
                windows: windows, timezone: timezone, entries: entries, files: files, spans: spans, budget: budget,
                memoCount: memoCount)
    }
}

/// An operand that did not fit its instruction field: how many of `what` the VM can address
/// (`limit`), and where the pack asked for more.
struct OperandOverflow {
    let what: String
    let limit: Int
    let span: SourceSpan?
}

extension PlainValue {
    /// The value's bytes for constant keys (strings by their UTF-8, lists element by element).
    var keyBytes: [UInt8] {
        switch self {
        case .string(let s): Array(s.utf8)
        case .list(let xs): xs.flatMap { $0.keyBytes + [0xFF] }
        default: Array("\(self)".utf8)
        }
    }

    /// Distinguishes kinds whose text is the same (`1` int vs `1` string) in constant keys.
    var kindKey: String {
        switch self {
        case .missing: "m"
        case .bool: "b"
        case .int: "i"
        case .float(let d): "f\(d.bitPattern)"
        case .string: "s"
        case .duration: "d"
        case .time: "t"
        case .severity: "v"
        case .list(let xs): "l" + xs.map(\.kindKey).joined()
        case .map: "p"
        }
    }
}

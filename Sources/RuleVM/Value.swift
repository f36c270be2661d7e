/// The kind of a `Value`.
public enum Tag: UInt8, Sendable {
    case missing, bool, int, float, string, duration, time, severity, list, map
}

/// Where a string's bytes or a list's elements live.
public enum Pool: UInt8, Sendable {
    /// The program's constants.
    case constant
    /// The bound alert's bytes (label values, annotations, fields).
    case input
    /// Computed during this evaluation (concatenations, `lower`, `split`, …).
    case scratch
}

/// A VM value in 16 bytes, with no references: strings and lists are (pool, offset, length)
/// slices of byte and element arenas, so copying a value never touches a reference count.
@frozen
public struct Value: Sendable, Equatable {
    /// Int, float bits, milliseconds, severity, bool, or a string/list offset.
    public var bits: UInt64
    /// String byte length or list element count.
    public var count: UInt32
    public var tag: Tag
    public var pool: Pool

    @inline(__always)
    public init(tag: Tag, bits: UInt64 = 0, count: UInt32 = 0, pool: Pool = .constant) {
        self.tag = tag
        self.bits = bits
        self.count = count
        self.pool = pool
    }

    public static let missing = Value(tag: .missing)
    public static let `true` = Value(tag: .bool, bits: 1)
    public static let `false` = Value(tag: .bool, bits: 0)

    @inline(__always) public static func bool(_ b: Bool) -> Value { Value(tag: .bool, bits: b ? 1 : 0) }
    @inline(__always) public static func int(_ i: Int64) -> Value { Value(tag: .int, bits: UInt64(bitPattern: i)) }
    @inline(__always) public static func float(_ d: Double) -> Value { Value(tag: .float, bits: d.bitPattern) }
    @inline(__always) public static func duration(_ ms: Int64) -> Value { Value(tag: .duration, bits: UInt64(bitPattern: ms)) }
    @inline(__always) public static func time(_ ms: Int64) -> Value { Value(tag: .time, bits: UInt64(bitPattern: ms)) }
    @inline(__always) public static func severity(_ s: UInt8) -> Value { Value(tag: .severity, bits: UInt64(s)) }
    @inline(__always) public static func string(_ pool: Pool, offset: Int, count: Int) -> Value {
        Value(tag: .string, bits: UInt64(offset), count: UInt32(count), pool: pool)
    }
    @inline(__always) public static func list(_ pool: Pool, offset: Int, count: Int) -> Value {
        Value(tag: .list, bits: UInt64(offset), count: UInt32(count), pool: pool)
    }

    @inline(__always) public var isMissing: Bool { tag == .missing }
    /// `true` only for the bool `true` (missing and false are not).
    @inline(__always) public var isTrue: Bool { tag == .bool && bits != 0 }
    @inline(__always) public var int: Int64 { Int64(bitPattern: bits) }
    @inline(__always) public var float: Double { Double(bitPattern: bits) }
    @inline(__always) public var offset: Int { Int(bits) }
}

/// A value outside the VM, for results, tests and the reference evaluator. Not `indirect`:
/// a list's array already holds its elements out of line, and an indirect enum boxes every
/// payload (a string result would cost an allocation).
public enum PlainValue: Sendable, Equatable, CustomStringConvertible {
    case missing
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case duration(Int64)
    case time(Int64)
    /// 0 info … 3 critical.
    case severity(UInt8)
    case list([PlainValue])
    /// `labels` (0) or `annotations` (1).
    case map(UInt8)

    public static func == (a: PlainValue, b: PlainValue) -> Bool {
        switch (a, b) {
        case (.missing, .missing): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        // Floats are equal when bit-identical or both NaN, so the oracle can compare results.
        case (.float(let x), .float(let y)): x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        case (.string(let x), .string(let y)): Array(x.utf8) == Array(y.utf8)
        case (.duration(let x), .duration(let y)), (.time(let x), .time(let y)): x == y
        case (.severity(let x), .severity(let y)), (.map(let x), .map(let y)): x == y
        case (.list(let x), .list(let y)): x == y
        default: false
        }
    }

    public var description: String {
        switch self {
        case .missing: "missing"
        case .string(let s): "\"\(s)\""
        case .list(let xs): "[" + xs.map(\.description).joined(separator: ", ") + "]"
        case .map(let m): m == 0 ? "labels" : "annotations"
        default: CanonicalText.text(self)
        }
    }
}

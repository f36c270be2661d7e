// The codes instructions carry in their `a` operand, declared once for the compiler that
// writes them, the verifier that admits them (by building these values: an unknown code is a
// rejected program), the VM that acts on them and the disassembler that names them.

/// Alert fields readable with `field`.
public enum Field: UInt8, Sendable, CaseIterable {
    case alertname, severity, value, startsAt, source, fingerprint, tenant, tier, labels, annotations, now
}

/// The alert's two maps: `mapget`'s `a`, and the payload of a `map` value.
public enum AlertMap: UInt8, Sendable, CaseIterable {
    case labels, annotations

    /// The map's name in disassembly.
    public var name: String {
        switch self {
        case .labels: "labels"
        case .annotations: "annotations"
        }
    }
}

/// The string test of `jlabelaffix` / `jlabelnotaffix` (`a`).
public enum LabelAffix: UInt8, Sendable, CaseIterable {
    /// `startswith` (also `exists(label)`, as the empty prefix).
    case prefix
    /// `endswith`.
    case suffix
    /// `contains`.
    case contains

    /// The operator as a rule writes it.
    public var name: String {
        switch self {
        case .prefix: "startswith"
        case .suffix: "endswith"
        case .contains: "contains"
        }
    }
}

/// An order comparison: `lt`, `le`, `gt`, `ge`, and the test of `jcompare`.
public enum Comparison: UInt8, Sendable, CaseIterable {
    case lt, le, gt, ge

    /// The operator as a rule writes it.
    public var symbol: String {
        switch self {
        case .lt: "<"
        case .le: "<="
        case .gt: ">"
        case .ge: ">="
        }
    }

    /// Whether `order` (negative, zero or positive, as `a` is below, equal to or above `b`)
    /// satisfies the comparison.
    @inline(__always)
    public func holds(order o: Int) -> Bool {
        switch self {
        case .lt: o < 0
        case .le: o <= 0
        case .gt: o > 0
        case .ge: o >= 0
        }
    }

    /// The comparison of two floats (false when either is NaN, as IEEE has it).
    @inline(__always)
    public func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .lt: a < b
        case .le: a <= b
        case .gt: a > b
        case .ge: a >= b
        }
    }
}

/// `jcompare`'s `a`: the comparison in bits 0-1, and in bit 2 whether the jump is taken when
/// it holds (set) or when it does not (clear). Other bits make no `ComparisonJump`.
public struct ComparisonJump: Sendable, Equatable {
    public let comparison: Comparison
    /// Jumps when the comparison holds (else when it does not).
    public let whenTrue: Bool

    /// A comparison and the sense of its jump.
    public init(_ comparison: Comparison, whenTrue: Bool) {
        self.comparison = comparison
        self.whenTrue = whenTrue
    }

    /// The operand `a` decoded; nil when it is not one.
    @inline(__always)
    public init?(rawValue: UInt8) {
        guard rawValue < 8, let c = Comparison(rawValue: rawValue & 3) else { return nil }
        self.init(c, whenTrue: rawValue & 4 != 0)
    }

    /// The operand `a`.
    public var rawValue: UInt8 { comparison.rawValue | (whenTrue ? 4 : 0) }
}

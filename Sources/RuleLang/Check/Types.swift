/// The static types of spec section 3.1, plus `error` (already reported; suppresses cascades)
/// and `unknown` (the element type of an empty list literal).
public indirect enum RLType: Hashable, Sendable, CustomStringConvertible {
    case bool, int, float, string, duration, time, severity, map
    case list(RLType)
    case optional(RLType)
    case error
    case unknown

    /// The type without its optional wrapper.
    public var base: RLType {
        if case .optional(let t) = self { return t }
        return self
    }

    public var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    /// `T?` (never `T??`).
    public var optional: RLType {
        switch self {
        case .optional, .error: self
        default: .optional(self)
        }
    }

    var isError: Bool { base == .error }
    var isNumeric: Bool { base == .int || base == .float }

    public var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .duration: "duration"
        case .time: "time"
        case .severity: "severity"
        case .map: "map"
        case .list(let t): "list<\(t)>"
        case .optional(let t): "\(t)?"
        case .error: "<error>"
        case .unknown: "_"
        }
    }

    /// Whether a value of `self` can be used where `other` is expected (int widens to float;
    /// `T` fits `T?`; `error` and `unknown` fit anything).
    func fits(_ other: RLType) -> Bool {
        if self == other || isError || other.isError || self == .unknown || other == .unknown { return true }
        switch (self, other) {
        case (.int, .float): return true
        case (_, .optional(let o)): return base.fits(o)
        case (.list(let a), .list(let b)): return a.fits(b)
        default: return false
        }
    }

    /// The common type of two branches (`?:`, `??`, list items), or nil.
    static func join(_ a: RLType, _ b: RLType) -> RLType? {
        if a.isError { return b }
        if b.isError || a == b { return a }
        if a == .unknown { return b }
        if b == .unknown { return a }
        let opt = a.isOptional || b.isOptional
        let ab = a.base, bb = b.base
        var j: RLType?
        if ab == bb { j = ab } else if ab.isNumeric && bb.isNumeric { j = .float } else if case .list(let x) = ab, case .list(let y) = bb,
                                                                                          let e = join(x, y) { j = .list(e) }
        guard let t = j else { return nil }
        return opt ? t.optional : t
    }
}

/// Fields of an alert usable by bare name (spec 3.2).
public enum AlertField: String, Sendable, CaseIterable {
    case alertname, severity, value
    case startsAt = "starts_at"
    case source, fingerprint, labels, annotations, tenant, tier

    public var type: RLType {
        switch self {
        case .alertname, .fingerprint, .tenant, .tier: .string
        case .severity: .severity
        case .value: .optional(.float)
        case .startsAt: .time
        case .source: .optional(.string)
        case .labels, .annotations: .map
        }
    }
}

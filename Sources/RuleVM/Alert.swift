/// An alert as the VM reads it (spec section 2), already validated by the caller.
public struct AlertInput: Sendable {
    public var labels: [String: String]
    public var annotations: [String: String]
    /// 0 info … 3 critical.
    public var severity: UInt8
    public var value: Double?
    /// Milliseconds since the Unix epoch.
    public var startsAt: Int64
    public var source: String?
    /// `ends_at`: when set and not after the evaluation time, the alert is resolved.
    public var endsAt: Int64? = nil
    public var fingerprint: String
    public var tenant: String
    public var tier: String

    public init(labels: [String: String], annotations: [String: String] = [:], severity: UInt8 = 1, value: Double? = nil,
                startsAt: Int64 = 0, source: String? = nil, fingerprint: String = "", tenant: String = "", tier: String = "silver") {
        self.labels = labels
        self.annotations = annotations
        self.severity = severity
        self.value = value
        self.startsAt = startsAt
        self.source = source
        self.fingerprint = fingerprint
        self.tenant = tenant
        self.tier = tier
    }

    /// `labels.alertname`, or empty.
    public var alertname: String { labels["alertname"] ?? "" }
}

/// A run-time error: what went wrong and the pc, whose span the program knows.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Error {
        case overflow = "integer overflow"
        case divisionByZero = "division by zero"
        case outOfRange = "value out of range"
        case instructionBudget = "instruction budget exceeded"
        case memoryBudget = "memory budget exceeded"
        case regexLimit = "regex match limit exceeded"
    }

    public let kind: Kind
    public let pc: Int

    public var description: String { kind.rawValue }
}

/// A plain value in JSON (engine snapshots keep aggregate arguments): `{"kind": …, "value": …}`,
/// floats as their bit pattern, so every value (NaN and infinities included) round-trips exactly.
extension PlainValue: Codable {
    private enum Keys: String, CodingKey { case kind, value }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "missing": self = .missing
        case "bool": self = .bool(try c.decode(Bool.self, forKey: .value))
        case "int": self = .int(try c.decode(Int64.self, forKey: .value))
        case "float": self = .float(Double(bitPattern: try c.decode(UInt64.self, forKey: .value)))
        case "string": self = .string(try c.decode(String.self, forKey: .value))
        case "duration": self = .duration(try c.decode(Int64.self, forKey: .value))
        case "time": self = .time(try c.decode(Int64.self, forKey: .value))
        case "severity": self = .severity(try c.decode(UInt8.self, forKey: .value))
        case "list": self = .list(try c.decode([PlainValue].self, forKey: .value))
        case "map": self = .map(try c.decode(UInt8.self, forKey: .value))
        case let kind:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown value kind `\(kind)`")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .missing: try c.encode("missing", forKey: .kind)
        case .bool(let b): try c.encode("bool", forKey: .kind); try c.encode(b, forKey: .value)
        case .int(let i): try c.encode("int", forKey: .kind); try c.encode(i, forKey: .value)
        case .float(let d): try c.encode("float", forKey: .kind); try c.encode(d.bitPattern, forKey: .value)
        case .string(let s): try c.encode("string", forKey: .kind); try c.encode(s, forKey: .value)
        case .duration(let d): try c.encode("duration", forKey: .kind); try c.encode(d, forKey: .value)
        case .time(let t): try c.encode("time", forKey: .kind); try c.encode(t, forKey: .value)
        case .severity(let s): try c.encode("severity", forKey: .kind); try c.encode(s, forKey: .value)
        case .list(let xs): try c.encode("list", forKey: .kind); try c.encode(xs, forKey: .value)
        case .map(let m): try c.encode("map", forKey: .kind); try c.encode(m, forKey: .value)
        }
    }
}

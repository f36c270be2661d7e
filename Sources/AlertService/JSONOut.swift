import Foundation

/// An object of the service's JSON answers.
public typealias JSONObject = [String: JSONOut]

/// A JSON value the service writes, rendered with sorted keys (stable answers for tests and
/// diffs).
public indirect enum JSONOut: Sendable, Equatable, Encodable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONOut])
    case object(JSONObject)

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// `value` or null.
    public static func optional(_ value: String?) -> JSONOut { value.map(JSONOut.string) ?? .null }

    /// The text of `object`.
    public static func render(_ object: JSONObject) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)) ?? Data("{}".utf8)
    }
}

/// A JSON value whose objects keep their keys in the order they were built: payloads read in
/// the order each product documents them, and the same message always gives the same bytes.
public enum JSONValue: Sendable, Equatable {
    /// (Payloads hold whole numbers only: no floating-point text to differ across platforms.)
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// An object of string values, keys in byte order (labels, annotations).
    static func strings(_ pairs: [(String, String)]) -> JSONValue {
        .object(pairs.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map { ($0.0, .string($0.1)) })
    }

    /// An object of a map's string values, keys in byte order.
    static func strings(_ map: [String: String]) -> JSONValue {
        strings(map.map { ($0.key, $0.value) })
    }

    /// The compact encoding (what is sent).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out, indent: nil, depth: 0)
        return out
    }

    /// Two-space indented, one member per line (goldens and docs).
    public var pretty: String {
        var out: [UInt8] = []
        write(into: &out, indent: 2, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], indent: Int?, depth: Int) {
        func newline(_ d: Int) {
            guard let indent else { return }
            out.append(10)
            out += repeatElement(32, count: indent * d)
        }
        switch self {
        case .string(let s): Self.quote(s, into: &out)
        case .int(let n): out += Array(String(n).utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        case .array(let items):
            out.append(91)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(44) }
                newline(depth + 1)
                item.write(into: &out, indent: indent, depth: depth + 1)
            }
            if !items.isEmpty { newline(depth) }
            out.append(93)
        case .object(let members):
            out.append(123)
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(44) }
                newline(depth + 1)
                Self.quote(key, into: &out)
                out.append(58)
                if indent != nil { out.append(32) }
                value.write(into: &out, indent: indent, depth: depth + 1)
            }
            if !members.isEmpty { newline(depth) }
            out.append(125)
        }
    }

    /// RFC 8259 string: quote, backslash and control characters escaped; everything else as
    /// its UTF-8 bytes.
    private static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(34)
        for b in s.utf8 {
            switch b {
            case 34: out += [92, 34]
            case 92: out += [92, 92]
            case 10: out += [92, 110]
            case 13: out += [92, 114]
            case 9: out += [92, 116]
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                out += [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(34)
    }
}

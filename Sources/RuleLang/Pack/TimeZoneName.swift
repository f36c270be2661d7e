import Foundation

extension PackReader {
    /// Longest zone name accepted: the longest IANA name is about 30 characters.
    static let maxTimeZoneNameLength = 64

    /// Whether `name` is a time zone the evaluator knows. The name must be spelt in the IANA
    /// alphabet (letters, digits, `/`, `_`, `-`, `+`) whatever Foundation accepts: it resolves
    /// `UTC\0garbage` as UTC, and a pack must mean the same zone wherever it is loaded.
    public static func isKnownTimeZone(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maxTimeZoneNameLength,
              bytes.allSatisfy({ isZoneNameByte($0) }) else { return false }
        return TimeZone(identifier: name) != nil
    }

    /// A zone name as a message shows it: control characters escaped, cut after
    /// `maxTimeZoneNameLength` characters.
    static func shownZoneName(_ name: String) -> String {
        var out = ""
        for (i, c) in name.unicodeScalars.enumerated() {
            if i == maxTimeZoneNameLength { return out + "…" }
            out += c.properties.generalCategory == .control ? "\\u{\(String(c.value, radix: 16))}" : String(c)
        }
        return out
    }

    private static func isZoneNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"): true
        default: false
        }
    }
}

import Foundation

/// IANA time zone names, resolved the same way by the checker, the artifact loader and the VM:
/// a name must be spelt in the IANA alphabet (letters, digits, `/`, `_`, `-`, `+`) and be at
/// most `maxLength` bytes, whatever Foundation accepts (it resolves `UTC\0garbage` as UTC), so a
/// zone means the same wherever a pack or an artifact is loaded.
public enum ZoneNames {
    /// Longest name accepted: the longest IANA name is about 30 characters.
    public static let maxLength = 64

    /// The zone named `name`; nil when it is misspelt for IANA or unknown to the zone database.
    public static func zone(_ name: String) -> TimeZone? {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maxLength, bytes.allSatisfy(isNameByte) else { return nil }
        return TimeZone(identifier: name)
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"): true
        default: false
        }
    }
}

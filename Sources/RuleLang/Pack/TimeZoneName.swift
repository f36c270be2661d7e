import Foundation
import RuleText

extension PackReader {
    /// Longest zone name accepted (`ZoneNames.maxLength`).
    static let maxTimeZoneNameLength = ZoneNames.maxLength

    /// Whether `name` is a time zone the evaluator knows (`ZoneNames.zone`: the IANA alphabet,
    /// then the zone database), the same rule the VM and the artifact loader apply.
    public static func isKnownTimeZone(_ name: String) -> Bool {
        ZoneNames.zone(name) != nil
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
}

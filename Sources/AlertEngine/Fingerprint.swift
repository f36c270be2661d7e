/// The stable fingerprint of an alert's label set (spec section 2): the same labels give the
/// same fingerprint across restarts and versions.
///
/// Algorithm (fixed; changing it would split every active alert in two): sort the labels by the
/// bytes of their names; feed `name`, a 0 byte, `value`, a 0 byte for each into 64-bit FNV-1a
/// (offset basis 0xcbf29ce484222325, prime 0x100000001b3); print the result as 16 lowercase hex
/// digits. Names and values are hashed as their UTF-8 bytes, so canonically equivalent but
/// different strings give different fingerprints.
public enum Fingerprint {
    public static func of(_ labels: [String: String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func feed(_ bytes: some Sequence<UInt8>) {
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        // Names as byte arrays, so the sort compares bytes (not Unicode order) without going
        // through `String.UTF8View` element by element.
        let sorted = labels.map { (name: Array($0.key.utf8), value: $0.value) }.sorted { $0.name.lexicographicallyPrecedes($1.name) }
        for (name, value) in sorted {
            feed(name); feed(CollectionOfOne(0))
            feed(value.utf8); feed(CollectionOfOne(0))
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

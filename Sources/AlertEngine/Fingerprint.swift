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
        of(LabelSet(labels))
    }

    /// The fingerprint of labels already sorted by the bytes of their names.
    public static func of(_ labels: LabelSet) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        labels.forEachPair { name, value in
            h = feed(h, name)
            h = feed(h, value)
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for i in 0..<16 { buffer[i] = digits.utf8Start[Int((h >> UInt64(60 - 4 * i)) & 0xF)] }
            return String(decoding: UnsafeBufferPointer(buffer), as: UTF8.self)
        }
    }

    /// FNV-1a of `s`'s bytes and a 0 byte after them, from `h` (the loop keeps `h` in a register).
    @inline(__always)
    static func feed(_ h: UInt64, _ s: String) -> UInt64 {
        let step = { (h: UInt64, bytes: UnsafeBufferPointer<UInt8>) -> UInt64 in
            var x = h
            for b in bytes { x = (x ^ UInt64(b)) &* 0x100_0000_01b3 }
            return x &* 0x100_0000_01b3       // the 0 byte after it: x ^ 0 is x
        }
        if let x = s.utf8.withContiguousStorageIfAvailable({ step(h, $0) }) { return x }
        return Array(s.utf8).withUnsafeBufferPointer { step(h, $0) }
    }
}

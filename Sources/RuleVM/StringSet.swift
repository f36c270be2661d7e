/// An open-addressing hash table of byte strings built for `x in ["a", "b", …]` over constant
/// lists; `Program` flattens every set into its buffers and probes them (`setContains`).
public struct StringSet: Sendable, Equatable {
    /// Slots of (offset, length) into `bytes`; length -1 marks an empty slot.
    let slots: [(Int32, Int32)]
    let bytes: [UInt8]
    let mask: Int
    /// The members in their original order (for disassembly and artifacts).
    public let members: [String]

    public static func == (a: StringSet, b: StringSet) -> Bool { a.members.map { Array($0.utf8) } == b.members.map { Array($0.utf8) } }

    public init(_ members: [String]) {
        // Deduplicated by bytes: canonically equivalent strings are different members.
        var unique: [String] = []
        var seen: Set<[UInt8]> = []
        for m in members where seen.insert(Array(m.utf8)).inserted { unique.append(m) }
        self.members = unique
        var size = 4
        while size < unique.count * 2 { size *= 2 }
        var slots = [(Int32, Int32)](repeating: (0, -1), count: size)
        var bytes: [UInt8] = []
        for m in unique {
            let b = Array(m.utf8)
            let padded = b + [UInt8](repeating: 0, count: 16)
            var i = padded.withUnsafeBytes { Self.hash($0.baseAddress!, b.count) } & (size - 1)
            while slots[i].1 >= 0 { i = (i + 1) & (size - 1) }
            slots[i] = (Int32(bytes.count), Int32(b.count))
            bytes += b
        }
        self.slots = slots
        self.bytes = bytes
        self.mask = size - 1
    }

    /// Hash of the `n` bytes at `p`. Up to 16 bytes: two masked word loads, multiplied and
    /// mixed — `p` must have 16 readable bytes (every VM pool is padded so); longer: FNV-1a.
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        if n <= 16 {
            let m0: UInt64 = n >= 8 ? ~0 : (1 << UInt64(n * 8)) &- 1
            let m1: UInt64 = n <= 8 ? 0 : n == 16 ? ~0 : (1 << UInt64((n - 8) * 8)) &- 1
            let w0 = p.loadUnaligned(as: UInt64.self) & m0
            let w1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & m1
            var h = (w0 &* 0x9E37_79B9_7F4A_7C15) ^ (w1 &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n)
            h ^= h >> 29
            return Int(truncatingIfNeeded: h)
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<n { h = (h ^ UInt64(p.load(fromByteOffset: i, as: UInt8.self))) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

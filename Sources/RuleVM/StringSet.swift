/// An immutable open-addressing hash set of byte strings, for `x in ["a", "b", …]` over
/// constant lists: one hash of the probe and usually one comparison, no String allocation.
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
            var i = Self.hash(b) & (size - 1)
            while slots[i].1 >= 0 { i = (i + 1) & (size - 1) }
            slots[i] = (Int32(bytes.count), Int32(b.count))
            bytes += b
        }
        self.slots = slots
        self.bytes = bytes
        self.mask = size - 1
    }

    /// FNV-1a over the bytes.
    @inline(__always)
    static func hash<C: Collection>(_ b: C) -> Int where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Whether the `count` bytes at `p` are a member.
    @inline(__always)
    public func contains(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let probe = UnsafeBufferPointer(start: p, count: count)
        var i = Self.hash(probe) & mask
        return bytes.withUnsafeBufferPointer { base in
            while true {
                let (off, len) = slots[i]
                if len < 0 { return false }
                if Int(len) == count, count == 0 || memcmp(base.baseAddress! + Int(off), p, count) == 0 { return true }
                i = (i + 1) & mask
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

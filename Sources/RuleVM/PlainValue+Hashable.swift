/// Hashing agrees with `==`: strings by their bytes, floats by their bits (every NaN alike).
extension PlainValue: Hashable {
    public func hash(into h: inout Hasher) {
        switch self {
        case .missing: h.combine(0)
        case .bool(let b): h.combine(1); h.combine(b)
        case .int(let i): h.combine(2); h.combine(i)
        case .float(let d): h.combine(3); h.combine(d.isNaN ? UInt64.max : d.bitPattern)
        case .string(let s):
            h.combine(4)
            var s = s
            s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
            h.combine(s.utf8.count)
        case .duration(let d): h.combine(5); h.combine(d)
        case .time(let t): h.combine(6); h.combine(t)
        case .severity(let s): h.combine(7); h.combine(s)
        case .list(let xs): h.combine(8); h.combine(xs.count); for x in xs { x.hash(into: &h) }
        case .map(let m): h.combine(9); h.combine(m)
        }
    }
}

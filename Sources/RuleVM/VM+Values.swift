#if canImport(Glibc)
import Glibc
#endif

/// Slow paths of the dispatch loop: generic comparison, membership, arithmetic and conversions
/// between VM values and plain values.
extension VM {
    /// The element `i` of a list value.
    @inline(__always)
    func element(_ list: Value, _ i: Int) -> Value {
        list.pool == .scratch ? scratchList[list.offset + i] : listElements[list.offset + i]
    }

    /// Equality; nil when either side is missing.
    @inline(never)
    func equal(_ a: Value, _ b: Value) -> Bool? {
        if a.isMissing || b.isMissing { return nil }
        switch (a.tag, b.tag) {
        case (.string, .string): return sameString(a, b)
        case (.int, .int), (.duration, .duration), (.time, .time), (.severity, .severity), (.bool, .bool): return a.bits == b.bits
        case (.int, .float): return Double(a.int) == b.float
        case (.float, .int): return a.float == Double(b.int)
        case (.float, .float): return a.float == b.float
        case (.list, .list):
            guard a.count == b.count else { return false }
            for i in 0..<Int(a.count) where equal(element(a, i), element(b, i)) != true { return false }
            return true
        case (.map, .map): return a.bits == b.bits
        default: return false
        }
    }

    /// Ordering (-1, 0, 1); nil when missing or not ordered.
    @inline(never)
    func order(_ a: Value, _ b: Value) -> Int? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
        switch (a.tag, b.tag) {
        case (.int, .int), (.duration, .duration), (.time, .time): return cmp(a.int, b.int)
        case (.severity, .severity): return cmp(a.bits, b.bits)
        case (.int, .float): return Double(a.int) < b.float ? -1 : Double(a.int) > b.float ? 1 : Double(a.int) == b.float ? 0 : nil
        case (.float, .int): return a.float < Double(b.int) ? -1 : a.float > Double(b.int) ? 1 : a.float == Double(b.int) ? 0 : nil
        case (.float, .float): return a.float < b.float ? -1 : a.float > b.float ? 1 : a.float == b.float ? 0 : nil
        case (.string, .string):
            let n = min(a.count, b.count)
            let c = n == 0 ? 0 : memcmp(bytes(a), bytes(b), Int(n))
            return c != 0 ? (c < 0 ? -1 : 1) : cmp(a.count, b.count)
        default: return nil
        }
    }

    /// `x in list`, or a key in a map.
    @inline(never)
    func member(_ x: Value, _ list: Value) -> Bool {
        if x.isMissing { return false }
        if list.tag == .map {
            guard x.tag == .string else { return false }
            return lookup(list.bits == 0 ? labelMap : annotationMap, x) != nil
        }
        guard list.tag == .list else { return false }
        for i in 0..<Int(list.count) where equal(x, element(list, i)) == true { return true }
        return false
    }

    /// `a contains b`: substring, list element, or map key.
    @inline(never)
    func contains(_ a: Value, _ b: Value) -> Bool {
        switch (a.tag, b.tag) {
        case (.string, .string): return find(b, in: a, from: 0) != nil
        case (.list, _), (.map, _): return member(b, a)
        default: return false
        }
    }

    /// Byte offset of the first occurrence of `needle` in `hay` at or after `from`.
    func find(_ needle: Value, in hay: Value, from: Int) -> Int? {
        let n = Int(needle.count), h = Int(hay.count)
        if n == 0 { return from <= h ? from : nil }
        guard h - from >= n else { return nil }
        let hp = bytes(hay), np = bytes(needle)
        for i in from...(h - n) where hp[i] == np[0] && memcmp(hp + i, np, n) == 0 { return i }
        return nil
    }

    @inline(never)
    func affix(_ a: Value, _ b: Value, prefix: Bool) -> Bool {
        guard a.tag == .string, b.tag == .string, b.count <= a.count else { return false }
        let start = prefix ? 0 : Int(a.count - b.count)
        return b.count == 0 || memcmp(bytes(a) + start, bytes(b), Int(b.count)) == 0
    }

    /// Regex match; nil when the subject is missing. A subject without the pattern's literal
    /// prefix fails without calling PCRE2.
    @inline(never)
    func regexMatch(_ s: Value, _ regex: Int, _ pc: Int) throws(RuntimeError) -> Bool? {
        guard s.tag == .string else { return nil }
        let prefix = program.regexPrefixes[regex]
        if prefix.y > 0 {
            guard Int(s.count) >= Int(prefix.y),
                  Program.sameBytes(bytes(s), program.regexPrefixBytes.baseAddress! + Int(prefix.x), Int(prefix.y)) else { return false }
        }
        switch matcher.match(program.regexCode[regex], bytes(s), Int(s.count)) {
        case .match: return true
        case .noMatch: return false
        case .limit: throw RuntimeError(kind: .regexLimit, pc: pc)
        }
    }

    @inline(never)
    func search(_ s: Value, _ regex: Int, _ pc: Int) throws(RuntimeError) -> Value {
        guard let r = try regexMatch(s, regex, pc) else { return .missing }
        return .bool(r)
    }

    @inline(never)
    func extract(_ s: Value, _ regex: Int, _ pc: Int) throws(RuntimeError) -> Value {
        guard try regexMatch(s, regex, pc) == true else { return .missing }
        let group = program.regexes[regex].captureCount > 0 ? 1 : 0
        guard let r = matcher.group(group) else { return .missing }
        return .string(s.pool, offset: s.offset + r.lowerBound, count: r.count)
    }

    /// `labels[key]` / `annotations[key]` with a computed key.
    @inline(never)
    func mapGet(_ which: AlertMap, _ key: Value) -> Value {
        guard key.tag == .string else { return .missing }
        let map = switch which {
        case .labels: labelMap
        case .annotations: annotationMap
        }
        guard let v = lookup(map, key) else { return .missing }
        return (try? scratchString(Array(v.utf8), 0)) ?? .missing
    }

    /// A map entry whose key has exactly the bytes of `key`.
    func lookup(_ map: BoundMap, _ key: Value) -> String? {
        map.value(bytes: UnsafeBufferPointer(start: bytes(key), count: Int(key.count)))
    }

    /// Copies bytes into the scratch pool (the memory budget).
    func scratchString<C: Collection>(_ b: C, _ pc: Int) throws(RuntimeError) -> Value where C.Element == UInt8 {
        guard scratchUsed + b.count <= VM.scratchBytes else { throw RuntimeError(kind: .memoryBudget, pc: pc) }
        let start = scratchUsed
        let copied = b.withContiguousStorageIfAvailable { source in
            if let base = source.baseAddress { (scratch.baseAddress! + start).update(from: base, count: source.count) }
        }
        if copied == nil { for (i, x) in b.enumerated() { scratch[start + i] = x } }
        scratchUsed += b.count
        return .string(.scratch, offset: start, count: b.count)
    }

    /// Memory the last run spent: bytes of computed strings and values of computed lists.
    package var memoryUsed: (bytes: Int, values: Int) { (scratchUsed, scratchListUsed) }

    func scratchString(_ s: String, _ pc: Int) throws(RuntimeError) -> Value {
        var s = s
        s.makeContiguousUTF8()
        return try scratchString(s.utf8, pc)
    }

    /// `lower` / `upper`: ASCII strings byte by byte into the scratch pool; any other string
    /// through Swift's full Unicode case mapping.
    func changeCase(_ v: Value, upper: Bool, _ pc: Int) throws(RuntimeError) -> Value {
        let n = Int(v.count), p = bytes(v)
        var ascii = true
        for i in 0..<n where p[i] >= 0x80 { ascii = false; break }
        guard ascii else { return try scratchString(upper ? string(v).uppercased() : string(v).lowercased(), pc) }
        guard scratchUsed + n <= VM.scratchBytes else { throw RuntimeError(kind: .memoryBudget, pc: pc) }
        let start = scratchUsed, out = scratch.baseAddress! + start
        let (from, to): (UInt8, UInt8) = upper ? (0x61, 0x7A) : (0x41, 0x5A)
        for i in 0..<n {
            let c = p[i]
            out[i] = c >= from && c <= to ? c ^ 0x20 : c
        }
        scratchUsed += n
        return .string(.scratch, offset: start, count: n)
    }

    /// A string value's text.
    func string(_ v: Value) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes(v), count: Int(v.count)), as: UTF8.self)
    }

    @inline(never)
    func makeList(_ items: UnsafeBufferPointer<Value>, _ pc: Int) throws(RuntimeError) -> Value {
        guard scratchListUsed + items.count <= scratchList.count else { throw RuntimeError(kind: .memoryBudget, pc: pc) }
        let start = scratchListUsed
        for (i, v) in items.enumerated() { scratchList[start + i] = v }
        scratchListUsed += items.count
        return .list(.scratch, offset: start, count: items.count)
    }

    @inline(never)
    func format(_ items: UnsafeBufferPointer<Value>, _ pc: Int) throws(RuntimeError) -> Value {
        // The parts are appended to the scratch pool one after the other: the result is the
        // run they make (a string part already in the pool is copied, never aliased).
        let start = scratchUsed
        for v in items {
            if v.tag == .string {
                guard scratchUsed + Int(v.count) <= VM.scratchBytes else { throw RuntimeError(kind: .memoryBudget, pc: pc) }
                (scratch.baseAddress! + scratchUsed).update(from: bytes(v), count: Int(v.count))
                scratchUsed += Int(v.count)
            } else {
                _ = try scratchString(CanonicalText.text(plain(v)), pc)
            }
        }
        return .string(.scratch, offset: start, count: scratchUsed - start)
    }

    @inline(never)
    func negate(_ v: Value, _ pc: Int) throws(RuntimeError) -> Value {
        switch v.tag {
        case .int, .duration:
            let (r, o) = Int64(0).subtractingReportingOverflow(v.int)
            if o { throw RuntimeError(kind: v.tag == .int ? .overflow : .outOfRange, pc: pc) }
            return Value(tag: v.tag, bits: UInt64(bitPattern: r))
        case .float: return .float(-v.float)
        default: return .missing
        }
    }

    enum ArithmeticOperator { case add, sub, mul, div, mod }

    @inline(never)
    func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value, _ pc: Int) throws(RuntimeError) -> Value {
        if a.isMissing || b.isMissing { return .missing }
        func checked(_ r: (Int64, Bool), _ tag: Tag) throws(RuntimeError) -> Value {
            if r.1 { throw RuntimeError(kind: tag == .int ? .overflow : .outOfRange, pc: pc) }
            return Value(tag: tag, bits: UInt64(bitPattern: r.0))
        }
        func integer(_ x: Int64, _ y: Int64, _ tag: Tag) throws(RuntimeError) -> Value {
            switch op {
            case .add: return try checked(x.addingReportingOverflow(y), tag)
            case .sub: return try checked(x.subtractingReportingOverflow(y), tag)
            case .mul: return try checked(x.multipliedReportingOverflow(by: y), tag)
            case .div:
                if y == 0 { throw RuntimeError(kind: .divisionByZero, pc: pc) }
                return try checked(x.dividedReportingOverflow(by: y), tag)
            case .mod:
                if y == 0 { throw RuntimeError(kind: .divisionByZero, pc: pc) }
                // `Int64.min % -1` is 0 mathematically: `%` never overflows (docs/semantics.md).
                return Value(tag: tag, bits: UInt64(bitPattern: y == -1 ? 0 : x % y))
            }
        }
        func real(_ x: Double, _ y: Double) -> Value {
            switch op {
            case .add: .float(x + y)
            case .sub: .float(x - y)
            case .mul: .float(x * y)
            case .div: .float(x / y)
            case .mod: .float(fmod(x, y))
            }
        }
        /// A duration scaled by a float, truncated toward zero.
        func scaled(_ ms: Int64, _ f: Double, divide: Bool) throws(RuntimeError) -> Value {
            if divide && f == 0 { throw RuntimeError(kind: .divisionByZero, pc: pc) }
            let r = divide ? Double(ms) / f : Double(ms) * f
            guard r.isFinite, r > -9.2e18, r < 9.2e18 else { throw RuntimeError(kind: .outOfRange, pc: pc) }
            return .duration(Int64(r))
        }
        switch (a.tag, b.tag, op) {
        case (.int, .int, _): return try integer(a.int, b.int, .int)
        case (.int, .float, _): return real(Double(a.int), b.float)
        case (.float, .int, _): return real(a.float, Double(b.int))
        case (.float, .float, _): return real(a.float, b.float)
        case (.string, .string, .add):
            var out = Array(UnsafeBufferPointer(start: bytes(a), count: Int(a.count)))
            out += UnsafeBufferPointer(start: bytes(b), count: Int(b.count))
            return try scratchString(out, pc)
        case (.duration, .duration, .add), (.duration, .duration, .sub), (.duration, .duration, .mod):
            return try integer(a.int, b.int, .duration)
        case (.duration, .duration, .div):
            return .float(Double(a.int) / Double(b.int))
        case (.time, .duration, .add), (.time, .duration, .sub): return try integer(a.int, b.int, .time)
        case (.duration, .time, .add): return try integer(b.int, a.int, .time)
        case (.time, .time, .sub): return try integer(a.int, b.int, .duration)
        case (.duration, .int, .mul), (.duration, .int, .div): return try integer(a.int, b.int, .duration)
        case (.int, .duration, .mul): return try integer(a.int, b.int, .duration)
        case (.duration, .float, .mul): return try scaled(a.int, b.float, divide: false)
        case (.duration, .float, .div): return try scaled(a.int, b.float, divide: true)
        case (.float, .duration, .mul): return try scaled(b.int, a.float, divide: false)
        default: return .missing
        }
    }

    /// A VM value as a plain value (results, tests, the oracle).
    public func plain(_ v: Value) -> PlainValue {
        switch v.tag {
        case .missing: return .missing
        case .bool: return .bool(v.bits != 0)
        case .int: return .int(v.int)
        case .float: return .float(v.float)
        case .string: return .string(string(v))
        case .duration: return .duration(v.int)
        case .time: return .time(v.int)
        case .severity: return .severity(UInt8(v.bits))
        case .list: return .list((0..<Int(v.count)).map { plain(element(v, $0)) })
        case .map: return .map(UInt8(v.bits))
        }
    }
}

import Foundation
import RuleText

extension VM {
    @inline(never)
    func call(_ f: BuiltinID, _ args: UnsafeBufferPointer<Value>, _ pc: Int) throws(RuntimeError) -> Value {
        if f == .exists { return .bool(!args[0].isMissing) }
        if args.contains(where: \.isMissing) { return .missing }
        // The compiler only emits well-typed calls; a hostile artifact may not: wrong tags read as missing.
        guard Self.argumentsFit(f, args) else { return .missing }
        switch f {
        case .len:
            if args[0].tag == .list { return .int(Int64(args[0].count)) }
            return .int(Int64(string(args[0]).unicodeScalars.count))
        case .lower: return try changeCase(args[0], upper: false, pc)
        case .upper: return try changeCase(args[0], upper: true, pc)
        case .trim:
            if let slice = asciiTrim(args[0]) { return slice }
            let scalars = string(args[0]).unicodeScalars
            let kept = scalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed()
            return try scratchString(String(String.UnicodeScalarView(kept)), pc)
        case .split: return try split(args[0], args[1], pc)
        case .join: return try join(args[0], args[1], pc)
        case .replace: return try replace(args[0], args[1], args[2], pc)
        case .substr:
            let scalars = Array(string(args[0]).unicodeScalars)
            let start = Int(clamping: max(0, min(args[1].int, Int64(scalars.count))))
            let rest = scalars.count - start
            let length = args.count > 2 ? Int(clamping: max(0, min(args[2].int, Int64(rest)))) : rest
            return try scratchString(String(String.UnicodeScalarView(scalars[start..<(start + length)])), pc)
        case .int: return toInt(args[0])
        case .float: return toFloat(args[0])
        case .string:
            if args[0].tag == .string { return args[0] }
            return try scratchString(CanonicalText.text(plain(args[0])), pc)
        case .duration:
            if args[0].tag == .duration { return args[0] }
            return parseBoundedDuration(string(args[0])).map(Value.duration) ?? .missing
        case .time:
            if args[0].tag == .time { return args[0] }
            return parseRFC3339(string(args[0])).map(Value.time) ?? .missing
        case .age:
            let (r, o) = now.subtractingReportingOverflow(fields[Int(Field.startsAt.rawValue)].int)
            if o { throw RuntimeError(kind: .outOfRange, pc: pc) }
            return .duration(r)
        case .hour: return packClock.local(args[0].int).map { .int(Int64($0.minute / 60)) } ?? .missing
        case .weekday: return packClock.local(args[0].int).map { .int(Int64($0.weekday)) } ?? .missing
        case .exists: return .bool(true)
        }
    }

    /// Whether the argument tags are ones the builtin reads memory through safely.
    static func argumentsFit(_ f: BuiltinID, _ args: UnsafeBufferPointer<Value>) -> Bool {
        // (Two overloads, not a variadic list: an array of tags made on every call.)
        func tag(_ i: Int, _ t: Tag) -> Bool { i < args.count && args[i].tag == t }
        func tag(_ i: Int, _ t: Tag, _ u: Tag) -> Bool { i < args.count && (args[i].tag == t || args[i].tag == u) }
        switch f {
        case .len: return tag(0, .string, .list)
        case .lower, .upper, .trim: return tag(0, .string)
        case .split: return tag(0, .string) && tag(1, .string)
        case .join: return tag(0, .list) && tag(1, .string)
        case .replace: return tag(0, .string) && tag(1, .string) && tag(2, .string)
        case .substr: return tag(0, .string) && tag(1, .int) && (args.count < 3 || tag(2, .int))
        case .duration: return tag(0, .string, .duration)
        case .time: return tag(0, .string, .time)
        case .hour, .weekday: return tag(0, .time)
        case .int, .float, .string, .exists, .age: return true
        }
    }

    private func toInt(_ v: Value) -> Value {
        switch v.tag {
        case .int: return v
        case .float:
            let d = v.float.rounded(.towardZero)
            return d.isFinite && d >= -9_223_372_036_854_775_808.0 && d < 9_223_372_036_854_775_808.0 ? .int(Int64(d)) : .missing
        case .bool: return .int(Int64(v.bits))
        case .string:
            let s = string(v)
            let digits = s.hasPrefix("-") || s.hasPrefix("+") ? s.dropFirst() : Substring(s)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let i = Int64(s) else { return .missing }
            return .int(i)
        default: return .missing
        }
    }

    private func toFloat(_ v: Value) -> Value {
        switch v.tag {
        case .int: return .float(Double(v.int))
        case .float: return v
        case .bool: return .float(Double(v.bits))
        case .string:
            guard let d = Double(string(v)), d.isFinite else { return .missing }
            return .float(d)
        default: return .missing
        }
    }

    /// The parts go straight into the scratch list (no array on the way).
    private func split(_ s: Value, _ sep: Value, _ pc: Int) throws(RuntimeError) -> Value {
        let start = scratchListUsed
        var count = 0
        func add(_ offset: Int, _ n: Int) throws(RuntimeError) {
            guard start + count < scratchList.count else { throw RuntimeError(kind: .memoryBudget, pc: pc) }
            scratchList[start + count] = .string(s.pool, offset: s.offset + offset, count: n)
            count += 1
        }
        if sep.count == 0 {
            var offset = 0
            let text = string(s)
            for u in text.unicodeScalars {
                let n = String(u).utf8.count
                if count == RuleLimits.computedListLength - 1 { break }
                try add(offset, n)
                offset += n
            }
            if offset < Int(s.count) { try add(offset, Int(s.count) - offset) }
        } else {
            var from = 0
            while count < RuleLimits.computedListLength - 1, let i = find(sep, in: s, from: from) {
                try add(from, i - from)
                from = i + Int(sep.count)
            }
            try add(from, Int(s.count) - from)
        }
        scratchListUsed = start + count
        return .list(.scratch, offset: start, count: count)
    }

    /// Appends `n` bytes to the scratch pool (the string being built ends there).
    private func putScratch(_ p: UnsafePointer<UInt8>, _ n: Int, _ pc: Int) throws(RuntimeError) {
        guard scratchUsed + n <= VM.scratchBytes else { throw RuntimeError(kind: .memoryBudget, pc: pc) }
        if n > 0 { (scratch.baseAddress! + scratchUsed).update(from: p, count: n) }
        scratchUsed += n
    }

    /// The result goes straight into the scratch pool (as `replace`).
    private func join(_ list: Value, _ sep: Value, _ pc: Int) throws(RuntimeError) -> Value {
        let start = scratchUsed
        for i in 0..<Int(list.count) {
            if i > 0 { try putScratch(bytes(sep), Int(sep.count), pc) }
            let e = element(list, i)
            if e.tag == .string { try putScratch(bytes(e), Int(e.count), pc) }
        }
        return .string(.scratch, offset: start, count: scratchUsed - start)
    }

    /// The result goes straight into the scratch pool (the arguments are earlier in a pool,
    /// never overwritten).
    private func replace(_ s: Value, _ old: Value, _ new: Value, _ pc: Int) throws(RuntimeError) -> Value {
        if old.count == 0 { return s }
        let start = scratchUsed
        var from = 0
        let sp = bytes(s)
        while let i = find(old, in: s, from: from) {
            try putScratch(sp + from, i - from, pc)
            try putScratch(bytes(new), Int(new.count), pc)
            from = i + Int(old.count)
        }
        try putScratch(sp + from, Int(s.count) - from, pc)
        return .string(.scratch, offset: start, count: scratchUsed - start)
    }

    /// `trim` as a slice of its argument when both ends are ASCII (ASCII white space is tab,
    /// line feed, vertical tab, form feed, carriage return and space); nil when an end reaches
    /// a non-ASCII byte, which may begin Unicode white space (`trim` then maps scalars).
    private func asciiTrim(_ s: Value) -> Value? {
        let p = bytes(s)
        var start = 0, end = Int(s.count)
        func white(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        while start < end {
            let c = p[start]
            if c >= 0x80 { return nil }
            if !white(c) { break }
            start += 1
        }
        while end > start {
            let c = p[end - 1]
            if c >= 0x80 { return nil }
            if !white(c) { break }
            end -= 1
        }
        return .string(s.pool, offset: s.offset + start, count: end - start)
    }
}

import RuleLang

/// A route's settings after inheritance: what a child does not set, it takes from its parent
/// (spec 5.5), with Alertmanager's defaults at the root.
public struct RoutePolicy: Sendable {
    public let path: [String]
    /// `path` as `a/b`.
    public let pathText: String
    public let notify: [String]
    public let failover: [String]
    public let escalation: String?
    /// nil: every label (`group_by: [...]`).
    public let groupBy: [String]?
    public let groupWaitMs: Int64
    public let groupIntervalMs: Int64
    public let repeatIntervalMs: Int64
    public let activeDuring: String?
    public let muteDuring: String?

    public static let defaultGroupWait: Int64 = 30_000
    public static let defaultGroupInterval: Int64 = 300_000
    public static let defaultRepeatInterval: Int64 = 4 * 3_600_000

    /// Every route of `pack` by its path (`a/b/c`).
    public static func table(_ pack: Pack) -> [String: RoutePolicy] {
        var out: [String: RoutePolicy] = [:]
        func walk(_ routes: [Route], _ parent: RoutePolicy?) {
            for r in routes {
                let groupBy: [String]?
                switch r.groupBy {
                case .all?: groupBy = nil
                case .labels(let names)?: groupBy = names.map(\.text)
                case nil: groupBy = parent.map { $0.groupBy } ?? []
                }
                let path = (parent?.path ?? []) + [r.name.text]
                let p = RoutePolicy(
                    path: path, pathText: path.joined(separator: "/"),
                    notify: r.notify?.map(\.text) ?? parent?.notify ?? [],
                    failover: r.failover?.map(\.text) ?? parent?.failover ?? [],
                    escalation: r.escalation?.text ?? parent?.escalation,
                    groupBy: groupBy,
                    groupWaitMs: r.groupWaitMs ?? parent?.groupWaitMs ?? defaultGroupWait,
                    groupIntervalMs: r.groupIntervalMs ?? parent?.groupIntervalMs ?? defaultGroupInterval,
                    repeatIntervalMs: r.repeatIntervalMs ?? parent?.repeatIntervalMs ?? defaultRepeatInterval,
                    activeDuring: r.activeDuring?.text ?? parent?.activeDuring,
                    muteDuring: r.muteDuring?.text ?? parent?.muteDuring)
                out[p.pathText] = p
                walk(r.children, p)
            }
        }
        walk(pack.routes, nil)
        return out
    }

    /// The group key: route path plus the values of `group_by` (all labels for `[...]`, in the
    /// order of their names' bytes), names and values `escaped`; built as bytes, one string.
    public func groupKey(_ labels: LabelSet) -> String {
        // At most twice every byte (each escaped), in one buffer on the stack: one allocation,
        // the string's.
        // A `group_by` may name a label twice (its value is written twice): each name counts
        // the longest value.
        var bound = pathText.utf8.count + 2
        if let groupBy {
            var longest = 0
            for pair in labels { longest = max(longest, pair.value.utf8.count) }
            for name in groupBy { bound += 2 * (name.utf8.count + longest) + 2 }
        } else {
            for pair in labels { bound += 2 * (pair.key.utf8.count + pair.value.utf8.count) + 2 }
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { buffer in
            var n = 0
            func put(_ b: UInt8) {
                buffer[n] = b
                n += 1
            }
            func putEscaped(_ s: String) {
                for b in s.utf8 {
                    if Self.isSpecial(b) { put(0x5C) }
                    put(b)
                }
            }
            for b in pathText.utf8 { put(b) }
            put(UInt8(ascii: "{"))
            func add(_ i: Int, _ name: String, _ value: String) {
                if i > 0 { put(UInt8(ascii: ",")) }
                putEscaped(name)
                put(UInt8(ascii: "="))
                putEscaped(value)
            }
            if let groupBy {
                for (i, name) in groupBy.enumerated() { add(i, name, labels[name] ?? "") }
            } else {
                for (i, pair) in labels.enumerated() { add(i, pair.key, pair.value) }
            }
            put(UInt8(ascii: "}"))
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<n]), as: UTF8.self)
        }
    }

    /// `escaped(s)`'s bytes appended to `out` (the escaped characters are ASCII, so a byte never
    /// splits a character).
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        for b in s.utf8 {
            if Self.isSpecial(b) { out.append(0x5C) }
            out.append(b)
        }
    }

    /// `\`, `,`, `=`, `{` or `}`.
    @inline(__always)
    static func isSpecial(_ b: UInt8) -> Bool { b == 0x5C || b == 0x2C || b == 0x3D || b == 0x7B || b == 0x7D }

    /// A name or value inside a group key, with `\`, `,`, `=`, `{` and `}` escaped by a
    /// backslash, so two label sets never give one key (`a="1,b=2"` is not `a="1", b="2"`).
    /// Names and values without them (nearly all) are unchanged.
    public static func escaped(_ s: String) -> String {
        guard s.utf8.contains(where: isSpecial) else { return s }
        var out: [UInt8] = []
        appendEscaped(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

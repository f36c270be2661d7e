import RuleRuntime

/// A route's settings after inheritance (`RouteSettings`), with what the engine derives from
/// them once: its path as text and its group notification's channels. A class: every alert and
/// group flush reads its route's policy, and copying a struct of this many arrays and strings
/// retained each.
public final class RoutePolicy: Sendable {
    /// The route's settings as the runtime pack holds them.
    public let settings: RouteSettings
    /// `path` as `a/b`.
    public let pathText: String
    /// The channels a group notification of the route goes to: its `notify`, then the first
    /// level of its escalation when that level is due at once, then its first `failover`
    /// (found once, not at every notification).
    public let groupChannels: [String]

    public var path: [String] { settings.path }
    public var notify: [String] { settings.notify }
    public var failover: [String] { settings.failover }
    public var escalation: String? { settings.escalation }
    /// nil: every label (`group_by: [...]`).
    public var groupBy: [String]? { settings.groupBy }
    public var groupWaitMs: Int64 { settings.groupWaitMs }
    public var groupIntervalMs: Int64 { settings.groupIntervalMs }
    public var repeatIntervalMs: Int64 { settings.repeatIntervalMs }
    public var activeDuring: String? { settings.activeDuring }
    public var muteDuring: String? { settings.muteDuring }

    init(_ settings: RouteSettings, plans: [String: EscalationPlan]) {
        self.settings = settings
        self.pathText = settings.path.joined(separator: "/")
        var channels = settings.notify
        if let plan = settings.escalation.flatMap({ plans[$0] }), let first = plan.levels.first, first.afterMs == 0 {
            for c in first.channels where !channels.contains(c) { channels.append(c) }
        }
        if let f = settings.failover.first, !channels.contains(f) { channels.append(f) }
        self.groupChannels = channels
    }

    /// Every route's policy by its path (`a/b/c`), from the runtime pack's route settings.
    public static func table(_ pack: RuntimePack, plans: [String: EscalationPlan]? = nil) -> [String: RoutePolicy] {
        let plans = plans ?? Engine.plans(pack)
        var out: [String: RoutePolicy] = [:]
        for r in pack.routeSettings {
            let p = RoutePolicy(r, plans: plans)
            out[p.pathText] = p
        }
        return out
    }

    /// The key of the group of `labels` in this route (number `route`): the values of
    /// `group_by` (all labels for `[...]`, in the order of their names' bytes; "" for one the
    /// alert lacks).
    public func groupKey(_ labels: LabelSet, route: Int) -> GroupKey {
        let grouped: [GroupLabel] = if let groupBy {
            groupBy.map { GroupLabel(name: $0, value: labels[$0] ?? "") }
        } else {
            labels.map { GroupLabel(name: $0.key, value: $0.value) }
        }
        return GroupKey(owner: .route(route), name: pathText, labels: grouped)
    }

    /// Runs `body` on the bytes of the group key's rendering (`GroupKey.description`, the
    /// group table's index), without making a key or a string (looking up a group that exists
    /// needs neither).
    public func withGroupKey<R>(_ labels: LabelSet, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // Most keys fit a small buffer on the stack; a longer one is built in one of its bound
        // (every byte escaped), found by a second walk.
        if let result = withGroupKey(labels, capacity: 512, body) { return result }
        var bound = pathText.utf8.count + 2
        if let groupBy {
            for name in groupBy { bound += 2 * (name.utf8.count + (labels[name]?.utf8.count ?? 0)) + 2 }
        } else {
            for pair in labels { bound += 2 * (pair.key.utf8.count + pair.value.utf8.count) + 2 }
        }
        return withGroupKey(labels, capacity: bound, body)!
    }

    /// `body` on the group key's bytes if they fit in `capacity`.
    private func withGroupKey<R>(_ labels: LabelSet, capacity: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer -> R? in
            let out = buffer.baseAddress!
            var n = 0
            // The path has none of the special bytes (route names are identifiers).
            guard Self.put(pathText, out, &n, capacity) else { return nil }
            out[n] = UInt8(ascii: "{")
            n += 1
            var first = true
            func add(_ name: String, _ value: String) -> Bool {
                if !first {
                    out[n] = UInt8(ascii: ",")
                    n += 1
                }
                first = false
                guard Self.put(name, out, &n, capacity) else { return false }
                out[n] = UInt8(ascii: "=")
                n += 1
                return Self.put(value, out, &n, capacity)
            }
            if let groupBy {
                for name in groupBy { guard add(name, labels[name] ?? "") else { return nil } }
            } else {
                for pair in labels { guard add(pair.key, pair.value) else { return nil } }
            }
            out[n] = UInt8(ascii: "}")
            n += 1
            return body(UnsafeBufferPointer(start: out, count: n))
        }
    }

    /// Appends `s` at `out + n`, its special bytes escaped: false (nothing written) when it
    /// might not fit in `capacity` with the two separators that may follow it.
    @inline(__always)
    private static func put(_ s: String, _ out: UnsafeMutablePointer<UInt8>, _ n: inout Int, _ capacity: Int) -> Bool {
        guard n + 2 * s.utf8.count + 2 <= capacity else { return false }
        let start = n
        let written = s.utf8.withContiguousStorageIfAvailable { bytes in copyEscaped(bytes, out + start) }
        n += written ?? copyEscaped(s.utf8, out + start)
        return true
    }

    /// Writes `bytes` at `out`, the special ones escaped; how many bytes it wrote.
    @inline(__always)
    private static func copyEscaped<C: Collection<UInt8>>(_ bytes: C, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        for b in bytes {
            if isSpecial(b) {
                out[i] = 0x5C
                i += 1
            }
            out[i] = b
            i += 1
        }
        return i
    }

    /// `\`, `,`, `=`, `{` or `}`.
    @inline(__always)
    static func isSpecial(_ b: UInt8) -> Bool { b == 0x5C || b == 0x2C || b == 0x3D || b == 0x7B || b == 0x7D }

    /// A name or value inside a group key, with `\`, `,`, `=`, `{` and `}` escaped by a
    /// backslash, so two label sets never give one key (`a="1,b=2"` is not `a="1", b="2"`).
    /// Names and values without them (nearly all) are unchanged.
    public static func escaped(_ s: String) -> String {
        guard s.utf8.contains(where: isSpecial) else { return s }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * s.utf8.count) { buffer in
            String(decoding: UnsafeBufferPointer(start: buffer.baseAddress!, count: copyEscaped(s.utf8, buffer.baseAddress!)), as: UTF8.self)
        }
    }
}

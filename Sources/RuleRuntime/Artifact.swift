import Foundation
import RuleVM
import RuleText

/// The `.rpk` artifact: a compiled pack in a versioned binary form with a checksum, holding no
/// secrets (channels are not part of it). Layout: magic `RPK1`, format version (u16), flags
/// (u16), payload length (u64), CRC-32 of the payload (u32), payload. Every read is bounds-
/// checked and the program is verified on load, so a corrupt or hostile file is an error.
public enum Artifact {
    public static let magic: [UInt8] = Array("RPK1".utf8)
    /// 2: the tier, memo slots and the fused affix and memo instructions. 3: correlation entries.
    /// 5: the whole runtime model (rule settings and fingerprints, route settings, escalation
    /// plans, SLA clocks). 6: the channels.
    public static let version: UInt16 = 6

    public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func encode(_ pack: RuntimePack) -> [UInt8] {
        var w = ByteWriter()
        let p = pack.program
        w.string(pack.tenant); w.string(pack.tier); w.string(p.timezone); w.u32(UInt32(p.budget)); w.u32(UInt32(p.memoCount))
        w.u32(UInt32(p.code.count))
        for i in p.code { w.u8(i.op.rawValue); w.u8(i.a); w.u16(i.b); w.u32(i.c) }
        w.values(p.constants)
        w.bytes(p.constantBytes)
        w.values(p.listElements)
        w.u32(UInt32(p.stringSets.count))
        for s in p.stringSets { w.strings(s.members) }
        w.u32(UInt32(p.regexes.count))
        for r in p.regexes { w.u8(r.anchored ? 1 : 0); w.string(r.pattern) }
        w.strings(p.labelSlots); w.strings(p.annotationSlots); w.strings(p.numberSlots)
        w.u32(UInt32(p.windows.count))
        for x in p.windows { w.string(x.name); w.u8(x.weekdays); w.u16(UInt16(x.startMinute)); w.u16(UInt16(x.endMinute)); w.string(x.zone) }
        w.u32(UInt32(p.entries.count))
        for e in p.entries { w.string(e.name); w.u32(UInt32(e.pc)); w.u32(UInt32(e.cost)) }
        w.strings(p.files)
        w.u32(UInt32(p.spans.count))
        for (pc, s) in p.spans { w.u32(UInt32(pc)); w.u16(s.file); w.u32(s.start); w.u32(s.end) }
        for list in [pack.enrich, pack.suppress, pack.correlate, pack.anomalies] {
            w.u32(UInt32(list.count))
            for r in list {
                w.u8(r.kind.code); w.string(r.name); w.u32(UInt32(r.entry)); w.guardTest(r.guardTest)
                w.u32(UInt32(r.sets.count))
                for s in r.sets { w.string(s.label); w.u32(UInt32(s.entry)) }
                w.u32(r.whileActive.map { UInt32($0) } ?? UInt32.max)
                w.correlation(r.correlation)
                w.settings(r)
            }
        }
        func routes(_ rs: [RuntimeRoute]) {
            w.u32(UInt32(rs.count))
            for r in rs {
                w.string(r.name); w.u32(UInt32(r.entry)); w.u8(r.continueMatching ? 1 : 0); w.guardTest(r.guardTest); routes(r.children)
            }
        }
        routes(pack.routes)
        w.u32(UInt32(pack.routeSettings.count))
        for r in pack.routeSettings { w.routeSettings(r) }
        w.u32(UInt32(pack.escalations.count))
        for e in pack.escalations {
            w.string(e.name); w.u32(UInt32(clamping: e.repeatCount)); w.u8(e.untilAcknowledged ? 1 : 0)
            w.u32(UInt32(e.levels.count))
            for l in e.levels { w.i64(l.afterMs); w.strings(l.channels) }
        }
        w.i64(pack.sla.ackWithinMs); w.i64(pack.sla.resolveWithinMs); w.optionalI64(pack.sla.ackTimeoutMs)
        w.u32(UInt32(pack.channels.count))
        for c in pack.channels { w.channel(c) }
        var out = ByteWriter()
        out.raw(magic); out.u16(version); out.u16(0); out.u64(UInt64(w.data.count)); out.u32(crc32(w.data))
        out.raw(w.data)
        return out.data
    }

    public static func decode(_ data: [UInt8]) -> Result<RuntimePack, LoadError> {
        do {
            return .success(try decodeThrowing(data))
        } catch let e as LoadError {
            return .failure(e)
        } catch {
            return .failure(LoadError(message: "\(error)"))
        }
    }

    private static func decodeThrowing(_ data: [UInt8]) throws -> RuntimePack {
        guard data.count >= 20, Array(data[0..<4]) == magic else { throw LoadError(message: "not a RuleLang artifact (bad magic)") }
        var header = ByteReader(data[4..<20])
        let v = try header.u16()
        guard v == version else { throw LoadError(message: "artifact format version \(v), this build reads \(version)") }
        _ = try header.u16()
        let length = try header.u64(), sum = try header.u32()
        guard UInt64(data.count - 20) == length else { throw LoadError(message: "artifact truncated or padded: payload is \(data.count - 20) bytes, header says \(length)") }
        let payload = Array(data[20...])
        guard crc32(payload) == sum else { throw LoadError(message: "artifact checksum mismatch (corrupt file)") }
        var r = ByteReader(payload[...])
        let tenant = try r.string(), tier = try r.string(), timezone = try r.string(), budget = Int(try r.u32()), memoCount = Int(try r.u32())
        guard memoCount <= Int(UInt16.max) else { throw LoadError(message: "artifact declares \(memoCount) memo slots") }
        guard ZoneNames.zone(timezone) != nil else { throw LoadError(message: "unknown time zone `\(timezone)` in artifact") }
        let codeCount = try r.count(8)
        var code: [Instruction] = []
        code.reserveCapacity(codeCount)
        for _ in 0..<codeCount {
            let raw = try r.u8()
            guard let op = Opcode(rawValue: raw) else { throw LoadError(message: "unknown opcode \(raw)") }
            code.append(Instruction(op, a: try r.u8(), b: try r.u16(), c: try r.u32()))
        }
        let constants = try r.values()
        let constantBytes = try r.bytes()
        let listElements = try r.values()
        var sets: [StringSet] = []
        for _ in 0..<(try r.count(4)) { sets.append(StringSet(try r.strings())) }
        var regexes: [Regex] = []
        for _ in 0..<(try r.count(5)) {
            let anchored = try r.u8() == 1, pattern = try r.string()
            switch Regex.compile(pattern, anchored: anchored) {
            case .success(let re): regexes.append(re)
            case .failure(let e): throw LoadError(message: "bad regex in artifact: \(e.message)")
            }
        }
        let labelSlots = try r.strings(), annotationSlots = try r.strings(), numberSlots = try r.strings()
        var windows: [WindowSpec] = []
        for _ in 0..<(try r.count(9)) {
            let w = WindowSpec(name: try r.string(), weekdays: try r.u8(), startMinute: Int(try r.u16()),
                               endMinute: Int(try r.u16()), zone: try r.string())
            guard ZoneNames.zone(w.zone) != nil, w.startMinute <= 1440, w.endMinute <= 1440 else {
                throw LoadError(message: "bad time window `\(w.name)` in artifact")
            }
            windows.append(w)
        }
        var entries: [Entry] = []
        for _ in 0..<(try r.count(12)) { entries.append(Entry(name: try r.string(), pc: Int(try r.u32()), cost: Int(try r.u32()))) }
        let files = try r.strings()
        var spans: [(pc: Int, span: SpanRef)] = []
        for _ in 0..<(try r.count(14)) {
            spans.append((Int(try r.u32()), SpanRef(file: try r.u16(), start: try r.u32(), end: try r.u32())))
        }
        var lists: [[RuntimeRule]] = []
        for _ in 0..<4 {
            var list: [RuntimeRule] = []
            for _ in 0..<(try r.count(9)) {
                guard let kind = RuleKind(code: try r.u8()) else { throw LoadError(message: "unknown rule kind") }
                let name = try r.string(), entry = Int(try r.u32())
                guard entry < entries.count else { throw LoadError(message: "rule `\(name)` names entry \(entry), out of range") }
                let g = try r.guardTest()
                var sets: [(label: String, entry: Int)] = []
                for _ in 0..<(try r.count(8)) {
                    let label = try r.string(), e = Int(try r.u32())
                    guard e < entries.count else { throw LoadError(message: "rule `\(name)` sets `\(label)` from entry \(e), out of range") }
                    sets.append((label, e))
                }
                let active = try r.u32()
                guard active == UInt32.max || Int(active) < entries.count else { throw LoadError(message: "rule `\(name)` names entry \(active), out of range") }
                let correlation = try r.correlation(entries: entries.count)
                let equal = try r.strings(), by = try r.strings(), form = try r.form(), anomaly = try r.anomaly(), fingerprint = try r.u64()
                list.append(RuntimeRule(kind: kind, name: name, entry: entry, guardTest: g, sets: sets,
                                        whileActive: active == UInt32.max ? nil : Int(active), equal: equal, correlation: correlation,
                                        by: by, form: form, anomaly: anomaly, fingerprint: fingerprint))
            }
            lists.append(list)
        }
        func routes(_ depth: Int) throws -> [RuntimeRoute] {
            guard depth < 64 else { throw LoadError(message: "route tree deeper than 64") }
            var out: [RuntimeRoute] = []
            for _ in 0..<(try r.count(9)) {
                let name = try r.string(), entry = Int(try r.u32()), cont = try r.u8() == 1, g = try r.guardTest()
                guard entry < entries.count else { throw LoadError(message: "route `\(name)` names entry \(entry), out of range") }
                out.append(RuntimeRoute(name: name, entry: entry, continueMatching: cont, children: try routes(depth + 1), guardTest: g))
            }
            return out
        }
        let tree = try routes(0)
        func count(_ rs: [RuntimeRoute]) -> Int { rs.count + rs.reduce(0) { $0 + count($1.children) } }
        var settings: [RouteSettings] = []
        for _ in 0..<(try r.count(40)) { settings.append(try r.routeSettings()) }
        guard settings.count == count(tree) else {
            throw LoadError(message: "artifact has settings for \(settings.count) routes, its tree has \(count(tree))")
        }
        var escalations: [EscalationPlan] = []
        for _ in 0..<(try r.count(13)) {
            let name = try r.string(), repeatCount = Int(try r.u32()), until = try r.u8() == 1
            var levels: [EscalationPlan.Level] = []
            for _ in 0..<(try r.count(12)) { levels.append(.init(afterMs: try r.duration(), channels: try r.strings())) }
            escalations.append(EscalationPlan(name: name, levels: levels, repeatCount: repeatCount, untilAcknowledged: until))
        }
        let sla = SLASettings(ackWithinMs: try r.duration(), resolveWithinMs: try r.duration(), ackTimeoutMs: try r.optionalDuration())
        var channels: [RuntimeChannel] = []
        for _ in 0..<(try r.count(20)) {
            let c = try r.channel(entries: entries.count)
            guard !channels.contains(where: { $0.name == c.name }) else { throw LoadError(message: "channel `\(c.name)` twice in artifact") }
            channels.append(c)
        }
        guard r.isAtEnd else { throw LoadError(message: "trailing bytes after the artifact's payload") }
        let program = Program(code: code, constants: constants, constantBytes: constantBytes, listElements: listElements,
                              stringSets: sets, regexes: regexes, labelSlots: labelSlots, annotationSlots: annotationSlots,
                              numberSlots: numberSlots, windows: windows, timezone: timezone, entries: entries, files: files,
                              spans: spans, budget: budget, memoCount: memoCount)
        let verified: VerifiedProgram
        do { verified = try VerifiedProgram(program) } catch { throw LoadError(message: "artifact rejected by the verifier: \(error)") }
        return RuntimePack(tenant: tenant, tier: tier, verified: verified, enrich: lists[0], suppress: lists[1], correlate: lists[2],
                           anomalies: lists[3], routes: tree, routeSettings: settings, escalations: escalations, sla: sla, unindexed: [],
                           channels: channels)
    }

    /// CRC-32 (IEEE 802.3), bitwise: artifacts are small and loaded rarely.
    package static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}

extension RuleKind {
    var code: UInt8 {
        switch self {
        case .enrich: 0
        case .suppress: 1
        case .correlate: 2
        case .anomaly: 3
        case .route: 4
        }
    }

    init?(code: UInt8) {
        switch code {
        case 0: self = .enrich
        case 1: self = .suppress
        case 2: self = .correlate
        case 3: self = .anomaly
        case 4: self = .route
        default: return nil
        }
    }
}

/// Little-endian writer.
struct ByteWriter {
    var data: [UInt8] = []
    mutating func raw(_ b: [UInt8]) { data += b }
    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u16(_ v: UInt16) { data += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { data.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { data.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) } }
    mutating func bytes(_ b: [UInt8]) { u32(UInt32(b.count)); data += b }
    mutating func string(_ s: String) { bytes(Array(s.utf8)) }
    mutating func strings(_ xs: [String]) { u32(UInt32(xs.count)); xs.forEach { string($0) } }
    mutating func correlation(_ c: CorrelationEntries?) {
        guard let c else { u8(0); return }
        u8(1)
        u32(c.condition.map { UInt32($0) } ?? UInt32.max)
        u32(UInt32(c.steps.count)); c.steps.forEach { u32(UInt32($0)) }
        u32(UInt32(c.aggregates.count))
        for a in c.aggregates { string(a.kind.rawValue); u32(a.argument.map { UInt32($0) } ?? UInt32.max) }
        u32(UInt32(c.emits.count))
        for e in c.emits { string(e.label); u32(UInt32(e.entry)) }
    }

    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func optionalI64(_ v: Int64?) {
        guard let v else { u8(0); return }
        u8(1); i64(v)
    }
    mutating func optionalString(_ v: String?) {
        guard let v else { u8(0); return }
        u8(1); string(v)
    }

    /// A rule's settings: `equal`, `by`, correlation form, anomaly settings, fingerprint.
    mutating func settings(_ r: RuntimeRule) {
        strings(r.equal); strings(r.by)
        switch r.form {
        case nil: u8(0)
        case .window(let ms)?: u8(1); i64(ms)
        case .sequence(let ms)?: u8(2); i64(ms)
        case .heartbeat(let ms)?: u8(3); i64(ms)
        }
        if let a = r.anomaly {
            u8(1); f64(a.sensitivity); u8(1); f64(a.minRate); u8(a.seasonal ? 1 : 0)
        } else {
            u8(0)
        }
        u64(r.fingerprint)
    }

    mutating func routeSettings(_ r: RouteSettings) {
        strings(r.path); strings(r.notify); strings(r.failover); optionalString(r.escalation)
        if let g = r.groupBy { u8(1); strings(g) } else { u8(0) }
        i64(r.groupWaitMs); i64(r.groupIntervalMs); i64(r.repeatIntervalMs)
        optionalString(r.activeDuring); optionalString(r.muteDuring)
    }

    mutating func guardTest(_ g: RuleGuard?) {
        guard let g else { u8(0); return }
        u8(1); string(g.label); strings(g.values)
    }

    mutating func values(_ vs: [Value]) {
        u32(UInt32(vs.count))
        for v in vs { u8(v.tag.rawValue); u8(v.pool.rawValue); u32(v.count); u64(v.bits) }
    }
}

/// Bounds-checked little-endian reader; every failure is a `LoadError`.
struct ByteReader {
    private var data: ArraySlice<UInt8>
    init(_ data: ArraySlice<UInt8>) { self.data = data }
    var isAtEnd: Bool { data.isEmpty }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, data.count >= n else { throw Artifact.LoadError(message: "artifact truncated") }
        let out = data.prefix(n)
        data = data.dropFirst(n)
        return out
    }

    mutating func u8() throws -> UInt8 { try take(1).first! }
    mutating func u16() throws -> UInt16 { try take(2).reversed().reduce(0) { $0 << 8 | UInt16($1) } }
    mutating func u32() throws -> UInt32 { try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) } }
    mutating func u64() throws -> UInt64 { try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }

    /// A count of items each at least `minSize` bytes: never more than the bytes left allow.
    mutating func count(_ minSize: Int) throws -> Int {
        let n = Int(try u32())
        guard n * max(1, minSize) <= data.count else { throw Artifact.LoadError(message: "artifact count \(n) exceeds its data") }
        return n
    }

    mutating func bytes() throws -> [UInt8] { Array(try take(try count(1))) }

    mutating func string() throws -> String {
        let b = try bytes()
        guard let s = String(validating: b, as: UTF8.self) else { throw Artifact.LoadError(message: "artifact string is not UTF-8") }
        return s
    }

    mutating func strings() throws -> [String] { try (0..<(try count(4))).map { _ in try string() } }

    mutating func correlation(entries: Int) throws -> CorrelationEntries? {
        guard try u8() == 1 else { return nil }
        func entry(optional: Bool) throws -> Int? {
            let v = try u32()
            if optional && v == UInt32.max { return nil }
            guard Int(v) < entries else { throw Artifact.LoadError(message: "correlation names entry \(v), out of range") }
            return Int(v)
        }
        let condition = try entry(optional: true)
        let steps = try (0..<(try count(4))).map { _ in try entry(optional: false)! }
        let aggregates: [(kind: Aggregate, argument: Int?)] = try (0..<(try count(8))).map { _ in
            guard let kind = Aggregate(rawValue: try string()) else { throw Artifact.LoadError(message: "unknown aggregate in artifact") }
            return (kind, try entry(optional: true))
        }
        let emits: [(label: String, entry: Int)] = try (0..<(try count(8))).map { _ in (try string(), try entry(optional: false)!) }
        return CorrelationEntries(condition: condition, steps: steps, aggregates: aggregates, emits: emits)
    }

    /// A duration or time span in milliseconds: never negative.
    mutating func duration() throws -> Int64 {
        let v = Int64(bitPattern: try u64())
        guard v >= 0 else { throw Artifact.LoadError(message: "negative duration in artifact") }
        return v
    }

    mutating func optionalDuration() throws -> Int64? { try u8() == 0 ? nil : try duration() }
    mutating func optionalString() throws -> String? { try u8() == 0 ? nil : try string() }

    /// A finite number (no NaN or infinity reaches a detector).
    mutating func finite() throws -> Double {
        let v = Double(bitPattern: try u64())
        guard v.isFinite else { throw Artifact.LoadError(message: "non-finite number in artifact") }
        return v
    }

    mutating func form() throws -> CorrelationForm? {
        switch try u8() {
        case 0: return nil
        case 1: return .window(ms: try duration())
        case 2: return .sequence(withinMs: try duration())
        case 3: return .heartbeat(everyMs: try duration())
        default: throw Artifact.LoadError(message: "unknown correlation form in artifact")
        }
    }

    mutating func anomaly() throws -> AnomalySettings? {
        guard try u8() == 1 else { return nil }
        let sensitivity = try finite(), hasMinRate = try u8() == 1, minRate = try finite(), seasonal = try u8() == 1
        return AnomalySettings(sensitivity: sensitivity, minRate: hasMinRate ? minRate : nil, seasonal: seasonal)
    }

    mutating func routeSettings() throws -> RouteSettings {
        let path = try strings(), notify = try strings(), failover = try strings(), escalation = try optionalString()
        let groupBy = try u8() == 1 ? try strings() : nil
        let wait = try duration(), interval = try duration(), repeatInterval = try duration()
        guard interval >= 1 else { throw Artifact.LoadError(message: "route group interval under 1ms in artifact") }
        return RouteSettings(path: path, notify: notify, failover: failover, escalation: escalation, groupBy: groupBy,
                             groupWaitMs: wait, groupIntervalMs: interval, repeatIntervalMs: repeatInterval,
                             activeDuring: try optionalString(), muteDuring: try optionalString())
    }

    mutating func guardTest() throws -> RuleGuard? {
        try u8() == 0 ? nil : RuleGuard(label: try string(), values: try strings())
    }

    mutating func values() throws -> [Value] {
        try (0..<(try count(14))).map { _ in
            guard let tag = Tag(rawValue: try u8()), let pool = Pool(rawValue: try u8()) else {
                throw Artifact.LoadError(message: "bad value tag in artifact")
            }
            let count = try u32(), bits = try u64()
            return Value(tag: tag, bits: bits, count: count, pool: pool)
        }
    }
}

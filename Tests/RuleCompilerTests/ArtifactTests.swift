import TestSupport
import RuleRuntime
import Dispatch
import Foundation
import Testing
@testable import RuleCompiler
import RuleLang
import RuleText
import RuleVM

// MARK: - Fixtures

/// The bundled tenant packs under `rules/`, compiled once.
enum BundledPacks {
    static let names = ["acme-payments", "globex-retail", "initech"]

    static let compiled: [String: RuntimePack] = Dictionary(uniqueKeysWithValues: names.map {
        ($0, compileFolder(Repo.root.appendingPathComponent("rules/\($0)").path))
    })

    static func pack(_ name: String) -> RuntimePack {
        guard let p = compiled[name] else { preconditionFailure("no bundled pack \(name)") }
        return p
    }

    /// Alerts that take different routes through the three packs (labels read by their rules).
    static let alerts: [AlertInput] = {
        var out: [AlertInput] = [
            // acme-payments
            alert(["alertname": "CheckoutErrorRate", "service": "checkout-api", "env": "prod", "region": "eu-west-1",
                   "team": "payments"], severity: 3),
            alert(["alertname": "CardDeclineRateHigh", "psp": " Stripe ", "env": "prod", "merchant_id": "m-10001",
                   "region": "us-east-1"], severity: 2),
            alert(["alertname": "LoginAnomaly", "team": "fraud", "merchant_id": "m-10442"], severity: 2),
            alert(["alertname": "PaymentFailed", "service": "payment-gateway", "env": "prod", "status_code": "503",
                   "error_ratio": "0.05"]),
            alert(["alertname": "Foo", "cardholder_data": "in_scope", "env": "sandbox"]),
            alert(["alertname": "Bar", "tags": "a, pci", "k8s_namespace": "shop-canary"], severity: 0),
            alert(["alertname": "SettlementQueueBacklog", "latency_p99_ms": "abc", "cluster": "ledger-b"]),
            // globex-retail
            alert(["alertname": "FreezerTemperatureHigh", "store": "S0042", "device_type": "freezer",
                   "district": "North TX"], severity: 2, value: -9.5),
            alert(["alertname": "POSLaneOffline", "store": "S0518", "device_type": "pos", "lane": "1"], severity: 2),
            alert(["alertname": "CheckoutWebErrors", "service": "checkout-web", "env": "prod"], severity: 3, value: 7.5),
            alert(["alertname": "ScaleOffline", "store": "S0217", "device_type": "scale"]),
            alert(["alertname": "TestAlert", "env": "qa"]),
            alert(["alertname": "LanesDown", "store": "S0001", "lanes_down": "1, 2,3,4"], severity: 2),
            alert(["alertname": "DrawerOpenNoSale", "store": "S0100", "lane": "4"]),
            // initech
            alert(["alertname": "HostDown", "instance": "srv-fs01-aus"], severity: 3),
            alert(["alertname": "DiskIOHigh", "instance": "dc01", "used_pct": "97.5"], severity: 2),
            alert(["alertname": "LaptopBattery", "category": "laptop"]),
            alert(["alertname": "UPSOnBattery", "site": "aus"], severity: 3),
            alert(["alertname": "Whatever"], severity: 0),
        ]
        var printer = alert(["alertname": "PrinterError", "printer": "prn-2f-west", "category": "printer"], severity: 2)
        printer.annotations = ["message": "PC LOAD LETTER in tray 2"]
        out.append(printer)
        var latency = alert(["alertname": "GatewayLatencyHigh", "latency_p99_ms": "900", "env": "staging",
                             "region": "eu-central-1"], severity: 2, value: 0.9)
        latency.annotations = ["p99": "400ms", "summary": "merchant m-20077 on battery", "description": "dry run"]
        out.append(latency)
        return out
    }()
}

/// What a `Decision` says, comparable.
private struct DecisionSummary: Equatable, CustomStringConvertible {
    let enrich, suppress, correlate, anomalies: [String]
    let routes: [[String]]
    let errors: [String]

    init(_ d: Decision) {
        enrich = d.enrich
        suppress = d.suppress
        correlate = d.correlate
        anomalies = d.anomalies
        routes = d.routes
        errors = d.errors.map { "\($0.rule): \($0.error) at pc \($0.error.pc)" }
    }

    var description: String {
        "enrich \(enrich) suppress \(suppress) correlate \(correlate) anomalies \(anomalies) routes \(routes) errors \(errors)"
    }
}

/// SplitMix64: a small seeded generator, so every fuzz run sees the same cases. (Named apart
/// from the oracle's `SplitMix64` in ExpressionGenerator.swift, which the module also sees.)
private struct ArtifactRNG: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A per-pack, per-test seed.
private func seed(_ name: String, _ salt: UInt64) -> UInt64 {
    name.utf8.reduce(0xC0FF_EE00_0000_0000 ^ salt) { ($0 &* 0x100_0000_01B3) ^ UInt64($1) }
}

/// Table-driven CRC-32 (IEEE), checked against `Artifact.crc32` and used to reseal mutated
/// payloads: the artifact's bitwise one is eight times slower, and the fuzz loops run it 9,000 times.
private enum TableCRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func of(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}

private func littleEndian<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) }
}

/// An artifact around `payload` with a valid header, built exactly as `Artifact.encode` builds
/// it: magic `RPK1`, u16 version, u16 flags 0, u64 payload length, u32 CRC-32 of the payload.
private func seal(_ payload: [UInt8]) -> [UInt8] {
    var out = Artifact.magic
    out += littleEndian(Artifact.version)
    out += littleEndian(UInt16(0))
    out += littleEndian(UInt64(payload.count))
    out += littleEndian(TableCRC32.of(payload))
    out += payload
    return out
}

/// Where the code and the constants sit in an encoded payload (see `Artifact.encode`): tenant
/// and zone strings (u32 length + bytes), u32 budget, u32 code count, 8-byte instructions, u32
/// constant count, 14-byte values.
private struct PayloadLayout {
    let codeStart: Int
    let codeCount: Int
    let constantsStart: Int
    let constantCount: Int
    /// A bound for `b` operands worth trying (slots, windows, argument counts).
    let operandHint: Int

    init(_ pack: RuntimePack) {
        let p = pack.program
        // tenant, tier, time zone, budget, memo slots, code count
        codeStart = 4 + pack.tenant.utf8.count + 4 + pack.tier.utf8.count + 4 + p.timezone.utf8.count + 4 + 4 + 4
        codeCount = p.code.count
        constantsStart = codeStart + 8 * codeCount + 4
        constantCount = p.constants.count
        operandHint = max(p.labelSlots.count, p.annotationSlots.count, p.numberSlots.count, p.windows.count) + 2
    }

    func instruction(_ i: Int) -> Int { codeStart + 8 * i }
    func constant(_ i: Int) -> Int { constantsStart + 14 * i }
}

private func overwrite(_ p: inout [UInt8], at: Int, with bytes: [UInt8]) {
    for (i, b) in bytes.enumerated() where at + i >= 0 && at + i < p.count { p[at + i] = b }
}

/// One to three mutations of a payload: byte flips anywhere, interesting byte values, opcodes
/// and operands of instructions, bytes of constants, cuts and insertions.
private func mutate(_ p: inout [UInt8], _ layout: PayloadLayout, _ rng: inout ArtifactRNG) {
    for _ in 0..<Int.random(in: 1...3, using: &rng) {
        if p.isEmpty {
            p = [UInt8.random(in: 0...255, using: &rng)]
            continue
        }
        let anywhere = Int.random(in: 0..<p.count, using: &rng)
        let instruction = layout.instruction(Int.random(in: 0..<max(1, layout.codeCount), using: &rng))
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1, 2:
            p[anywhere] ^= UInt8.random(in: 1...255, using: &rng)
        case 3:
            let interesting: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF]
            p[anywhere] = interesting[Int.random(in: 0..<interesting.count, using: &rng)]
        case 4, 5:
            // Any opcode, and a couple past the last one.
            overwrite(&p, at: instruction, with: [UInt8.random(in: 0...UInt8(Opcode.allCases.count + 1), using: &rng)])
        case 6:
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: overwrite(&p, at: instruction + 1, with: [UInt8.random(in: 0...9, using: &rng)])
            case 1: overwrite(&p, at: instruction + 2, with: littleEndian(UInt16.random(in: 0...UInt16(clamping: layout.operandHint), using: &rng)))
            default: overwrite(&p, at: instruction + 4, with: littleEndian(UInt32.random(in: 0...UInt32(clamping: layout.codeCount + 2), using: &rng)))
            }
        case 7:
            let at = layout.constant(Int.random(in: 0..<max(1, layout.constantCount), using: &rng)) + Int.random(in: 0..<14, using: &rng)
            if at < p.count { p[at] ^= UInt8.random(in: 1...255, using: &rng) }
        case 8:
            if Bool.random(using: &rng) {
                p.removeLast(Int.random(in: 1...min(16, p.count), using: &rng))
            } else {
                let n = Int.random(in: 1...min(8, p.count - anywhere), using: &rng)
                p.removeSubrange(anywhere..<(anywhere + n))
            }
        default:
            let junk = (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            p.insert(contentsOf: junk, at: anywhere)
        }
    }
}

/// Everything a loaded artifact is used for, none of which may crash: binding alerts and running
/// every entry on a VM (errors are fine), the pack evaluator, and (when the span table changed,
/// the only part the disassembler reads unverified) the disassembler.
private func exercise(_ pack: RuntimePack, like original: RuntimePack) {
    let program = pack.program
    var full = alert(["alertname": "A"], severity: 3, value: 2.5)
    for s in program.labelSlots { full.labels[s] = "prod" }
    for s in program.numberSlots { full.labels[s] = "2.5" }
    for s in program.annotationSlots { full.annotations[s] = "on battery" }
    full.source = "zendesk"
    let vm = VM(program: pack.verified)
    for a in [alert(["alertname": "A"]), full] {
        vm.bind(a, now: jan1)
        for entry in program.entries {
            if case .success(let v) = vm.run(entry) { _ = vm.plain(v) }
        }
    }
    _ = PackEvaluator(pack: pack).evaluate(full, now: jan1, trace: true)
    let o = original.program
    let sameSpans = program.files == o.files
        && program.spans.map { $0.pc } == o.spans.map { $0.pc }
        && program.spans.map { $0.span } == o.spans.map { $0.span }
    if !sameSpans { _ = Disassembler.text(program) }
}

// MARK: - Tests

@Suite struct ArtifactTests {
    // MARK: round trip

    @Test(arguments: BundledPacks.names)
    func roundTripIsExact(_ name: String) throws {
        let pack = BundledPacks.pack(name)
        #expect(Verifier.verify(pack.program) == nil)
        let bytes = Artifact.encode(pack)
        let decoded = try Artifact.decode(bytes).get()
        #expect(Artifact.encode(decoded) == bytes, "re-encoding a decoded artifact changed its bytes")

        let a = pack.program, b = decoded.program
        #expect(decoded.tenant == pack.tenant)
        #expect(b.code == a.code)
        #expect(b.constants == a.constants)
        #expect(b.constantBytes == a.constantBytes)
        #expect(b.listElements == a.listElements)
        #expect(b.stringSets == a.stringSets)
        #expect(b.regexes.map { $0.pattern } == a.regexes.map { $0.pattern })
        #expect(b.regexes.map { $0.anchored } == a.regexes.map { $0.anchored })
        #expect(b.labelSlots == a.labelSlots)
        #expect(b.annotationSlots == a.annotationSlots)
        #expect(b.numberSlots == a.numberSlots)
        #expect(b.windows == a.windows)
        #expect(b.timezone == a.timezone)
        #expect(b.entries == a.entries)
        #expect(b.files == a.files)
        #expect(b.spans.map { $0.pc } == a.spans.map { $0.pc })
        #expect(b.spans.map { $0.span } == a.spans.map { $0.span })
        #expect(b.budget == a.budget)
        func rules(_ p: RuntimePack) -> [String] {
            (p.enrich + p.suppress + p.correlate + p.anomalies).map { "\($0.kind.rawValue) \($0.name) \($0.entry)" }
        }
        func routes(_ rs: [RuntimeRoute], _ depth: Int = 0) -> [String] {
            rs.flatMap { ["\(depth) \($0.name) \($0.entry) \($0.continueMatching)"] + routes($0.children, depth + 1) }
        }
        #expect(rules(decoded) == rules(pack))
        #expect(routes(decoded.routes) == routes(pack.routes))

        // Both evaluate every sample alert alike, and the samples take different routes.
        let original = PackEvaluator(pack: pack), loaded = PackEvaluator(pack: decoded)
        var seen = Set<[[String]]>()
        for now in [jan1, jan1 + 14 * 3_600_000, jan1 + 4 * 86_400_000 + 3 * 3_600_000] {
            for x in BundledPacks.alerts {
                let d1 = DecisionSummary(original.evaluate(x, now: now))
                let d2 = DecisionSummary(loaded.evaluate(x, now: now))
                #expect(d1 == d2, "\(x.alertname) at \(now)")
                seen.insert(d1.routes)
            }
        }
        #expect(seen.count >= 3, "sample alerts reach only \(seen.sorted { "\($0)" < "\($1)" })")
    }

    // MARK: corruption

    /// Flips, truncations and appended garbage on the whole file: the header and the checksum
    /// catch them (only the two flag bytes are not covered), and nothing crashes.
    @Test(arguments: BundledPacks.names)
    func corruptedArtifactsNeverCrash(_ name: String) {
        let original = BundledPacks.pack(name)
        let bytes = Artifact.encode(original)
        var rng = ArtifactRNG(seed: seed(name, 1))

        for round in 0..<3_000 {
            var b = bytes
            let single = round % 2 == 0
            var first = -1
            for _ in 0..<(single ? 1 : Int.random(in: 2...8, using: &rng)) {
                let i = Int.random(in: 0..<b.count, using: &rng)
                b[i] ^= UInt8.random(in: 1...255, using: &rng)
                if first < 0 { first = i }
            }
            switch Artifact.decode(b) {
            case .success(let pack):
                // CRC-32 catches every single-byte error; only the flags are unchecked.
                if single { #expect((6...7).contains(first), "a flipped byte at \(first) went unnoticed") }
                exercise(pack, like: original)
            case .failure(let e):
                #expect(!e.message.isEmpty)
            }
        }

        for _ in 0..<3_000 {
            let n = Int.random(in: 0..<bytes.count, using: &rng)
            if case .success = Artifact.decode(Array(bytes.prefix(n))) {
                Issue.record("an artifact cut to \(n) of \(bytes.count) bytes loaded")
            }
        }

        for _ in 0..<3_000 {
            let junk = (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if case .success = Artifact.decode(bytes + junk) {
                Issue.record("an artifact with \(junk.count) bytes appended loaded")
            }
        }
    }

    /// Mutated payloads resealed with a valid header and checksum, so they reach the reader and
    /// the verifier: every load either fails cleanly or gives a pack that runs safely.
    @Test(arguments: BundledPacks.names)
    func resealedPayloadMutationsAreVerifiedOrRejected(_ name: String) {
        let original = BundledPacks.pack(name)
        let bytes = Artifact.encode(original)
        let payload = Array(bytes[20...])
        let layout = PayloadLayout(original)

        // The test's own encoding of the header and its layout of the payload are right.
        #expect(TableCRC32.of(payload) == Artifact.crc32(payload))
        #expect(seal(payload) == bytes)
        #expect(Array(payload[(layout.codeStart - 4)..<layout.codeStart]) == littleEndian(UInt32(layout.codeCount)))
        #expect(Array(payload[(layout.constantsStart - 4)..<layout.constantsStart]) == littleEndian(UInt32(layout.constantCount)))
        if let first = original.program.code.first { #expect(payload[layout.codeStart] == first.op.rawValue) }
        if let first = original.program.constants.first { #expect(payload[layout.constantsStart] == first.tag.rawValue) }

        var rng = ArtifactRNG(seed: seed(name, 2))
        var loaded = 0, rejected = 0, rejectedByVerifier = 0
        for _ in 0..<3_000 {
            var p = payload
            mutate(&p, layout, &rng)
            switch Artifact.decode(seal(p)) {
            case .success(let pack):
                loaded += 1
                exercise(pack, like: original)
            case .failure(let e):
                rejected += 1
                if e.message.contains("verifier") { rejectedByVerifier += 1 }
                #expect(!e.message.contains("checksum"), "a resealed payload failed its checksum: \(e.message)")
            }
        }
        #expect(loaded > 0, "no mutated payload loaded: the run-time half of the test did nothing")
        #expect(rejected > 0)
        #expect(rejectedByVerifier > 0, "the verifier rejected no mutated program")
    }

    // MARK: bad headers

    @Test func badHeadersNameTheProblem() {
        let good = Artifact.encode(BundledPacks.pack("initech"))
        func message(_ b: [UInt8]) -> String {
            switch Artifact.decode(b) {
            case .success: "loaded"
            case .failure(let e): e.message
            }
        }
        #expect(message(good) == "loaded")

        var magic = good
        magic[0] = UInt8(ascii: "X")
        #expect(message(magic).contains("magic"))
        #expect(message([]).contains("magic"))
        #expect(message(Array(good.prefix(19))).contains("magic"))
        #expect(message(Array("RPK2".utf8) + Array(good[4...])).contains("magic"))

        var version = good
        version[4] = UInt8(Artifact.version + 1)
        version[5] = 0
        #expect(message(version).contains("version"))
        var bigVersion = good
        bigVersion[5] = 1
        #expect(message(bigVersion).contains("version"))

        #expect(message(good + [0]).contains("truncated"))
        #expect(message(Array(good.dropLast())).contains("truncated"))
        #expect(message(Array(good.prefix(20))).contains("truncated"))
        var length = good
        length[8] ^= 0x01
        #expect(message(length).contains("truncated"))
        var hugeLength = good
        hugeLength[15] = 0xFF
        #expect(message(hugeLength).contains("truncated"))

        var payloadByte = good
        payloadByte[good.count - 1] ^= 0x01
        #expect(message(payloadByte).contains("checksum"))
        var sum = good
        sum[16] ^= 0xFF
        #expect(message(sum).contains("checksum"))

        // The flags are reserved and not checked.
        var flags = good
        flags[6] = 0xFF
        #expect(message(flags) == "loaded")

        // Past the header: a well-sealed payload that ends early or runs on.
        let payload = Array(good[20...])
        let short = message(seal(Array(payload.dropLast(3))))
        #expect(short.contains("truncated") || short.contains("exceeds"), "\(short)")
        #expect(message(seal(payload + [0])).contains("trailing"))
    }

    /// Not an artifact at all: a checked pack east of UTC, and an alert label that moves a time to
    /// within the zone offset of `Int64.max`. `hour`/`weekday` add the offset to it.
    @Test func hourAndWeekdayNearTheLastRepresentableTime() {
        let (pack, _) = compilePack("""
        rulelang: 1
        timezone: Asia/Tokyo
        channels:
          c: {type: webhook, url: "http://127.0.0.1:9/"}
        routes:
          - name: late-hour
            when: 'hour(now() + duration(labels.ahead ?? "0s")) >= 0'
            notify: [c]
          - name: late-weekday
            when: 'weekday(now() + duration(labels.ahead ?? "0s")) >= 1'
            notify: [c]
          - {name: default, when: true, notify: [c]}
        """)
        let ahead = "\(Int64.max - jan1 - 1_000)ms"
        let d = PackEvaluator(pack: pack).evaluate(alert(["alertname": "A", "ahead": ahead]), now: jan1)
        #expect(!d.routes.isEmpty)
    }
}

import RuleRuntime
import Dispatch
import Foundation
import Testing
@testable import RuleCompiler
import RuleLang
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

// MARK: - Hand-written programs

private func ins(_ op: Opcode, a: UInt8 = 0, b: UInt16 = 0, c: UInt32 = 0) -> Instruction {
    Instruction(op, a: a, b: b, c: c)
}

/// A string constant in the constant pool.
private func str(_ offset: Int, _ count: Int) -> Value { .string(.constant, offset: offset, count: count) }

/// A program with one entry over all of `code` (unless `entries` says otherwise).
private func makeProgram(_ code: [Instruction], constants: [Value] = [], constantBytes: [UInt8] = [],
                         listElements: [Value] = [], stringSets: [StringSet] = [], labelSlots: [String] = [],
                         windows: [WindowSpec] = [], entries: [Entry]? = nil,
                         spans: [(pc: Int, span: SpanRef)] = [], files: [String] = [],
                         budget: Int = 1_000, timezone: String = "UTC") -> Program {
    Program(code: code, constants: constants, constantBytes: constantBytes, listElements: listElements,
            stringSets: stringSets, regexes: [], labelSlots: labelSlots, annotationSlots: [], numberSlots: [],
            windows: windows, timezone: timezone, entries: entries ?? [Entry(name: "e", pc: 0, cost: code.count)],
            files: files, spans: spans, budget: budget)
}

/// `any(["a", "b"], it == "b")` as the compiler lays a loop out; `patch` breaks it.
private func loopProgram(budget: Int = 1_000, _ patch: (inout [Instruction]) -> Void = { _ in }) -> Program {
    var code = [
        ins(.const_, c: 0),                 // 0: ["a", "b"]
        ins(.iterate, a: 0, c: 11),         // 1: a missing list → missing, at 11
        ins(.next, a: 0, b: 6, c: 8),       // 2: loop head; done → 8
        ins(.it, a: 0),                     // 3
        ins(.const_, c: 1),                 // 4: "b"
        ins(.eq),                           // 5
        ins(.jumpIf, c: 10),                // 6: found
        ins(.jump, c: 2),                   // 7: back to the head
        ins(.const_, c: 2),                 // 8: false
        ins(.jump, c: 11),                  // 9
        ins(.const_, c: 3),                 // 10: true
        ins(.ret),                          // 11
    ]
    patch(&code)
    return makeProgram(code, constants: [.list(.constant, offset: 0, count: 2), str(1, 1), Value.false, Value.true],
                       constantBytes: Array("ab".utf8), listElements: [str(0, 1), str(1, 1)], budget: budget)
}

/// `env == "prod" && severity in [error, critical]` with the fused instructions.
private func fusedProgram() -> Program {
    makeProgram([
        ins(.jumpLabelEq, b: 0, c: 3),      // 0: env == "prod" → 3
        ins(.const_, b: 4, c: 0),           // 1: (second word) "prod": 4 bytes at offset 0
        ins(.retFalse),                     // 2
        ins(.jumpSeverity, a: 0b1100, c: 5), // 3: error or critical → 5
        ins(.retFalse),                     // 4
        ins(.retTrue),                      // 5
    ], constants: [str(0, 4)], constantBytes: Array("prod".utf8), labelSlots: ["env"])
}

private final class Finished: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?

    func set(_ s: String) {
        lock.lock()
        stored = s
        lock.unlock()
    }

    var value: String? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// Runs entry 0 of `program` on a fresh VM on a thread of its own: a description of the result,
/// or nil when it has not finished within `seconds` (the thread then spins until the process ends).
private func runWithTimeout(_ verified: VerifiedProgram, seconds: Double) -> String? {
    let program = verified.program
    let finished = Finished()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        let vm = VM(program: verified)
        vm.bind(alert(["alertname": "A"]), now: jan1)
        switch vm.run(program.entries[0]) {
        case .success(let v): finished.set("value \(vm.plain(v))")
        case .failure(let e): finished.set("error \(e)")
        }
        done.signal()
    }
    thread.start()
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return finished.value
}

/// A program the verifier must reject, and a fragment its message must contain.
private struct Hostile {
    let name: String
    let program: Program
    let fragment: String
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

    // MARK: hand-written programs

    @Test func handWrittenProgramsVerifyAndRun() throws {
        let loop = loopProgram()
        #expect(Verifier.verify(loop) == nil)
        let vm = VM(program: try VerifiedProgram(loop))
        vm.bind(alert(["alertname": "A"]), now: jan1)
        let v = try vm.run(loop.entries[0]).get()
        #expect(vm.plain(v) == .bool(true))

        // The per-iteration charge is what bounds the loop: 12 straight-line instructions
        // leave nothing of a budget of 12 for the first iteration.
        let tight = loopProgram(budget: 12)
        #expect(Verifier.verify(tight) == nil)
        let tightVM = VM(program: try VerifiedProgram(tight))
        tightVM.bind(alert(["alertname": "A"]), now: jan1)
        switch tightVM.run(tight.entries[0]) {
        case .success(let v): Issue.record("ran within a budget it exceeds: \(tightVM.plain(v))")
        case .failure(let e): #expect(e.kind == .instructionBudget)
        }

        let fused = fusedProgram()
        #expect(Verifier.verify(fused) == nil)
        let fusedVM = VM(program: try VerifiedProgram(fused))
        func matches(_ labels: [String: String], _ severity: UInt8) -> Bool {
            fusedVM.bind(alert(labels, severity: severity), now: jan1)
            return fusedVM.matches(fused.entries[0])
        }
        #expect(matches(["alertname": "A", "env": "prod"], 3))
        #expect(matches(["alertname": "A", "env": "prod"], 2))
        #expect(!matches(["alertname": "A", "env": "prod"], 1))
        #expect(!matches(["alertname": "A", "env": "production"], 3))
        #expect(!matches(["alertname": "A"], 3))
        let text = Disassembler.text(fused)
        #expect(text.contains("jlabeleq"))
        #expect(text.contains("jseverity"))
    }

    @Test func verifierRejectsHostilePrograms() {
        let prod = (constants: [str(0, 4)], bytes: Array("prod".utf8))
        let depthLimit = UInt8(VM.loopDepthLimit)
        let cases: [Hostile] = [
            Hostile(name: "jump past the end",
                    program: makeProgram([ins(.jump, c: 99), ins(.retTrue)]),
                    fragment: "jump target 99 is not an instruction"),
            Hostile(name: "jump into the second word of a fused instruction",
                    program: makeProgram([ins(.jump, c: 2), ins(.jumpLabelEq, b: 0, c: 3), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: prod.constants, constantBytes: prod.bytes, labelSlots: ["env"]),
                    fragment: "jump target 2 is not an instruction"),
            Hostile(name: "fused jump into its own second word",
                    program: makeProgram([ins(.jumpLabelEq, b: 0, c: 1), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: prod.constants, constantBytes: prod.bytes, labelSlots: ["env"]),
                    fragment: "jump target 1 is not an instruction"),
            Hostile(name: "backward jump not to a loop head",
                    program: makeProgram([ins(.jump, c: 2), ins(.retTrue), ins(.jump, c: 1)]),
                    fragment: "not a loop head"),
            Hostile(name: "backward conditional jump not to a loop head",
                    program: makeProgram([ins(.const_, c: 0), ins(.jumpIf, c: 0), ins(.retTrue)], constants: [Value.true]),
                    fragment: "not a loop head"),
            Hostile(name: "a `next` charging nothing",
                    program: loopProgram { $0[2].b = 0 },
                    fragment: "must charge the budget"),
            Hostile(name: "pop on an empty stack",
                    program: makeProgram([ins(.pop), ins(.retTrue)]),
                    fragment: "`pop` needs 1 values, the stack holds 0"),
            Hostile(name: "add with one value",
                    program: makeProgram([ins(.const_, c: 0), ins(.add), ins(.ret)], constants: [.int(1)]),
                    fragment: "`add` needs 2 values, the stack holds 1"),
            Hostile(name: "ret on an empty stack",
                    program: makeProgram([ins(.ret)]),
                    fragment: "`ret` needs 1"),
            Hostile(name: "constant index out of range",
                    program: makeProgram([ins(.const_, c: 5), ins(.ret)], constants: [.int(1)]),
                    fragment: "constant 5 out of range"),
            Hostile(name: "label slot out of range",
                    program: makeProgram([ins(.label, b: 3), ins(.ret)], labelSlots: ["env"]),
                    fragment: "label slot 3 out of range"),
            Hostile(name: "fused label slot out of range",
                    program: makeProgram([ins(.jumpLabelEq, b: 7, c: 2), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: prod.constants, constantBytes: prod.bytes, labelSlots: ["env"]),
                    fragment: "label slot 7 out of range"),
            Hostile(name: "fused comparison with a string past the constant bytes",
                    program: makeProgram([ins(.jumpLabelEq, b: 0, c: 2), ins(.const_, b: 4, c: 1), ins(.retTrue)],
                                         constantBytes: Array("prod".utf8), labelSlots: ["env"]),
                    fragment: "string outside the constant bytes"),
            Hostile(name: "entry costing more than the budget",
                    program: makeProgram([ins(.retTrue)], entries: [Entry(name: "greedy", pc: 0, cost: 50)], budget: 10),
                    fragment: "costs 50, over the budget of 10"),
            Hostile(name: "falling off the end of the code",
                    program: makeProgram([ins(.const_, c: 0), ins(.pop)], constants: [Value.true]),
                    fragment: "falls off the end"),
            Hostile(name: "inconsistent stack depths at a join",
                    program: makeProgram([ins(.const_, c: 0), ins(.jumpIf, c: 3), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: [Value.true]),
                    fragment: "on another path"),
            Hostile(name: "string constant past the constant bytes",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [str(2, 5)], constantBytes: Array("abc".utf8)),
                    fragment: "string outside the constant bytes"),
            Hostile(name: "string constant in the input pool",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [.string(.input, offset: 0, count: 1)],
                                         constantBytes: Array("abc".utf8)),
                    fragment: "string outside the constant bytes"),
            Hostile(name: "list constant past the list elements",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [.list(.constant, offset: 1, count: 2)],
                                         listElements: [.int(1), .int(2)]),
                    fragment: "list outside the list elements"),
            Hostile(name: "nested list element",
                    program: makeProgram([ins(.retTrue)], listElements: [.list(.constant, offset: 0, count: 0)]),
                    fragment: "nested list"),
            Hostile(name: "list element string past the constant bytes",
                    program: makeProgram([ins(.retTrue)], constantBytes: Array("ab".utf8), listElements: [str(1, 9)]),
                    fragment: "list element 0: string outside the constant bytes"),
            Hostile(name: "bool out of range",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [Value(tag: .bool, bits: 2)]),
                    fragment: "bool out of range"),
            Hostile(name: "severity out of range",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [.severity(9)]),
                    fragment: "severity out of range"),
            Hostile(name: "call of a builtin that does not exist",
                    program: makeProgram([ins(.const_, c: 0), ins(.call, a: 200, b: 1), ins(.ret)], constants: [.int(1)]),
                    fragment: "unknown builtin 200"),
            Hostile(name: "call with the wrong argument count",
                    program: makeProgram([ins(.const_, c: 0), ins(.const_, c: 0), ins(.call, a: BuiltinID.len.rawValue, b: 2), ins(.ret)],
                                         constants: [str(0, 1)], constantBytes: Array("a".utf8)),
                    fragment: "not 2 arguments"),
            Hostile(name: "iterate at the loop depth limit",
                    program: loopProgram { $0[1].a = depthLimit; $0[2].a = depthLimit; $0[3].a = depthLimit },
                    fragment: "loop depth \(depthLimit) out of range"),
            Hostile(name: "next past the loop depth limit",
                    program: loopProgram { $0[2].a = 200 },
                    fragment: "loop depth 200 out of range"),
            Hostile(name: "it at the loop depth limit",
                    program: makeProgram([ins(.it, a: depthLimit), ins(.ret)]),
                    fragment: "loop depth \(depthLimit) out of range"),
            Hostile(name: "string set out of range",
                    program: makeProgram([ins(.label, b: 0), ins(.inSet, c: 3), ins(.ret)], labelSlots: ["env"]),
                    fragment: "string set 3 out of range"),
            Hostile(name: "window out of range",
                    program: makeProgram([ins(.inWindow, b: 0), ins(.ret)]),
                    fragment: "window 0 out of range"),
            Hostile(name: "field out of range",
                    program: makeProgram([ins(.field, a: 200), ins(.ret)]),
                    fragment: "field 200 out of range"),
            Hostile(name: "map out of range",
                    program: makeProgram([ins(.const_, c: 0), ins(.mapGet, a: 2), ins(.ret)], constants: [str(0, 1)],
                                         constantBytes: Array("a".utf8)),
                    fragment: "map 2 out of range"),
            Hostile(name: "regex out of range",
                    program: makeProgram([ins(.const_, c: 0), ins(.match, c: 0), ins(.ret)], constants: [str(0, 1)],
                                         constantBytes: Array("a".utf8)),
                    fragment: "regex 0 out of range"),
            Hostile(name: "fused instruction cut off at the end",
                    program: makeProgram([ins(.retTrue), ins(.jumpLabelEq, b: 0, c: 0)], constants: prod.constants,
                                         constantBytes: prod.bytes, labelSlots: ["env"], entries: [Entry(name: "e", pc: 0, cost: 1)]),
                    fragment: "truncated instruction"),
            Hostile(name: "entry outside the code",
                    program: makeProgram([ins(.retTrue)], entries: [Entry(name: "far", pc: 5, cost: 1)]),
                    fragment: "outside the code"),
            Hostile(name: "entry at the second word of a fused instruction",
                    program: makeProgram([ins(.jumpLabelEq, b: 0, c: 2), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: prod.constants, constantBytes: prod.bytes, labelSlots: ["env"],
                                         entries: [Entry(name: "inside", pc: 1, cost: 1)]),
                    fragment: "outside the code"),
            Hostile(name: "fused comparison with one value",
                    program: makeProgram([ins(.const_, c: 0), ins(.jumpCompare, a: 6, c: 3), ins(.retTrue), ins(.retFalse)],
                                         constants: [.int(1)]),
                    fragment: "`jcompare` needs 2 values, the stack holds 1"),
            Hostile(name: "fused comparison whose target pops an empty stack",
                    program: makeProgram([ins(.const_, c: 0), ins(.const_, c: 0), ins(.jumpCompare, a: 6, c: 4), ins(.retTrue),
                                          ins(.pop), ins(.retTrue)], constants: [.int(1)]),
                    fragment: "`pop` needs 1 values, the stack holds 0"),
            Hostile(name: "fused comparison with an unknown test",
                    program: makeProgram([ins(.const_, c: 0), ins(.const_, c: 0), ins(.jumpCompare, a: 8, c: 4), ins(.retTrue),
                                          ins(.retFalse)], constants: [.int(1)]),
                    fragment: "unknown comparison 8"),
            Hostile(name: "stack deeper than the limit",
                    program: makeProgram(Array(repeating: ins(.const_, c: 0), count: VM.stackLimit + 1) + [ins(.ret)],
                                         constants: [.int(1)]),
                    fragment: "stack deeper than \(VM.stackLimit)"),
        ]
        for h in cases {
            let error = Verifier.verify(h.program)
            #expect(error != nil, "\(h.name): accepted")
            if let error { #expect(error.message.contains(h.fragment), "\(h.name): \(error)") }
        }
    }

    /// Offsets near the top of the 64-bit range must be rejected, not overflow in the check.
    @Test func verifierRejectsHugeOffsets() {
        let bytes = Array("abc".utf8)
        let cases: [(String, Program)] = [
            ("string at offset 2^64-1",
             makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [Value(tag: .string, bits: .max, count: 1)], constantBytes: bytes)),
            ("string at offset Int.max",
             makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [Value(tag: .string, bits: UInt64(Int.max), count: 2)],
                         constantBytes: bytes)),
            ("list at offset 2^63",
             makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [Value(tag: .list, bits: 1 << 63, count: 0)])),
            ("list element string at offset 2^64-2",
             makeProgram([ins(.retTrue)], constantBytes: bytes, listElements: [Value(tag: .string, bits: .max - 1, count: 3)])),
        ]
        for (name, program) in cases {
            let error = Verifier.verify(program)
            #expect(error != nil, "\(name): accepted")
            if let error { #expect(error.message.contains("outside"), "\(name): \(error)") }
        }
    }

    /// Programs the verifier may accept (it checks structure, not types) must still run safely:
    /// builtins handed values of the wrong kind are an error or missing, never a wild read.
    @Test func wronglyTypedBuiltinArgumentsRunSafely() {
        let cases: [(String, [Value], BuiltinID, String)] = [
            ("lower of a negative int", [.int(-1)], .lower, "UTC"),
            ("upper of a negative float", [.float(-1.5)], .upper, "UTC"),
            ("len of an int claiming a megabyte of input", [Value(tag: .int, bits: 0, count: 1 << 20, pool: .input)], .len, "UTC"),
            ("trim of a negative duration", [.duration(-5)], .trim, "UTC"),
            ("duration of the smallest int", [.int(.min)], .duration, "UTC"),
            ("time of a negative float", [.float(-2.5)], .time, "UTC"),
            ("split of ints", [.int(-1), .int(-2)], .split, "UTC"),
            ("join of a string as a list", [str(0, 3), str(0, 1)], .join, "UTC"),
            ("join of a list with an int separator", [.list(.constant, offset: 0, count: 2), .int(-3)], .join, "UTC"),
            ("replace of bools and an int", [Value.true, .int(-1), Value.false], .replace, "UTC"),
            ("substr of an int", [.int(-7), .int(0)], .substr, "UTC"),
            ("hour of the last representable time east of UTC", [.time(.max)], .hour, "Asia/Tokyo"),
            ("weekday of the first representable time west of UTC", [.time(.min)], .weekday, "America/New_York"),
        ]
        for (name, args, f, zone) in cases {
            var code = args.indices.map { ins(.const_, c: UInt32($0)) }
            code += [ins(.call, a: f.rawValue, b: UInt16(args.count)), ins(.ret)]
            let p = makeProgram(code, constants: args, constantBytes: Array("abc".utf8), listElements: [str(0, 1), str(1, 2)],
                                timezone: zone)
            guard let verified = try? VerifiedProgram(p) else { continue }   // rejected: also safe
            let vm = VM(program: verified)
            vm.bind(alert(["alertname": "A"]), now: jan1)
            switch vm.run(p.entries[0]) {
            case .success(let v): _ = vm.plain(v)
            case .failure(let e): #expect(!e.description.isEmpty, "\(name)")
            }
        }
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

    /// An exhausted `next` jumps without charging; a backward jump to it from after the loop
    /// (allowed: it lands on a `next`) must not make an endless loop the budget never stops.
    @Test func everyVerifiedLoopTerminates() {
        let p = makeProgram([
            ins(.const_, c: 0),                 // 0: []
            ins(.iterate, a: 0, c: 5),          // 1
            ins(.next, a: 0, b: 1, c: 4),       // 2: done → 4
            ins(.retTrue),                      // 3
            ins(.jump, c: 2),                   // 4: back to the (exhausted) head
            ins(.ret),                          // 5
        ], constants: [.list(.constant, offset: 0, count: 0)], budget: 100)
        guard let verified = try? VerifiedProgram(p) else { return }   // rejected: also safe
        #expect(runWithTimeout(verified, seconds: 10) != nil,
                "a verified program ran for 10 s: `next` charges nothing once its list is exhausted")
    }

    /// `it` and `next` reached without their `iterate` read loop state no instruction wrote.
    @Test func loopInstructionsOutsideALoopRunSafely() {
        let programs = [
            makeProgram([ins(.it, a: 3), ins(.ret)]),
            makeProgram([ins(.next, a: 2, b: 1, c: 2), ins(.retTrue), ins(.retFalse)]),
            makeProgram([ins(.next, a: 0, b: 1, c: 3), ins(.it, a: 0), ins(.ret), ins(.retFalse)]),
        ]
        for p in programs {
            guard let verified = try? VerifiedProgram(p) else { continue }   // rejected: also safe
            let vm = VM(program: verified)
            vm.bind(alert(["alertname": "A"]), now: jan1)
            if case .success(let v) = vm.run(p.entries[0]) { _ = vm.plain(v) }
        }
    }

    /// The span table comes from the artifact too; the disassembler (`rulec disasm x.rpk`) and
    /// error rendering (`rulec eval`) index `files` with it.
    @Test func spansOutsideTheFileTableAreRejectedOrHarmless() {
        let p = makeProgram([ins(.retTrue)], spans: [(pc: 0, span: SpanRef(file: 9, start: 0, end: 4))], files: ["t.yaml"])
        guard Verifier.verify(p) == nil else { return }
        #expect(Disassembler.text(p).contains("rettrue"))
    }
}

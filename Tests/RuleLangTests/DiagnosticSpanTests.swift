import HostileInputs
import Testing
@testable import RuleLang

/// A property of every diagnostic the front end makes: its span, and each note's, lies inside
/// its file (`0 ≤ start ≤ end ≤ bytes`), so every renderer can cut its excerpt. Checked over
/// generated hostile packs and thousands of mutations of them and of a hand-written pack.
@Suite struct DiagnosticSpanTests {
    /// The first spans outside their file, described for the failure message.
    static func outside(_ diagnostics: [Diagnostic]) -> [String] {
        var bad: [String] = []
        for d in diagnostics {
            let spans = (d.span.map { [$0] } ?? []) + d.notes.map(\.span)
            for s in spans where !(0 <= s.start && s.start <= s.end && s.end <= s.file.bytes.count) {
                bad.append("\(d.code.id) \(d.message.prefix(60)): \(s.start)..<\(s.end) in \(s.file.bytes.count) bytes")
            }
        }
        return bad
    }

    /// Small packs to mutate: one of each hostile family that is small, the reported shapes that
    /// are small, and a pack using most sections.
    static func seeds() -> [String] {
        var choices: any Choices = SeededChoices(seed: 0x5EED_5A45)
        var packs: [String] = []
        for _ in 0..<6 {
            for (_, generate) in HostilePacks.families {
                let p = generate(&choices)
                if p.yaml.utf8.count <= 4_096 { packs.append(p.yaml) }
            }
        }
        packs += HostilePacks.reported.map(\.yaml).filter { $0.utf8.count <= 4_096 }
        packs.append(routePack("env == \"prod\" && value > 0.5 && any([\"a\"], it == env)",
                               extra: "macros:\n  m: severity >= error\nlists:\n  l: [a, b]\n"))
        packs.append(Self.flowTemplate)
        return packs
    }

    /// A flow-mapping `set:` whose template has a type error: a reported in-process crash.
    static let flowTemplate = """
        rulelang: 1
        channels:
          c: {type: webhook, url: "http://127.0.0.1:9/hook"}
        routes:
          - {name: default, when: true, notify: [c]}
        enrich:
          - {name: e, when: 'true', set: {x: '{{ len(time("…") ?? "x") + 0 }}'}}

        """

    /// One mutation: truncation, byte flips, an inserted YAML fragment, or a deleted run.
    static func mutate(_ base: [UInt8], _ rng: inout SplitMix, kind: Int) -> [UInt8] {
        var bytes = base
        switch kind {
        case 0: bytes = Array(bytes.prefix(rng.int(bytes.count + 1)))
        case 1: for _ in 0..<(1 + rng.int(4)) { bytes[rng.int(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
        case 2: bytes.insert(contentsOf: Array(rng.pick(RobustnessTests.yamlFragments).utf8), at: rng.int(bytes.count))
        default:
            let at = rng.int(bytes.count)
            bytes.removeSubrange(at..<min(bytes.count, at + rng.int(20) + 1))
        }
        return bytes
    }

    @Test func generatedPacksKeepSpansInside() {
        for yaml in Self.seeds() {
            let d = Frontend.check(tenant: "hostile", files: [SourceFile(path: "hostile/00-pack.yaml", text: yaml)]).1
            #expect(Self.outside(d).isEmpty, "\(Self.outside(d).prefix(3)) in \(yaml.prefix(200))")
        }
    }

    @Test func mutatedPacksKeepSpansInside() {
        let seeds = Self.seeds().map { Array($0.utf8) }
        var rng = SplitMix(state: 0x5EED_5A46)
        var failures: [String] = []
        var checked = 0, rejected = 0
        for i in 0..<4_000 {
            let bytes = Self.mutate(seeds[i % seeds.count], &rng, kind: (i / seeds.count) % 4)
            let d = Frontend.check(tenant: "t", files: [SourceFile(path: "m.yaml", bytes: bytes)]).1
            checked += 1
            if d.contains(where: { $0.severity == .error }) { rejected += 1 }
            // Every format cuts an excerpt or converts positions from the span.
            _ = DiagnosticRenderer().text(d)
            _ = CheckReport(tenants: [TenantResult(tenant: "t", files: 1, rules: 0, diagnostics: d)]).json().rendered()
            let bad = Self.outside(d)
            if !bad.isEmpty, failures.count < 5 { failures.append("\(bad[0]) in \(String(decoding: bytes, as: UTF8.self).prefix(300).debugDescription)") }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(rejected > 0 && rejected < checked, "rejected \(rejected) of \(checked)")
    }

    @Test func flowMappingTemplateWithATypeError() {
        let d = check(Self.flowTemplate)
        #expect(codes(d) == ["E0301"])
        #expect(d.map(position) == ["7:59"])
        #expect(d.map(spanText) == ["\"x\""])
        #expect(Self.outside(d).isEmpty)
    }
}

import Testing
@testable import RuleLang

/// A tenant's YAML is untrusted: the loader and the position model must be total (no trap
/// whatever the bytes), linear in the file, bounded in depth, and exact in their positions.
@Suite struct HostileYamlTests {
    /// The first error as `code line:column`, and how many there are.
    private func first(_ yaml: String) -> String {
        let d = check(yaml).filter { $0.severity == .error }
        guard let f = d.first else { return "none" }
        return "\(f.code.id) \(position(f)) ×\(d.count)"
    }

    /// Every scalar of a loaded file, in document order (the tree is at most `maxDepth` deep).
    private func scalars(_ node: YamlNode?) -> [YamlScalar] {
        switch node {
        case .scalar(let s)?: [s]
        case .sequence(let items, _)?: items.flatMap { scalars($0) }
        case .mapping(let m)?: m.entries.flatMap { [$0.key] + scalars($0.value) }
        case .invalid?, nil: []
        }
    }

    // MARK: block scalars

    /// One random block scalar under a `macros:` key: `|` or `>`, an indentation indicator 1-9
    /// or none, chomping `+`, `-` or none in either order, lines indented more, less, exactly,
    /// empty or blank, tabs after the indentation, CR LF or LF, with or without a final break.
    private static func blockScalarPack(_ rng: inout SplitMix) -> String {
        let eol = rng.int(4) == 0 ? "\r\n" : "\n"
        var header = rng.pick(["|", ">"])
        let indicator = rng.int(3) == 0 ? "" : String(1 + rng.int(9))
        let chomp = rng.pick(["", "+", "-"])
        header += rng.int(2) == 0 ? indicator + chomp : chomp + indicator
        if rng.int(5) == 0 { header += " # note" }
        let parent = rng.pick([2, 4])
        var lines: [String] = []
        for _ in 0..<(1 + rng.int(6)) {
            let spaces = String(repeating: " ", count: rng.int(12))
            switch rng.int(6) {
            case 0: lines.append("")
            case 1: lines.append(spaces)
            case 2: lines.append(spaces + "\tx")
            default: lines.append(spaces + rng.pick(["true", "x", "a && b", "1 +", "\"s\"", "é→"]))
            }
        }
        var yaml = "rulelang: 1\nmacros:" + eol
        if parent == 4 { yaml += "  group:" + eol }
        yaml += String(repeating: " ", count: parent) + "m: " + header + eol + lines.joined(separator: eol)
        if rng.int(2) == 0 { yaml += eol }
        return yaml
    }

    /// The 60 bytes that crashed `check`: an indentation indicator and a last line shorter than
    /// the first, with no final line break.
    @Test func blockScalarWithIndicatorAndShortLastLine() {
        #expect(first("rulelang: 1\nmacros:\n  m: >1\n       true\n      x") == "E0104 5:7 ×1")
        #expect(first("rulelang: 1\nmacros:\n  m: >1\n       true\n      x\n") == "E0104 5:7 ×1")
        #expect(first("rulelang: 1\nmacros:\n  m: |2-\n       true\n     x") == "E0104 5:6 ×1")
    }

    /// Generated block scalars through the whole check; every value byte that is not a break
    /// or a folding space maps to the very same byte of the file (not merely somewhere safe).
    @Test func generatedBlockScalarsMapEveryByteBack() {
        var rng = SplitMix(state: 0x5EED_B10C)
        var exact = 0
        for _ in 0..<3_000 {
            let yaml = Self.blockScalarPack(&rng)
            let file = SourceFile(path: "t.yaml", text: yaml)
            _ = Frontend.check(tenant: "t", files: [file])
            let (root, diagnostics) = YamlLoader.load(file)
            guard diagnostics.isEmpty else { continue }
            for s in scalars(root) where s.style == .literal || s.style == .folded {
                let offsets = s.valueOffsets()
                let value = Array(s.value.utf8)
                #expect(offsets.count == value.count + 1, "\(yaml.debugDescription)")
                let mismatched = zip(value, offsets).filter { b, o in
                    b != 0x0A && b != 0x20 && (o >= file.bytes.count || file.bytes[o] != b)
                }
                #expect(mismatched.isEmpty, "\(yaml.debugDescription) → \(s.value.debugDescription)")
                if mismatched.isEmpty && value.contains(where: { $0 != 0x0A && $0 != 0x20 }) { exact += 1 }
            }
        }
        // The property is not vacuous: about one generated file in six is valid YAML whose
        // scalar has content (the others exercise the mapping's totality through `check`).
        #expect(exact > 400)
    }

    // MARK: YAML 1.1 line breaks

    /// libyaml counts U+0085, U+2028 and U+2029 as line breaks; the file's lines do not. A
    /// comment holding them, before the error, must not move the error down.
    @Test(arguments: ["\u{85}", "\u{2028}", "\u{2029}"])
    func unicodeLineBreakInACommentBeforeAnError(_ c: String) {
        let yaml = "rulelang: 1\n# a\(c)\(c)# b\(c)\nlabels: # \(c)\n  env: string\nroutes:\n  - name: r\n    when: env == \"x\" && servce\n"
        #expect(first(yaml) == "E0201 7:25 ×1")
    }

    /// The same characters inside quoted scalars, before an error in the same scalar and in a
    /// later one: columns count them as one scalar each.
    @Test(arguments: ["\u{85}", "\u{2028}", "\u{2029}"])
    func unicodeLineBreakInQuotedScalars(_ c: String) {
        let schema = "labels:\n  env: string\n"
        let single = "rulelang: 1\n\(schema)routes:\n  - name: r\n    when: 'env == \"a\(c)b\" && servce'\n"
        #expect(first(single) == "E0201 6:28 ×1")
        let double = "rulelang: 1\n\(schema)routes:\n  - name: r\n    when: \"env == 'a\(c)b' && servce\"\n"
        #expect(first(double) == "E0201 6:28 ×1")
        let later = "rulelang: 1\n\(schema)lists:\n  l: [\"a\(c)b\", 'c\(c)d']\nroutes:\n  - name: r\n    when: env in l && servce\n"
        #expect(first(later) == "E0201 8:23 ×1")
    }

    /// A reader error (a control character) has no mark; it is reported where the byte is.
    @Test func controlCharacterIsReportedWhereItIs() {
        #expect(first("rulelang: 1\ntier: \u{01}\n") == "E0001 2:7 ×1")
        #expect(first("\u{FEFF}rulelang: 1\ntier: gold\ntier: x\n") == "E0003 3:1 ×1")
    }

    // MARK: nesting

    /// 40,000 levels in each form (block mappings as deep as fits in 2 MB: their indentation
    /// grows with depth) stop at the collection that opens level 129, with one diagnostic.
    @Test func deepNestingIsOneDiagnosticAtTheLimit() {
        // Level 1 is the file's mapping, level 2 the mapping under `lists:`.
        let head = "rulelang: 1\nlists:\n  x: "
        #expect(first(head + String(repeating: "[", count: 40_000) + "1" + String(repeating: "]", count: 40_000) + "\n")
                == "E0013 3:132 ×1")
        #expect(first(head + String(repeating: "{a: ", count: 40_000) + "1" + String(repeating: "}", count: 40_000) + "\n")
                == "E0013 3:510 ×1")
        #expect(first(head + "\n    " + String(repeating: "- ", count: 40_000) + "1\n") == "E0013 4:257 ×1")
        var block = "rulelang: 1\nlists:\n"
        for depth in 1...2_000 { block += String(repeating: " ", count: depth + 1) + "a:\n" }
        #expect(first(block) == "E0013 130:130 ×1")
        // At the limit itself the file is read.
        let atLimit = YamlLoader.load(SourceFile(path: "t.yaml", text: head + String(repeating: "[", count: 126) + "1"
                                                     + String(repeating: "]", count: 126) + "\n"))
        #expect(atLimit.1.isEmpty && atLimit.0 != nil)
    }

    // MARK: size

    /// Collections, duplicate keys and long lines load in linear time; the outcome is exact.
    @Test func largeInputsLoadWithExactDiagnostics() {
        let list = "rulelang: 1\nlists:\n  big:\n" + (0..<40_000).map { "    - v\($0)\n" }.joined()
        #expect(codes(check(list)) == ["W0003"])

        let duplicates = "rulelang: 1\nlists:\n" + String(repeating: "  x: [a]\n", count: 40_000)
        // The first `x` is kept (and never used); each repeat is reported and dropped.
        let d = check(duplicates)
        #expect(d.count == 40_000 && codes(d).filter { $0 == "E0003" }.count == 39_999 && codes(d)[0] == "W0003")
        #expect(position(d[1]) == "4:3" && position(d[39_999]) == "40002:3")
        let text = CheckReport(tenants: [TenantResult(tenant: "t", files: 1, rules: 0, diagnostics: d)])
            .text(renderer: DiagnosticRenderer())
        #expect(text.hasSuffix("… and 39950 more diagnostics not shown\n\nt: rejected, 39999 errors, 1 warning (1 file, 0 rules)\n"))

        let flow = "rulelang: 1\nlists:\n  big: [" + (0..<700_000).map { "v\($0)" }.joined(separator: ",") + "]\n"
        #expect(flow.utf8.count > 5_000_000)
        #expect(codes(check(flow)) == ["W0003"])

        let scalar = "rulelang: 1\nmacros:\n  m: " + String(repeating: "a", count: 5_000_000) + " + \"é\" b c\n"
        let s = check(scalar)
        #expect(codes(s) == ["E0104"] && position(s[0]) == "3:5000013")
        // The excerpt shows a window of the 5 MB line.
        let excerpt = DiagnosticRenderer().text(s[0])
        #expect(excerpt.split(separator: "\n").allSatisfy { $0.unicodeScalars.count < 200 })
        #expect(excerpt.contains("3 | …aaaaaaaaaa") && excerpt.contains("aaaaaaaaaa + \"é\" b c\n"))
    }

    /// A name of a megabyte: did-you-mean measures only candidates of about its length, and
    /// the excerpt and its carets stay a window wide.
    @Test func megabyteNamesAreCheapToReport() {
        let zone = String(repeating: "Europe/Paris", count: 90_000)
        let d = check("rulelang: 1\ntimezone: \(zone)\n")
        #expect(codes(d) == ["E0406"] && position(d[0]) == "2:11")
        #expect(d[0].help == ["use an IANA zone name such as `UTC`, `Europe/Paris` or `America/New_York`"])
        let lines = DiagnosticRenderer().text(d[0]).split(separator: "\n").dropFirst()
        #expect(lines.allSatisfy { $0.unicodeScalars.count < 200 })
        #expect(closest(to: "Europe/Pariss", in: ["Europe/Paris", zone]) == "Europe/Paris")
    }

    /// Aliases are refused one by one (the first 100 of a file reported, the rest in silence)
    /// without ever being expanded; a second document stops the loader.
    @Test func aliasBombIsRefusedAndManyDocumentsStopAtTheFirst() {
        var bomb = "rulelang: 1\nlists:\n  a: &a [x, x, x, x, x, x, x, x, x]\n"
        for k in 1...30 { bomb += "  l\(k): &l\(k) [" + Array(repeating: "*\(k == 1 ? "a" : "l\(k - 1)")", count: 9).joined(separator: ", ") + "]\n" }
        #expect(first(bomb) == "E0002 3:6 ×\(YamlLoader.maxRefusedReports)")
        #expect(first("rulelang: 1\n" + String(repeating: "---\nrulelang: 1\n", count: 100_000)) == "E0007 2:1 ×1")
        let labels = "rulelang: 1\nlabels:\n" + (0..<40_000).map { "  l\($0): string\n" }.joined()
        #expect(first(labels) == "none")
    }
}

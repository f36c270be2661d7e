import Foundation
import Testing
@testable import RuleLang

/// The recovery corpus: each pack under `Recovery/` plants independent mistakes across files,
/// rules and expressions, each marked on its line with `# expect: CODE …`. Checking the pack
/// must report exactly those, at those lines: none hidden by another, none caused by another.
@Suite struct RecoveryTests {
    static let dir = Repo.tests.appendingPathComponent("Recovery")
    static let packs: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
        .filter { !$0.hasPrefix(".") }.sorted()

    static func files(of pack: String) -> [SourceFile] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(pack).path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        return names.map { name in
            let path = "Recovery/\(pack)/\(name)"
            return SourceFile(path: path, bytes: [UInt8](FileManager.default.contents(atPath: Repo.tests.appendingPathComponent(path).path) ?? Data()))
        }
    }

    /// `path:line CODE` for every code planted with `# expect:`.
    static func planted(in files: [SourceFile]) -> [String] {
        files.flatMap { file in
            String(decoding: file.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                .flatMap { (i, line) -> [String] in
                    guard let r = line.range(of: "# expect:") else { return [] }
                    return line[r.upperBound...].split(separator: " ").map { "\(file.path):\(i + 1) \($0)" }
                }
        }
    }

    @Test func theCorpusHasTenPacks() {
        #expect(Self.packs.count >= 10)
    }

    @Test(arguments: packs)
    func everyPlantedMistakeAndNothingElse(pack: String) {
        let files = Self.files(of: pack)
        let expected = Self.planted(in: files)
        #expect(expected.count >= 3, "a recovery pack plants several independent mistakes")
        let (_, diagnostics) = Frontend.check(tenant: "recovery", files: files)
        let actual = diagnostics.map { d in
            guard let s = d.span else { return "\(d.path ?? "-"):- \(d.code.id)" }
            return "\(s.file.path):\(s.file.location(of: s.start).line) \(d.code.id)"
        }
        #expect(actual.sorted() == expected.sorted())
    }
}

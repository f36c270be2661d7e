import HostileInputs
import Testing
@testable import RuleLang

/// The import's output is linear in its input: at most `maxOutputPerInputByte` bytes per input
/// byte (plus a fixed slack), for every generated hostile configuration, and the shape with the
/// largest translation per byte stays under it with room.
@Suite struct ImportOutputBoundTests {
    static func translate(_ yaml: String) -> String? {
        if case .success(let pack) = AlertmanagerImport.translate(SourceFile(path: "am.yml", text: yaml), tenant: "am") { return pack }
        return nil
    }

    /// 1,000 empty routes (`{}`) at depth 59: the most output per byte, translated, not refused.
    @Test func theWorstShapeIsTranslatedUnderTheBound() throws {
        let yaml = "route: {receiver: r, routes: [" + String(repeating: "{routes: [", count: 58)
            + Array(repeating: "{}", count: 1_000).joined(separator: ",") + String(repeating: "]}", count: 58) + "]}\nreceivers: [{name: r}]\n"
        let pack = try #require(Self.translate(yaml))
        let ratio = Double(pack.utf8.count) / Double(yaml.utf8.count)
        // Measured 174 (3,751 bytes in, 652,740 out); each further `{}` adds about 650 bytes for 3.
        #expect(ratio > 150 && ratio < Double(AlertmanagerImport.maxOutputPerInputByte), "ratio \(ratio)")
    }

    @Test func everyGeneratedImportStaysLinear() {
        var choices: any Choices = SeededChoices(seed: 0x5EED_1204)
        var translated = 0, worst = 0.0
        for _ in 0..<300 {
            let (name, yaml) = HostileImports.any(&choices)
            guard let pack = Self.translate(yaml) else { continue }
            translated += 1
            let n = yaml.utf8.count
            worst = max(worst, Double(pack.utf8.count) / Double(n))
            #expect(pack.utf8.count <= AlertmanagerImport.maxOutputPerInputByte * n + AlertmanagerImport.outputSlack, "\(name)")
        }
        #expect(translated > 0)
        #expect(worst < Double(AlertmanagerImport.maxOutputPerInputByte), "worst ratio \(worst)")
    }
}

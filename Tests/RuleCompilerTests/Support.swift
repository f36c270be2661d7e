import TestSupport
import RuleRuntime
import Foundation
import RuleCompiler
import RuleLang
import RuleVM

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tests = root.appendingPathComponent("Tests/RuleCompilerTests")
    static var bless: Bool { ProcessInfo.processInfo.environment["RULELANG_BLESS"] != nil }

    /// Compares `actual` with `Golden/<name>`, or rewrites it under `RULELANG_BLESS=1`.
    static func golden(_ actual: String, _ name: String) -> (String, String) {
        let url = tests.appendingPathComponent("Golden/\(name)")
        if bless { try? actual.write(to: url, atomically: true, encoding: .utf8) }
        return (actual, (try? String(contentsOf: url, encoding: .utf8)) ?? "<missing golden \(name)>")
    }
}


/// Reads and compiles a pack folder from disk.
func compileFolder(_ path: String) -> RuntimePack {
    let (packs, _) = PackReader.discover(path: path)
    let (files, _) = PackReader.loadFiles(packs[0].files)
    let (checked, _) = Frontend.check(tenant: packs[0].tenant, files: files)
    return compiled(checked)
}

func alert(_ labels: [String: String], severity: UInt8 = 1, value: Double? = nil) -> AlertInput {
    AlertInput(labels: labels, severity: severity, value: value, startsAt: 1_767_225_600_000, fingerprint: "fp", tenant: "t")
}

let jan1 = Int64(1_767_225_600_000)   // 2026-01-01T00:00:00Z

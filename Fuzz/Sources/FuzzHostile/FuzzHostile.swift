import HostileInputs
import RuleCompiler
import RuleRuntime
import RuleLang

/// libFuzzer entry point, structure-aware: the bytes steer the hostile-pack generators (deep
/// nesting, long chains, wide lists, many labels, extreme durations and times, folding growth,
/// odd block scalars), whose pack is checked, compiled optimized and not, and run on its alert.
/// Any crash, hang, sanitizer report or run over libFuzzer's memory limit is a bug, and so is
/// a decision that differs with the optimizer on and off, or a diagnostic span outside its file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHostile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var choices: any Choices = ByteChoices(Array(UnsafeBufferPointer(start: data, count: size)))
    let pack = HostilePacks.any(&choices)
    let file = SourceFile(path: "hostile/00-pack.yaml", text: pack.yaml)
    let (checked, diagnostics) = Frontend.check(tenant: "hostile", files: [file])
    for d in diagnostics.prefix(5) { _ = DiagnosticRenderer().text(d) }
    // Every span lies inside its file, so every format can cut its excerpt.
    for d in diagnostics {
        for s in (d.span.map { [$0] } ?? []) + d.notes.map(\.span) where !(0 <= s.start && s.start <= s.end && s.end <= s.file.bytes.count) {
            fatalError("\(d.code.id) span \(s.start)..<\(s.end) outside \(s.file.bytes.count) bytes")
        }
    }
    guard !diagnostics.contains(where: { $0.severity == .error }),
          case .success(let alert) = AlertJSON.parse(pack.alert, tenant: "hostile", tier: "silver") else { return 0 }
    var decisions: [String] = []
    for optimize in [true, false] {
        guard let compiled = try? PackCompiler.compile(checked, options: CompileOptions(optimize: optimize)) else { return 0 }
        let d = PackEvaluator(pack: compiled).evaluate(alert, now: 1_767_225_600_000)
        decisions.append("\(d.routes) \(d.suppress) \(d.enriched) \(d.errors.map { "\($0.rule): \($0.error)" })")
    }
    if decisions[0] != decisions[1] { fatalError("optimized and unoptimized differ: \(decisions)") }
    return 0
}

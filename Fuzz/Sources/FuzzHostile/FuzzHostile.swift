import HostileInputs
import RuleLang

/// libFuzzer entry point, structure-aware: the bytes steer the hostile-pack generators (deep
/// nesting, wide lists, many labels, extreme durations and times, folding growth, odd block
/// scalars), whose output is checked as a one-file pack. Any crash, hang, sanitizer report or
/// run over libFuzzer's memory limit is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHostile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var choices: any Choices = ByteChoices(Array(UnsafeBufferPointer(start: data, count: size)))
    let pack = HostilePacks.any(&choices)
    let file = SourceFile(path: "hostile/00-pack.yaml", text: pack.yaml)
    let (_, diagnostics) = Frontend.check(tenant: "hostile", files: [file])
    for d in diagnostics.prefix(5) { _ = DiagnosticRenderer().text(d) }
    return 0
}

import RuleLang

/// libFuzzer entry point: the bytes are a rule file, read and checked as a one-file pack;
/// then the first line is also parsed as a bare expression. Any crash, hang or sanitizer
/// report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheck(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file = SourceFile(path: "fuzz.yaml", bytes: bytes)
    let (_, diagnostics) = Frontend.check(tenant: "fuzz", files: [file])
    let renderer = DiagnosticRenderer()
    for d in diagnostics.prefix(5) {
        _ = renderer.text(d)
        _ = renderer.json(d).rendered()
    }
    let line = Array(bytes.prefix { $0 != 10 })
    _ = Parser.parse(ExpressionSource(file: SourceFile(path: "expr", bytes: line)))
    return 0
}

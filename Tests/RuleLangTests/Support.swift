import Foundation
@testable import RuleLang

/// Paths of the repository, found from this file.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tests = root.appendingPathComponent("Tests/RuleLangTests")
    static var bless: Bool { ProcessInfo.processInfo.environment["RULELANG_BLESS"] != nil }
}

/// Checks `yaml` as a one-file pack of tenant `t`.
func check(_ yaml: String, path: String = "t.yaml", options: CheckOptions = CheckOptions()) -> [Diagnostic] {
    Frontend.check(tenant: "t", files: [SourceFile(path: path, text: yaml)], options: options).1
}

/// The codes of `diagnostics`, in order.
func codes(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(\.code.id) }

/// `line:column` of a diagnostic's primary span.
func position(_ d: Diagnostic) -> String {
    guard let s = d.span else { return "-" }
    let l = s.file.location(of: s.start)
    return "\(l.line):\(l.column)"
}

/// The text under a diagnostic's span.
func spanText(_ d: Diagnostic) -> String {
    guard let s = d.span else { return "" }
    return String(decoding: s.file.bytes[s.start..<s.end], as: UTF8.self)
}

/// A pack around one route condition, with a label schema when `schema` is given.
func routePack(_ when: String, schema: String? = nil, extra: String = "") -> String {
    var s = "rulelang: 1\n"
    if let schema { s += "labels:\n\(schema)\n" }
    s += extra
    s += "channels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/hook\"}\nroutes:\n  - name: r\n    when: \(when)\n    notify: [c]\n  - {name: default, when: true, notify: [c]}\n"
    return s
}

/// Typed expression of `expr` in a minimal pack, or the diagnostics.
func typeOf(_ expr: String, schema: String? = nil, extra: String = "") -> (String?, [Diagnostic]) {
    let yaml = routePack(Quote.single(expr), schema: schema, extra: extra)
    let (checked, diagnostics) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
    let errors = diagnostics.filter { $0.severity == .error }
    guard errors.isEmpty, let r = checked.rules.first(where: { $0.name.text == "r" }) else { return (nil, diagnostics) }
    return (r.expressions[0].expr.type.description, diagnostics)
}

enum Quote {
    /// A YAML single-quoted scalar.
    static func single(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}

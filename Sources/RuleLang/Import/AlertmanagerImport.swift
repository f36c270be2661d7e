/// `rulec import alertmanager`: translates an Alertmanager configuration (its route tree with
/// `matchers`, `match` and `match_re`, `continue`, `group_by` and the three timers; inhibit
/// rules; time intervals; receivers as channels) into a RuleLang pack with the same routing.
///
/// The file is untrusted input. It is read and validated first, as Alertmanager validates it
/// (strict keys, typed values, its matcher and duration syntax); only then is the pack written,
/// through `YamlEmitter`, which quotes every value that came from the input. Expressions are
/// built from matchers with each label name and value as a RuleLang string literal.
///
/// Semantics kept exactly: Alertmanager reads a missing label as the empty string, so every
/// matcher becomes a test on `labels["name"] ?? ""`; regexes are anchored on both ends in both
/// languages; the root route matches every alert and handles what no child takes, which is a
/// RuleLang route `when: true` with the children below it. Receivers become webhook channels
/// with a placeholder URL.
public enum AlertmanagerImport {
    /// Why the import refused the file: diagnostics at the offending nodes.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let diagnostics: [Diagnostic]
        /// The first problem as `path:line:column: message`.
        public var message: String {
            guard let d = diagnostics.first else { return "import failed" }
            return "\(d.span.map(\.description) ?? d.path ?? ""): \(d.message)"
        }
        public var description: String { DiagnosticRenderer().text(diagnostics) }
    }

    /// The largest pack the import writes: the loader's file limit, beyond which it is no pack.
    public static let maxOutputBytes = YamlLoader.maxFileBytes

    /// Bytes of pack written per byte of input, at most (plus `outputSlack`): the output is
    /// linear in the input. Each input route, list item or matcher becomes a bounded number of
    /// lines, each indented by at most four spaces a level over at most 60 levels, and a route's
    /// name grows two characters a level; the largest translation per byte is of empty routes
    /// (`{},`: three bytes) at depth 59, about 217 bytes each. The bound is checked while
    /// writing, so no input, however shaped, gets past it.
    public static let maxOutputPerInputByte = 256

    /// Output allowed beyond the per-byte bound: the header and fixed sections.
    public static let outputSlack = 64 << 10

    public static func translate(_ file: SourceFile, tenant: String) -> Result<String, Failure> {
        guard PackReader.isValidTenant(tenant) else {
            return .failure(Failure(diagnostics: [Diagnostic(YamlCodes.invalidValue, "invalid tenant id \(YamlEmitter.quoted(tenant))",
                                                             at: nil, help: ["a tenant id is `[a-z0-9][a-z0-9-]{0,62}`"], path: file.path)]))
        }
        let (root, loaded) = YamlLoader.load(file)
        if !loaded.isEmpty {
            let hint = "the import does not expand YAML anchors, aliases or merge keys: write the values out"
            return .failure(Failure(diagnostics: loaded.map { d in
                var d = d
                if d.code == YamlCodes.alias { d.help = [hint] }
                if d.code == YamlCodes.tooLarge { d.help = [] }
                return d
            }))
        }
        guard let root else {
            return .failure(Failure(diagnostics: [Diagnostic(YamlCodes.missingKey, "no `route:` mapping at the top level", at: nil, path: file.path)]))
        }
        let (config, diagnostics) = AlertmanagerConfig.read(root, file: file)
        if !diagnostics.isEmpty { return .failure(Failure(diagnostics: diagnostics)) }
        let linear = maxOutputPerInputByte * file.bytes.count + outputSlack
        var out = YamlEmitter(limit: min(maxOutputBytes, linear))
        write(config, from: file, tenant: tenant, into: &out)
        guard !out.overflowed else {
            let message = linear < maxOutputBytes
                ? "the translated pack is over \(linear) bytes, \(maxOutputPerInputByte) bytes per byte of the file"
                : "the translated pack is over \(maxOutputBytes) bytes (10 MiB), the limit of a pack file"
            return .failure(Failure(diagnostics: [Diagnostic(YamlCodes.tooLarge, message, at: nil,
                help: ["split the route tree over several Alertmanager files, or flatten it"], path: file.path)]))
        }
        return .success(out.text)
    }

    private static func write(_ config: AlertmanagerConfig, from file: SourceFile, tenant: String, into out: inout YamlEmitter) {
        out.comment("Imported from ", file.path, " by `rulec import alertmanager`.")
        out.entry("rulelang", .integer(1), indent: 0)
        out.entry("tenant", .text(tenant), indent: 0)
        if !config.windows.isEmpty {
            out.open("time_windows", indent: 0)
            for w in config.windows {
                var fields: [(StaticString, EmittedFlow)] = []
                if let h = w.hours { fields.append(("hours", .scalar(.text(h)))) }
                if let d = w.weekdays { fields.append(("weekdays", .list(d.map { .text($0) }))) }
                if let l = w.location { fields.append(("timezone", .scalar(.text(l)))) }
                out.flowEntry(named: w.name, fields, indent: 2)
            }
        }
        out.open("channels", indent: 0)
        for r in config.receivers {
            out.flowEntry(named: r, [("type", .scalar(.word("webhook"))), ("url", .scalar(.text(placeholderURL(r))))], indent: 2)
        }
        if !config.inhibits.isEmpty {
            out.open("suppress", indent: 0)
            for (i, rule) in config.inhibits.enumerated() {
                out.entry("name", .text("inhibit-\(i + 1)"), indent: 2, item: true)
                out.entry("when", .text(condition(rule.target)), indent: 4)
                out.entry("while_active", .text(condition(rule.source)), indent: 4)
                if let equal = rule.equal { out.list("equal", equal.map { .text($0) }, indent: 4) }
            }
        }
        out.open("routes", indent: 0)
        writeRoute(config.route, name: "root", indent: 2, into: &out)
    }

    /// A webhook URL to fill in, naming the receiver (percent-encoded, so no name makes it
    /// invalid or looks like a `${secret:…}` reference).
    static func placeholderURL(_ receiver: String) -> String {
        var path = ""
        for b in receiver.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                path.unicodeScalars.append(UnicodeScalar(b))
            default:
                let h = String(b, radix: 16, uppercase: true)
                path += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return "http://127.0.0.1:9/" + path
    }

    /// A route and its children, named by their path from the root (`root-2-1`).
    private static func writeRoute(_ r: AlertmanagerConfig.Route, name: String, indent: Int, into out: inout YamlEmitter) {
        guard !out.overflowed else { return }
        out.entry("name", .text(name), indent: indent, item: true)
        out.entry("when", .text(condition(r.matchers)), indent: indent + 2)
        if let receiver = r.receiver { out.list("notify", [.text(receiver.value)], indent: indent + 2) }
        if let g = r.groupBy { out.list("group_by", g == ["..."] ? [.word("...")] : g.map { .text($0) }, indent: indent + 2) }
        for (key, d) in r.timers { out.entry(key, .duration(d), indent: indent + 2) }
        if let w = r.mute { out.entry("mute_during", .text(w.value), indent: indent + 2) }
        if let w = r.active { out.entry("active_during", .text(w.value), indent: indent + 2) }
        if r.continues { out.entry("continue", .word("true"), indent: indent + 2) }
        guard !r.routes.isEmpty else { return }
        out.open("routes", indent: indent + 2)
        for (i, child) in r.routes.enumerated() {
            writeRoute(child, name: "\(name)-\(i + 1)", indent: indent + 4, into: &out)
        }
    }

    /// The RuleLang condition of a list of matchers (`true` for none): each a test on the label
    /// read as Alertmanager reads it (missing = ""), name and value as string literals.
    static func condition(_ matchers: [AlertmanagerMatcher]) -> String {
        guard !matchers.isEmpty else { return "true" }
        return matchers.map { m in
            "(labels[\(YamlEmitter.ruleLangString(m.name))] ?? \"\") \(m.op.ruleLang) \(YamlEmitter.ruleLangString(m.value))"
        }.joined(separator: " && ")
    }
}

/// The outcome of checking one tenant's pack.
public struct TenantResult: Sendable {
    public let tenant: String
    public let files: Int
    public let rules: Int
    public let diagnostics: [Diagnostic]

    public init(tenant: String, files: Int, rules: Int, diagnostics: [Diagnostic]) {
        self.tenant = tenant
        self.files = files
        self.rules = rules
        self.diagnostics = diagnostics
    }

    /// `acme: ok (3 files, 42 rules)` or `acme: 2 errors, 1 warning (3 files, 42 rules)`.
    public var summary: String {
        let e = diagnostics.errorCount, w = diagnostics.warningCount
        var parts: [String] = []
        if e > 0 { parts.append("\(e) error\(e == 1 ? "" : "s")") }
        if w > 0 { parts.append("\(w) warning\(w == 1 ? "" : "s")") }
        let status = e > 0 ? "rejected, " + parts.joined(separator: ", ") : parts.isEmpty ? "ok" : "ok with " + parts.joined(separator: ", ")
        return "\(tenant): \(status) (\(files) file\(files == 1 ? "" : "s"), \(rules) rule\(rules == 1 ? "" : "s"))"
    }
}

/// Every output format of `rulec check` for a whole run, built from the same data. The same
/// JSON is what the service returns for a rejected pack.
public struct CheckReport: Sendable {
    public let tenants: [TenantResult]
    /// Diagnostics not tied to a tenant (unreadable paths).
    public let general: [Diagnostic]
    /// Diagnostics shown in every format before "N more" (JSON's `diagnostics_not_shown`,
    /// SARIF's tool notification).
    public static let cap = 50

    public init(tenants: [TenantResult], general: [Diagnostic] = []) {
        self.tenants = tenants
        self.general = general
    }

    /// All diagnostics of the run, sorted by file and position.
    public var diagnostics: [Diagnostic] { (general + tenants.flatMap(\.diagnostics)).sortedByPosition() }

    /// `rulec check` exit status: 0 clean or warnings only, 1 errors (or warnings when strict).
    public func exitCode(strict: Bool) -> Int32 {
        let all = diagnostics
        if all.errorCount > 0 { return 1 }
        if strict && all.warningCount > 0 { return 1 }
        return 0
    }

    public func text(renderer: DiagnosticRenderer) -> String {
        var out = renderer.text(diagnostics, cap: Self.cap)
        for t in tenants { out += t.summary + "\n" }
        return out
    }

    /// The JSON object: per-tenant results, the run's totals, the first `cap` diagnostics and,
    /// when there are more, how many were left out.
    public func json() -> JSONValue {
        let r = DiagnosticRenderer()
        let all = diagnostics
        var fields: [(String, JSONValue)] = [
            ("tenants", .array(tenants.map { t in
                .object([("tenant", .string(t.tenant)), ("status", .string(t.diagnostics.errorCount > 0 ? "rejected" : "ok")),
                         ("files", .int(t.files)), ("rules", .int(t.rules)),
                         ("errors", .int(t.diagnostics.errorCount)), ("warnings", .int(t.diagnostics.warningCount))])
            })),
            ("errors", .int(all.errorCount)),
            ("warnings", .int(all.warningCount)),
            ("diagnostics", .array(all.prefix(Self.cap).map(r.json))),
        ]
        if all.count > Self.cap { fields.append(("diagnostics_not_shown", .int(all.count - Self.cap))) }
        return .object(fields)
    }

    public func github() -> String {
        let r = DiagnosticRenderer()
        let all = diagnostics
        var out = all.prefix(Self.cap).map { r.github($0) + "\n" }.joined()
        if all.count > Self.cap { out += "::notice::\(all.count - Self.cap) more diagnostics not shown\n" }
        for t in tenants { out += t.summary + "\n" }
        return out
    }

    public func sarif(version: String) -> JSONValue { DiagnosticRenderer().sarif(diagnostics, version: version) }
}

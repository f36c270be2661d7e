import Foundation

/// Machine-readable forms: JSON, SARIF 2.1.0 and GitHub workflow commands.
extension DiagnosticRenderer {
    /// Where the diagnostic codes are explained: SARIF's `informationUri`.
    public static let documentationURL = "https://github.com/rulelang/rulelang/blob/main/docs/diagnostics.md"

    /// One diagnostic as a JSON object (the `rulec check --format json` element, and the API's).
    public func json(_ d: Diagnostic) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("code", .string(d.code.id)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("file", d.path.map(JSONValue.string) ?? .null),
        ]
        if let s = d.span {
            let a = s.file.location(of: s.start), b = s.file.location(of: s.end)
            fields += [("line", .int(a.line)), ("column", .int(a.column)),
                       ("end_line", .int(b.line)), ("end_column", .int(b.column))]
        }
        if let l = d.label { fields.append(("label", .string(l))) }
        if !d.notes.isEmpty {
            fields.append(("notes", .array(d.notes.map { n in
                let a = n.span.file.location(of: n.span.start)
                return .object([("file", .string(n.span.file.path)), ("line", .int(a.line)),
                                ("column", .int(a.column)), ("label", .string(n.label))])
            })))
        }
        if !d.help.isEmpty { fields.append(("help", .array(d.help.map(JSONValue.string)))) }
        return .object(fields)
    }

    /// A GitHub Actions workflow command (`::error file=…,line=…,col=…::…`).
    public func github(_ d: Diagnostic) -> String {
        var props: [String] = []
        if let p = d.path { props.append("file=\(escapeProperty(p))") }
        if let s = d.span {
            let a = s.file.location(of: s.start), b = s.file.location(of: s.end)
            props += ["line=\(a.line)", "col=\(a.column)", "endLine=\(b.line)", "endColumn=\(b.column)"]
        }
        props.append("title=\(escapeProperty(d.code.id))")
        var message = d.message
        if !d.help.isEmpty { message += "\n" + d.help.map { "help: " + $0 }.joined(separator: "\n") }
        let kind = d.severity == .error ? "error" : "warning"
        return "::\(kind) \(props.joined(separator: ","))::\(escapeData(message))"
    }

    private func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    private func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// A SARIF 2.1.0 log that GitHub code scanning accepts: the first `cap` diagnostics as
    /// results; when there are more, a tool notification "N more diagnostics not shown".
    public func sarif(_ all: [Diagnostic], version: String, cap: Int = CheckReport.cap) -> JSONValue {
        let diagnostics = Array(all.prefix(cap))
        let used = Set(diagnostics.map(\.code.id))
        let rules = DiagnosticCatalog.all.filter { used.contains($0.id) }
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let results: [JSONValue] = diagnostics.map { d in
            let path = d.path ?? ""
            var loc: [(String, JSONValue)] = [("uri", .string(path.hasPrefix("/") ? "file://" + path : path))]
            loc = [("artifactLocation", .object(loc))]
            if let s = d.span {
                let a = s.file.location(of: s.start), b = s.file.location(of: s.end)
                loc.append(("region", .object([("startLine", .int(a.line)), ("startColumn", .int(a.column)),
                                               ("endLine", .int(b.line)), ("endColumn", .int(max(b.column, a.line == b.line ? a.column + 1 : b.column)))])))
            } else {
                // About a whole file: GitHub code scanning needs a region, so the first line.
                loc.append(("region", .object([("startLine", .int(1))])))
            }
            var text = d.message
            if !d.help.isEmpty { text += ". " + d.help.map { "help: " + $0 }.joined(separator: ". ") }
            return .object([
                ("ruleId", .string(d.code.id)),
                ("ruleIndex", .int(ruleIndex[d.code.id] ?? 0)),
                ("level", .string(d.severity == .error ? "error" : "warning")),
                ("message", .object([("text", .string(text))])),
                ("locations", .array([.object([("physicalLocation", .object(loc))])])),
            ])
        }
        let driver: JSONValue = .object([
            ("name", .string("rulec")),
            ("version", .string(version)),
            ("informationUri", .string(Self.documentationURL)),
            ("rules", .array(rules.map { r in
                .object([("id", .string(r.id)), ("name", .string(r.id)),
                         ("shortDescription", .object([("text", .string(r.title))])),
                         ("defaultConfiguration", .object([("level", .string(r.severity == .error ? "error" : "warning"))]))])
            })),
        ])
        var run: [(String, JSONValue)] = [("tool", .object([("driver", driver)]))]
        if all.count > diagnostics.count {
            let more: JSONValue = .object([("level", .string("note")),
                                           ("message", .object([("text", .string("\(all.count - diagnostics.count) more diagnostics not shown"))]))])
            run.append(("invocations", .array([.object([("executionSuccessful", .bool(true)),
                                                        ("toolExecutionNotifications", .array([more]))])])))
        }
        run.append(("results", .array(results)))
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object(run)])),
        ])
    }
}

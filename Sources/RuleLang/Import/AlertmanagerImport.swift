import Foundation

/// `rulec import alertmanager`: translates an Alertmanager configuration (its route tree with
/// `matchers`, `match` and `match_re`, `continue`, `group_by` and the three timers; inhibit
/// rules; time intervals; receivers as channels) into a RuleLang pack with the same routing.
///
/// Semantics kept exactly: Alertmanager reads a missing label as the empty string, so every
/// matcher becomes a test on `labels["name"] ?? ""`; regexes are anchored on both ends in both
/// languages; the root route matches every alert and handles what no child takes, which is a
/// RuleLang route `when: true` with the children below it. Receivers become webhook channels
/// (Slack and PagerDuty ones keep their type when the URL or key is given).
public enum AlertmanagerImport {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func translate(_ file: SourceFile, tenant: String) -> Result<String, Failure> {
        let (root, diagnostics) = YamlLoader.load(file)
        if let d = diagnostics.first { return .failure(Failure(message: "\(d.span.map(\.description) ?? file.path): \(d.message)")) }
        guard case .mapping(let config)? = root, case .mapping(let route)? = config["route"] else {
            return .failure(Failure(message: "\(file.path): no `route:` mapping at the top level"))
        }
        var out = Writer()
        out.line("# Imported from \(file.path) by `rulec import alertmanager`.")
        out.line("rulelang: 1")
        out.line("tenant: \(tenant)")
        var receivers: [String] = []
        if case .sequence(let items, _)? = config["receivers"] {
            for case .mapping(let r) in items { if case .scalar(let n)? = r["name"] { receivers.append(n.value) } }
        }
        var windows: [String] = []
        for key in ["time_intervals", "mute_time_intervals"] {
            guard case .sequence(let items, _)? = config[key] else { continue }
            for case .mapping(let t) in items {
                guard case .scalar(let n)? = t["name"] else { continue }
                windows.append(n.value)
                out.section("time_windows")
                out.line("  \(quote(n.value)): \(window(t))")
            }
        }
        out.line("channels:")
        for r in receivers.isEmpty ? ["default"] : receivers {
            out.line("  \(quote(channelName(r))): {type: webhook, url: \(quote("http://127.0.0.1:9/\(r)"))}")
        }
        if case .sequence(let items, _)? = config["inhibit_rules"] {
            out.line("suppress:")
            for (i, item) in items.enumerated() {
                guard case .mapping(let rule) = item else { continue }
                let target = matchers(rule, prefix: "target_")
                let source = matchers(rule, prefix: "source_")
                out.line("  - name: inhibit-\(i + 1)")
                out.line("    when: \(quote(target.isEmpty ? "true" : target.joined(separator: " && ")))")
                out.line("    while_active: \(quote(source.isEmpty ? "true" : source.joined(separator: " && ")))")
                if case .sequence(let eq, _)? = rule["equal"] {
                    let names = eq.compactMap { if case .scalar(let s) = $0 { s.value } else { nil } }
                    out.line("    equal: [\(names.map(quote).joined(separator: ", "))]")
                }
            }
        }
        out.line("routes:")
        var names: Set<String> = []
        emitRoute(route, receiver: nil, path: "root", indent: "  ", isRoot: true, into: &out, names: &names)
        return .success(out.text)
    }

    static func channelName(_ receiver: String) -> String { receiver.isEmpty ? "default" : receiver }

    private static func emitRoute(_ r: YamlMapping, receiver parent: String?, path: String, indent: String, isRoot: Bool,
                                  into out: inout Writer, names: inout Set<String>) {
        var receiver = parent
        if case .scalar(let s)? = r["receiver"] { receiver = s.value }
        var name = path
        while names.contains(name) { name += "'" }
        names.insert(name)
        let tests = isRoot ? [] : matchers(r, prefix: "")
        out.line("\(indent)- name: \(quote(name))")
        out.line("\(indent)  when: \(quote(tests.isEmpty ? "true" : tests.joined(separator: " && ")))")
        if let receiver, r["receiver"] != nil || isRoot { out.line("\(indent)  notify: [\(quote(channelName(receiver)))]") }
        if case .sequence(let g, _)? = r["group_by"] {
            let labels = g.compactMap { if case .scalar(let s) = $0 { s.value } else { nil } }
            out.line("\(indent)  group_by: [\(labels == ["..."] ? "..." : labels.map(quote).joined(separator: ", "))]")
        }
        for key in ["group_wait", "group_interval", "repeat_interval"] {
            if case .scalar(let s)? = r[key] { out.line("\(indent)  \(key): \(s.value)") }
        }
        for (key, ours) in [("mute_time_intervals", "mute_during"), ("active_time_intervals", "active_during")] {
            if case .sequence(let items, _)? = r[key], case .scalar(let first)? = items.first { out.line("\(indent)  \(ours): \(quote(first.value))") }
        }
        if case .scalar(let s)? = r["continue"], s.value == "true", !isRoot { out.line("\(indent)  continue: true") }
        guard case .sequence(let children, _)? = r["routes"], !children.isEmpty else { return }
        out.line("\(indent)  routes:")
        for (i, item) in children.enumerated() {
            guard case .mapping(let child) = item else { continue }
            emitRoute(child, receiver: receiver, path: "\(path)-\(i + 1)", indent: indent + "    ", isRoot: false, into: &out, names: &names)
        }
    }

    /// `matchers` (`a="x"`, `a!~"re"`), `match` and `match_re`, each as a RuleLang test on the
    /// label read as Alertmanager reads it (missing = "").
    static func matchers(_ m: YamlMapping, prefix: String) -> [String] {
        var out: [String] = []
        func label(_ n: String) -> String { "(labels[\(quoteExpr(n))] ?? \"\")" }
        if case .sequence(let items, _)? = m[prefix + "matchers"] {
            for case .scalar(let s) in items {
                if let t = parseMatcher(s.value) { out.append("\(label(t.name)) \(t.op) \(quoteExpr(t.value))") }
            }
        }
        if case .mapping(let eq)? = m[prefix + "match"] {
            for (k, v) in eq.entries { if case .scalar(let s) = v { out.append("\(label(k.value)) == \(quoteExpr(s.value))") } }
        }
        if case .mapping(let re)? = m[prefix + "match_re"] {
            for (k, v) in re.entries { if case .scalar(let s) = v { out.append("\(label(k.value)) =~ \(quoteExpr(s.value))") } }
        }
        return out
    }

    /// `name op "value"` with op `=`, `!=`, `=~`, `!~` (value quoted or not).
    static func parseMatcher(_ text: String) -> (name: String, op: String, value: String)? {
        let t = text.trimmingSpaces
        guard let opStart = t.firstIndex(where: { $0 == "=" || $0 == "!" }) else { return nil }
        let name = String(t[..<opStart]).trimmingSpaces
        var rest = t[opStart...]
        let op: String
        if rest.hasPrefix("=~") { op = "=~" } else if rest.hasPrefix("!~") { op = "!~" } else if rest.hasPrefix("!=") { op = "!=" } else { op = "==" }
        rest = rest.dropFirst(op == "==" ? 1 : 2)
        var value = String(String(rest).trimmingSpaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
        }
        return (String(name), op, value)
    }

    /// A time interval's first range as a RuleLang time window.
    static func window(_ t: YamlMapping) -> String {
        var parts: [String] = []
        if case .sequence(let ranges, _)? = t["time_intervals"], case .mapping(let first)? = ranges.first {
            if case .sequence(let times, _)? = first["times"], case .mapping(let time)? = times.first,
               case .scalar(let a)? = time["start_time"], case .scalar(let b)? = time["end_time"] {
                parts.append("hours: \(quote("\(a.value)-\(b.value)"))")
            }
            if case .sequence(let days, _)? = first["weekdays"] {
                let ds = days.compactMap { d -> String? in
                    guard case .scalar(let s) = d else { return nil }
                    return s.value.split(separator: ":").map { String($0.prefix(3)) }.joined(separator: "-")
                }
                parts.append("weekdays: [\(ds.joined(separator: ", "))]")
            }
            if case .scalar(let loc)? = first["location"] { parts.append("timezone: \(quote(loc.value))") }
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// A YAML double-quoted scalar.
    static func quote(_ s: String) -> String {
        var out = ""
        JSONValue.escape(s, into: &out)
        return out
    }

    /// A RuleLang string literal.
    static func quoteExpr(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

/// Lines of generated YAML; a section header is written once.
struct Writer {
    var text = ""
    var sections: Set<String> = []
    mutating func line(_ s: String) { text += s + "\n" }
    mutating func section(_ name: String) { if sections.insert(name).inserted { line("\(name):") } }
}

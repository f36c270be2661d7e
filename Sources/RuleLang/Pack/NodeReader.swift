import RuleText
/// Typed reads from YAML nodes for the pack reader, each reporting what is wrong and where.
struct NodeReader {
    var diagnostics: [Diagnostic] = []
    /// Refused nodes read so far: the loader reported each, so reading one is silent here.
    private(set) var refusedReads = 0

    /// Grows with every error met, reported here or refused by the loader: a rule whose reading
    /// moved it is incomplete.
    var errorMark: Int { diagnostics.count + refusedReads }

    mutating func report(_ code: DiagnosticCode, _ message: String, at span: SourceSpan, label: String? = nil,
                         help: [String] = []) {
        diagnostics.append(Diagnostic(code, message, at: span, label: label, help: help))
    }

    private mutating func shape(_ node: YamlNode, expected: String, what: String) {
        report(YamlCodes.shape, "expected \(expected) for \(what), found \(node.kindName)", at: node.span,
               label: "expected \(expected)")
    }

    /// True (and counted) for a node the loader refused.
    private mutating func refused(_ node: YamlNode) -> Bool {
        guard case .invalid = node else { return false }
        refusedReads += 1
        return true
    }

    mutating func mapping(_ node: YamlNode, _ what: String) -> YamlMapping? {
        if case .mapping(let m) = node { return m }
        if refused(node) { return nil }
        if case .scalar(let s) = node, s.isPlain, s.value.isEmpty || s.value == "~" || s.value == "null" {
            return YamlMapping(entries: [], span: s.span)
        }
        shape(node, expected: "a mapping", what: what)
        return nil
    }

    mutating func sequence(_ node: YamlNode, _ what: String) -> [YamlNode]? {
        if case .sequence(let items, _) = node { return items }
        if refused(node) { return nil }
        if case .scalar(let s) = node, s.isPlain, s.value.isEmpty || s.value == "~" || s.value == "null" { return [] }
        shape(node, expected: "a list", what: what)
        return nil
    }

    mutating func scalar(_ node: YamlNode, _ what: String) -> YamlScalar? {
        if case .scalar(let s) = node { return s }
        if refused(node) { return nil }
        shape(node, expected: "a scalar", what: what)
        return nil
    }

    /// Reports unknown keys (with did-you-mean) and missing required ones. Returns false when a
    /// required key is missing.
    @discardableResult
    mutating func checkKeys(_ m: YamlMapping, allowed: [String], required: [String] = [], context: String) -> Bool {
        for (key, _) in m.entries where !allowed.contains(key.value) {
            var help = didYouMean(key.value, in: allowed)
            if help.isEmpty { help = ["allowed keys \(context == "a rule file" ? "at the top level" : "in \(context)"): " + allowed.map { "`\($0)`" }.joined(separator: ", ")] }
            report(YamlCodes.unknownKey, "unknown key `\(key.value)` in \(context)", at: key.span, label: "unknown key", help: help)
        }
        var ok = true
        for key in required where m[key] == nil {
            ok = false
            let at = m.entries.first?.key.span ?? m.span
            report(YamlCodes.missingKey, "missing required key `\(key)` in \(context)", at: at,
                   label: "\(context) starts here", help: ["add `\(key):`"])
        }
        return ok
    }

    mutating func string(_ node: YamlNode, _ what: String) -> String? { scalar(node, what)?.value }

    mutating func name(_ node: YamlNode, _ what: String) -> Name? {
        guard let s = scalar(node, what) else { return nil }
        guard !s.value.isEmpty else {
            report(YamlCodes.invalidValue, "\(what) is empty", at: s.span)
            return nil
        }
        return Name(text: s.value, span: nameSpan(s))
    }

    /// The span of a scalar's text without its quotes.
    func nameSpan(_ s: YamlScalar) -> SourceSpan {
        guard s.style == .singleQuoted || s.style == .doubleQuoted, s.span.end - s.span.start >= 2 else { return s.span }
        return SourceSpan(file: s.span.file, start: s.span.start + 1, end: s.span.end - 1)
    }

    mutating func names(_ node: YamlNode, _ what: String) -> [Name]? {
        if case .scalar(let s) = node, !s.value.isEmpty, s.value != "~" {
            return [Name(text: s.value, span: nameSpan(s))]
        }
        guard let items = sequence(node, what) else { return nil }
        return items.compactMap { name($0, what) }
    }

    /// A duration value of at most `maxDurationMs` (longer ones would overflow the engine's
    /// time arithmetic); `positive`: a zero is an error too (a timer that repeats every 0s
    /// would fire forever at one instant).
    mutating func duration(_ node: YamlNode, _ what: String, positive: Bool = false) -> Int64? {
        guard let s = scalar(node, what) else { return nil }
        guard let ms = parseDuration(s.value) else {
            report(YamlCodes.badDuration, "bad duration `\(s.value)` for \(what)", at: s.span, label: "not a duration",
                   help: ["a duration is a number and a unit (ms, s, m, h, d), e.g. `30s`, `5m` or `1h30m`"])
            return nil
        }
        guard ms <= maxDurationMs else {
            report(YamlCodes.badDuration, "duration `\(s.value)` for \(what) is longer than the maximum of \(maxDurationText)",
                   at: s.span, label: "over \(maxDurationText)",
                   help: ["durations are at most \(maxDurationText) (about ten years)"])
            return nil
        }
        guard ms > 0 || !positive else {
            report(YamlCodes.badDuration, "\(what) must be longer than 0s", at: s.span, label: "zero",
                   help: ["a timer that repeats every 0s would fire forever at one instant; use at least `1ms`"])
            return nil
        }
        return ms
    }

    mutating func bool(_ node: YamlNode, _ what: String) -> Bool? {
        guard let s = scalar(node, what) else { return nil }
        switch s.value {
        case "true": return true
        case "false": return false
        default:
            report(YamlCodes.invalidValue, "\(what) must be `true` or `false`, found `\(s.value)`", at: s.span)
            return nil
        }
    }

    mutating func int(_ node: YamlNode, _ what: String, range: ClosedRange<Int> = 0...Int.max) -> Int? {
        guard let s = scalar(node, what) else { return nil }
        guard let v = Int(s.value), range.contains(v) else {
            report(YamlCodes.invalidValue, "\(what) must be a whole number\(range.upperBound == Int.max ? " of at least \(range.lowerBound)" : " from \(range.lowerBound) to \(range.upperBound)"), found `\(s.value)`",
                   at: s.span)
            return nil
        }
        return v
    }

    mutating func number(_ node: YamlNode, _ what: String) -> Double? {
        guard let s = scalar(node, what) else { return nil }
        guard let v = Double(s.value), v.isFinite else {
            report(YamlCodes.invalidValue, "\(what) must be a number, found `\(s.value)`", at: s.span)
            return nil
        }
        return v
    }

    /// An expression from any scalar style, parsed with exact positions.
    mutating func expression(_ node: YamlNode, _ what: String) -> Expr? {
        guard let s = scalar(node, what) else { return nil }
        guard !s.value.trimmingSpaces.isEmpty else {
            report(SyntaxCodes.expected, "\(what) is empty", at: s.span, label: "expected an expression")
            return nil
        }
        let (e, ds) = Parser.parse(ExpressionSource(scalar: s))
        diagnostics += ds
        return e
    }

    /// A string with `{{ }}` holes.
    mutating func template(_ node: YamlNode, _ what: String) -> Template? {
        guard let s = scalar(node, what) else { return nil }
        let (t, ds) = TemplateParser.parse(ExpressionSource(scalar: s), span: s.span)
        diagnostics += ds
        return t
    }

    /// `{label: template}` mappings of `set` and `emit`.
    mutating func templateMap(_ node: YamlNode, _ what: String) -> [(Name, Template)] {
        guard let m = mapping(node, what) else { return [] }
        var out: [(Name, Template)] = []
        for (k, v) in m.entries {
            if let t = template(v, "`\(k.value)` in \(what)") { out.append((Name(text: k.value, span: k.span), t)) }
        }
        return out
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return s
    }
}


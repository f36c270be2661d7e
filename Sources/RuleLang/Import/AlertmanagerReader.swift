/// Typed reads of an Alertmanager file's YAML nodes, as Go's yaml.v2 (strict mode) reads them
/// into Alertmanager's config structs: unknown keys and values of the wrong type are errors,
/// a null is an absent value, any scalar reads as a string. Every problem is a diagnostic at
/// the node.
struct AlertmanagerReader {
    private(set) var diagnostics: [Diagnostic] = []

    mutating func error(_ code: DiagnosticCode, _ message: String, at span: SourceSpan, label: String? = nil, help: [String] = []) {
        diagnostics.append(Diagnostic(code, message, at: span, label: label, help: help))
    }

    /// yaml.v2's null: `~`, `null`, `Null`, `NULL` or nothing, unquoted.
    static func isNull(_ node: YamlNode?) -> Bool {
        guard case .scalar(let s)? = node else { return node == nil }
        return s.isPlain && ["", "~", "null", "Null", "NULL"].contains(s.value)
    }

    /// Reports keys of `m` outside `allowed` (yaml.v2's strict mode does), with a word for the
    /// merge key `<<`, which the import does not expand.
    mutating func checkKeys(_ m: YamlMapping, _ allowed: [String], in what: String) {
        for (key, _) in m.entries where !allowed.contains(key.value) {
            if key.value == "<<" {
                error(YamlCodes.unknownKey, "merge key `<<` in \(what) is not supported by the import", at: key.span,
                      label: "merge key", help: ["write the merged keys out"])
            } else {
                error(YamlCodes.unknownKey, "unknown key `\(key.value)` in \(what)", at: key.span, label: "unknown key",
                      help: ["keys here: " + allowed.map { "`\($0)`" }.joined(separator: ", ")])
            }
        }
    }

    /// A mapping, nil when absent or null (reported when `required`: a null item of a list).
    mutating func mapping(_ node: YamlNode?, _ what: String, required: Bool = false) -> YamlMapping? {
        guard let node, !Self.isNull(node) else {
            if required, let node { return shape(node, "a mapping", what) }
            return nil
        }
        guard case .mapping(let m) = node else { return shape(node, "a mapping", what) }
        return m
    }

    /// A list's items, empty when absent or null.
    mutating func sequence(_ node: YamlNode?, _ what: String) -> [YamlNode] {
        guard let node, !Self.isNull(node) else { return [] }
        guard case .sequence(let items, _) = node else { return shape(node, "a list", what) ?? [] }
        return items
    }

    /// A scalar's text (numbers and booleans as written), nil when absent or null.
    mutating func string(_ node: YamlNode?, _ what: String) -> YamlScalar? {
        guard let node, !Self.isNull(node) else { return nil }
        guard case .scalar(let s) = node else { return shape(node, "a string", what) }
        return s
    }

    /// The items of a list of strings (a null item is the empty string, as in yaml.v2).
    mutating func strings(_ node: YamlNode?, _ what: String) -> [YamlScalar] {
        sequence(node, what).compactMap { item in
            if case .scalar(let s) = item { return s }
            return shape(item, "a string", "an item of \(what)")
        }
    }

    /// A string-to-string mapping (`match`, `match_re`).
    mutating func stringMap(_ node: YamlNode?, _ what: String) -> [(key: YamlScalar, value: YamlScalar)] {
        guard let m = mapping(node, what) else { return [] }
        return m.entries.compactMap { key, value in
            if Self.isNull(value) { return (key, YamlScalar(value: "", style: .plain, span: value.span)) }
            guard case .scalar(let s) = value else { return shape(value, "a string", "`\(key.value)` in \(what)") }
            return (key, s)
        }
    }

    /// yaml.v2's booleans: unquoted `true`/`false`, `yes`/`no`, `on`/`off`, `y`/`n` in lower,
    /// title or upper case; null is false; anything else (a quoted `"true"`, `1`) is an error.
    mutating func bool(_ node: YamlNode?, _ what: String) -> Bool {
        guard let node, !Self.isNull(node) else { return false }
        if case .scalar(let s) = node, s.isPlain {
            if Self.trueWords.contains(s.value) { return true }
            if Self.falseWords.contains(s.value) { return false }
        }
        error(YamlCodes.invalidValue, "\(what) must be `true` or `false`", at: node.span, label: "not a boolean",
              help: ["write `true` or `false`, unquoted"])
        return false
    }

    private static let trueWords: Set = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    private static let falseWords: Set = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]

    /// A duration (`group_wait` …), nil when absent or null or invalid (reported).
    mutating func duration(_ node: YamlNode?, _ key: String) -> AlertmanagerDuration? {
        guard let s = string(node, "`\(key)`") else { return nil }
        switch AlertmanagerDuration.parse(s.value) {
        case .success(let d): return d
        case .failure(let problem):
            error(YamlCodes.badDuration, "bad duration in `\(key)`: \(problem.reason)", at: s.span, label: "not a duration",
                  help: ["write whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. `30s`, `4h` or `1d12h`"])
            return nil
        }
    }

    /// A Prometheus label name (`match` keys, `group_by`, `equal`), reported when invalid.
    mutating func labelName(_ s: YamlScalar, _ what: String) -> Bool {
        guard AlertmanagerMatcher.isLabelName(s.value) else {
            error(YamlCodes.invalidValue, "invalid label name \(YamlEmitter.quoted(s.value)) in \(what)", at: s.span,
                  label: "not a label name", help: ["a label name is letters, digits and `_`, not starting with a digit"])
            return false
        }
        return true
    }

    private mutating func shape<T>(_ node: YamlNode, _ expected: String, _ what: String) -> T? {
        error(YamlCodes.shape, "\(what) must be \(expected), found \(node.kindName)", at: node.span, label: node.kindName)
        return nil
    }
}

/// Why a piece of Alertmanager syntax (a matcher, a duration) was rejected: the reason the
/// diagnostic shows.
struct ImportProblem: Error, ExpressibleByStringInterpolation {
    let reason: String
    init(stringLiteral value: String) { reason = value }
    init(stringInterpolation: DefaultStringInterpolation) { reason = String(stringInterpolation: stringInterpolation) }
}

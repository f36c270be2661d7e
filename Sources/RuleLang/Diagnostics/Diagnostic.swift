/// How serious a diagnostic is.
public enum DiagnosticSeverity: String, Sendable, Comparable {
    case error, warning

    public static func < (a: Self, b: Self) -> Bool { a == .error && b == .warning }
}

/// A stable diagnostic code from one phase's catalog (`E…` errors, `W…` warnings).
public struct DiagnosticCode: Hashable, Sendable {
    /// `E0201`, `W0003`, …
    public let id: String
    public let severity: DiagnosticSeverity
    /// A short title for docs, SARIF rules and `--explain`.
    public let title: String

    init(_ id: String, _ severity: DiagnosticSeverity, _ title: String) {
        self.id = id
        self.severity = severity
        self.title = title
    }
}

/// A secondary location shown under the primary one.
public struct DiagnosticNote: Sendable {
    public let span: SourceSpan
    public let label: String
}

/// One finding of any phase: data only; `DiagnosticRenderer` draws it.
public struct Diagnostic: Sendable {
    public let code: DiagnosticCode
    public var severity: DiagnosticSeverity
    /// Lowercase headline, no trailing period: what is wrong.
    public let message: String
    /// Where; nil only for diagnostics about a path that could not be read.
    public let span: SourceSpan?
    /// When there is no span: the path the diagnostic is about.
    public let path: String?
    /// Text shown under the carets.
    public let label: String?
    public var notes: [DiagnosticNote]
    /// `help:` lines: the fix.
    public var help: [String]

    init(_ code: DiagnosticCode, _ message: String, at span: SourceSpan?, label: String? = nil,
         notes: [DiagnosticNote] = [], help: [String] = [], path: String? = nil) {
        self.code = code
        self.severity = code.severity
        self.message = message
        self.span = span
        self.path = path ?? span?.file.path
        self.label = label
        self.notes = notes
        self.help = help
    }

    /// A run-time error of a rule (E0501) at `span`, for the same excerpt as a compile error.
    public static func runtime(_ message: String, rule: String, at span: SourceSpan?, path: String? = nil) -> Diagnostic {
        Diagnostic(RuntimeCodes.error, "\(message) in rule `\(rule)`", at: span, label: message,
                   help: ["the rule counts as not matched for this alert; guard the operation (e.g. `exists(…)`, a zero test) to avoid it"],
                   path: path)
    }

    /// Sort key: file, then position (ties: errors first, then the order found).
    var sortKey: (String, Int, String) { (path ?? "", span?.start ?? -1, code.id) }
}

extension Array where Element == Diagnostic {
    /// Diagnostics in file and position order (stable for ties).
    public func sortedByPosition() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let ka = a.element.sortKey, kb = b.element.sortKey
            if ka.0 != kb.0 { return ka.0 < kb.0 }
            if ka.1 != kb.1 { return ka.1 < kb.1 }
            if a.element.severity != b.element.severity { return a.element.severity < b.element.severity }
            return a.offset < b.offset
        }.map(\.element)
    }

    public var errorCount: Int { count { $0.severity == .error } }
    public var warningCount: Int { count { $0.severity == .warning } }
}

/// Edit distance for did-you-mean hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        }
        swap(&prev, &cur)
    }
    return prev[y.count]
}

/// The closest candidate within edit distance 2 (and less than the name's length), if any.
/// Candidates whose length differs by more than 2 are never measured, so a name of megabytes
/// costs one pass over the candidates, not its length times theirs.
func closest(to name: String, in candidates: some Sequence<String>) -> String? {
    var best: (String, Int)?
    let length = name.unicodeScalars.count, characters = name.count
    for c in candidates where c != name && abs(c.unicodeScalars.count - length) <= 2 {
        let d = editDistance(name, c)
        if d <= 2, d < max(characters, 2), best == nil || d < best!.1 || (d == best!.1 && c < best!.0) {
            best = (c, d)
        }
    }
    return best?.0
}

/// `help: did you mean \`x\`?` when a close candidate exists.
func didYouMean(_ name: String, in candidates: some Sequence<String>) -> [String] {
    closest(to: name, in: candidates).map { ["did you mean `\($0)`?"] } ?? []
}

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
    /// Lowercase headline, no trailing period: what is wrong. Quoted user text is capped
    /// (`QuotedText`).
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
        // User text quoted in any of these is capped here, once for every phase.
        self.message = QuotedText.capped(message)
        self.span = span
        self.path = path ?? span?.file.path
        self.label = label.map(QuotedText.capped)
        self.notes = notes.map { DiagnosticNote(span: $0.span, label: QuotedText.capped($0.label)) }
        self.help = help.map(QuotedText.capped)
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

/// Longest name (in Unicode scalars) a did-you-mean compares: identifiers and zone names are
/// far shorter, and a hostile 1 MB name would otherwise cost its length times every candidate.
let maxSuggestionLength = 64

/// Largest edit distance a did-you-mean suggests.
let maxSuggestionDistance = 2

/// Edit distance between `x` and `y` if it is at most `limit`, else nil. Only the diagonal band
/// of width `2 × limit + 1` is computed, and the rows stop as soon as every cell exceeds it.
func editDistance(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], limit: Int) -> Int? {
    guard abs(x.count - y.count) <= limit else { return nil }
    if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
    let over = limit + 1
    var prev = (0...y.count).map { $0 <= limit ? $0 : over }
    var cur = [Int](repeating: over, count: y.count + 1)
    for i in 1...x.count {
        let lo = max(1, i - limit), hi = min(y.count, i + limit)
        cur[lo - 1] = lo == 1 && i <= limit ? i : over
        var rowMin = cur[lo - 1]
        for j in lo...hi {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            let up = j <= i - 1 + limit ? prev[j] : over
            cur[j] = min(up + 1, cur[j - 1] + 1, prev[j - 1] + cost, over)
            rowMin = min(rowMin, cur[j])
        }
        if hi < y.count { cur[hi + 1] = over }
        if rowMin > limit { return nil }
        swap(&prev, &cur)
    }
    return prev[y.count] <= limit ? prev[y.count] : nil
}

/// The closest candidate within edit distance 2 (and less than the name's length), if any.
/// Names or candidates longer than `maxSuggestionLength` are never compared.
func closest(to name: String, in candidates: some Sequence<String>) -> String? {
    let x = Array(name.unicodeScalars.prefix(maxSuggestionLength + 1))
    guard x.count <= maxSuggestionLength else { return nil }
    var best: (String, Int)?
    for c in candidates where c != name {
        let y = Array(c.unicodeScalars.prefix(maxSuggestionLength + 1))
        guard y.count <= maxSuggestionLength, let d = editDistance(x, y, limit: maxSuggestionDistance) else { continue }
        if d < max(x.count, 2), best == nil || d < best!.1 || (d == best!.1 && c < best!.0) {
            best = (c, d)
        }
    }
    return best?.0
}

/// `help: did you mean \`x\`?` when a close candidate exists.
func didYouMean(_ name: String, in candidates: some Sequence<String>) -> [String] {
    closest(to: name, in: candidates).map { ["did you mean `\($0)`?"] } ?? []
}

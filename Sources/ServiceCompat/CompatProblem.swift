import RuleLang

/// Why a request in another product's protocol was refused: the HTTP status the route answers
/// with, the field (a path such as `0.labels.alertname` or `payload.summary`; nil for the
/// whole request) and a message naming what is wrong. The service renders it in its one error
/// shape, `{"error": {"code", "message", "field"}}`; a silence its compiler refused carries
/// the compiler's diagnostics too.
public struct CompatProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The statuses these translations refuse with.
    public enum Status: Int, Sendable {
        case badRequest = 400
        case notFound = 404
        case unprocessable = 422
    }

    public let status: Status
    public let field: String?
    public let message: String
    /// The checker's diagnostics, for a silence whose expression did not compile.
    public let diagnostics: [Diagnostic]

    public init(_ status: Status = .badRequest, field: String?, message: String, diagnostics: [Diagnostic] = []) {
        self.status = status
        self.field = field
        self.message = message
        self.diagnostics = diagnostics
    }

    public static func == (a: CompatProblem, b: CompatProblem) -> Bool {
        a.status == b.status && a.field == b.field && a.message == b.message && a.diagnostics.map(\.message) == b.diagnostics.map(\.message)
    }

    public var description: String { field.map { "`\($0)`: \(message)" } ?? message }
}

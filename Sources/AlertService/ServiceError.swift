import Foundation
import HTTPTypes

/// The one catalog of the service's HTTP errors: each code with its status. Every error answer
/// renders as `{"error": {"code", "message", "field"?}}`.
public enum ErrorCode: String, Sendable, CaseIterable {
    /// The body or a parameter is wrong (the message names the field).
    case badRequest = "bad_request"
    /// No `Authorization: Bearer` key, or one the keys file does not hold.
    case unauthorized
    /// A tenant route called with an admin key, or an admin route with a tenant key.
    case forbidden
    /// No such alert (or silence) for this tenant: another tenant's id answers this too.
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    /// The body is over the route's limit.
    case tooLarge = "too_large"
    /// A pack or silence that does not check.
    case rejected
    /// Over the tenant's rate or pending work (`Retry-After` says when to try again).
    case rateLimited = "rate_limited"
    /// The store is not open or a pack not loaded yet, or the tenant has no pack.
    case notReady = "not_ready"
    /// The store failed: nothing was acknowledged.
    case storeFailed = "store_failed"

    /// The status it answers with.
    public var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .tooLarge: .contentTooLarge
        case .rejected: .unprocessableContent
        case .rateLimited: .tooManyRequests
        case .notReady: .serviceUnavailable
        case .storeFailed: .internalServerError
        }
    }
}

/// An error answer: a code of the catalog, a message, the field it is about.
public struct ServiceError: Error, Sendable, Equatable {
    public let code: ErrorCode
    public let message: String
    public let field: String?
    /// Seconds, for `rateLimited`.
    public var retryAfter: Int?
    /// Details for `rejected` (diagnostics as JSON objects), rendered under `error.diagnostics`.
    public var diagnostics: [JSONObject] = []

    public init(_ code: ErrorCode, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// The JSON body.
    public var body: JSONObject {
        var e: JSONObject = ["code": .string(code.rawValue), "message": .string(message)]
        if let field { e["field"] = .string(field) }
        if !diagnostics.isEmpty { e["diagnostics"] = .array(diagnostics.map(JSONOut.object)) }
        return ["error": .object(e)]
    }
}

import Foundation
import RuleText
import RuleVM

/// Reads and validates an alert in its JSON form (spec section 2): labels (with `alertname`,
/// keys `[A-Za-z_][A-Za-z0-9_]*`), annotations, severity, value, starts_at, ends_at, source,
/// fingerprint, within the limits. Nothing is ignored: a field of the wrong type, an unknown
/// field, a value over a limit is a `Problem` naming the field (what the service answers 400
/// with).
public enum AlertJSON {
    /// Spec section 2's limits (configurable, with these defaults).
    public struct Limits: Sendable {
        public var maxLabels = 64
        public var maxAnnotations = 64
        public var maxNameBytes = 1024
        public var maxValueBytes = 4 * 1024
        public var maxAnnotationBytes = 64 * 1024
        public var maxBodyBytes = 1024 * 1024
        public init() {}
    }

    /// What is wrong with an alert, by field: `field` is a path (`labels.env`, `severity`, or
    /// `(body)` for the whole text); `expected` and `found` are set when the field has the wrong
    /// type or value (`a string`, `a number`).
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let field: String
        public let message: String
        public let expected: String?
        public let found: String?

        public init(field: String, message: String, expected: String? = nil, found: String? = nil) {
            self.field = field
            self.message = message
            self.expected = expected
            self.found = found
        }

        /// A field whose JSON value is not of the `expected` kind.
        static func wrongType(_ field: String, expected: String, found value: Any) -> Problem {
            let kind = AlertJSON.kind(of: value)
            return Problem(field: field, message: "must be \(expected), found \(kind)", expected: expected, found: kind)
        }

        public var description: String { "`\(field)`: \(message)" }
    }

    static let severities = CanonicalText.severityNames
    static let known: Set<String> = ["labels", "annotations", "severity", "value", "starts_at", "ends_at", "source", "fingerprint"]

    /// The kind of a value JSONSerialization made, as messages name it.
    package static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case is String: return "a string"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case let n as NSNumber: return isBoolean(n) ? "a boolean" : "a number"
        default: return "an unknown value"
        }
    }

    /// Whether JSONSerialization read `true` or `false` (`n is Bool` holds for the numbers 0 and
    /// 1 too; a boolean's storage type is `char`).
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    public static func parse(_ text: String, tenant: String, tier: String, limits: Limits = Limits()) -> Result<AlertInput, Problem> {
        guard text.utf8.count <= limits.maxBodyBytes else {
            return .failure(Problem(field: "(body)", message: "\(text.utf8.count) bytes, over the limit of \(limits.maxBodyBytes)"))
        }
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) else {
            return .failure(Problem(field: "(body)", message: "not JSON"))
        }
        guard let o = object as? [String: Any] else { return .failure(.wrongType("(body)", expected: "an object", found: object)) }
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) {
            return .failure(Problem(field: unknown, message: "unknown field (known: \(known.sorted().joined(separator: ", ")))"))
        }
        do {
            return .success(try read(o, tenant: tenant, tier: tier, limits: limits))
        } catch {
            return .failure(error)
        }
    }

    /// An alert from an object JSONSerialization made, its keys already checked against `known`:
    /// the validation `parse` applies, for callers that read another product's form first (the
    /// service's Alertmanager ingest renames its fields to these).
    package static func read(_ o: [String: Any], tenant: String, tier: String, limits: Limits) throws(Problem) -> AlertInput {
        func string(_ key: String) throws(Problem) -> String? {
            guard let v = o[key] else { return nil }
            guard let s = v as? String else { throw .wrongType(key, expected: "a string", found: v) }
            guard !s.utf8.contains(0) else { throw Problem(field: key, message: "contains a NUL character") }
            return s
        }
        func time(_ key: String) throws(Problem) -> Int64? {
            guard let v = o[key] else { return nil }
            guard let text = v as? String else { throw .wrongType(key, expected: "an RFC 3339 time", found: v) }
            guard let ms = parseRFC3339(text) else {
                throw Problem(field: key, message: "must be an RFC 3339 time such as 2026-01-01T00:00:00Z, found `\(text.prefix(64))`",
                              expected: "an RFC 3339 time", found: "a string")
            }
            return ms
        }
        guard let labelsValue = o["labels"] else { throw Problem(field: "labels", message: "required") }
        let labels = try strings(labelsValue, "labels", count: limits.maxLabels, valueBytes: limits.maxValueBytes, limits: limits)
        guard labels["alertname"] != nil else { throw Problem(field: "labels.alertname", message: "required") }
        let annotations = try o["annotations"].map { v throws(Problem) in
            try strings(v, "annotations", count: limits.maxAnnotations, valueBytes: limits.maxAnnotationBytes, limits: limits)
        } ?? [:]
        var severity: UInt8 = 1
        if let s = o["severity"] {
            guard let name = s as? String else { throw .wrongType("severity", expected: "a severity name", found: s) }
            guard let i = severities.firstIndex(of: name) else {
                throw Problem(field: "severity", message: "must be one of info, warning, error, critical, found `\(name.prefix(64))`",
                              expected: "a severity name", found: "a string")
            }
            severity = UInt8(i)
        } else if let name = labels["severity"], let i = severities.firstIndex(of: name) {
            severity = UInt8(i)
        }
        var value: Double?
        if let v = o["value"] {
            guard let n = v as? NSNumber, !isBoolean(n) else { throw .wrongType("value", expected: "a number", found: v) }
            value = n.doubleValue
        }
        let startsAt = try time("starts_at") ?? 0
        let endsAt = try time("ends_at")
        let source = try string("source")
        let fingerprint = try string("fingerprint") ?? ""
        var input = AlertInput(labels: labels, annotations: annotations, severity: severity, value: value,
                               startsAt: startsAt, source: source, fingerprint: fingerprint, tenant: tenant, tier: tier)
        input.endsAt = endsAt
        return input
    }

    /// `labels` or `annotations`: an object of strings, names `[A-Za-z_][A-Za-z0-9_]*` (labels)
    /// or any text (annotations), within the counts and sizes of `limits`; the first problem in
    /// name order.
    static func strings(_ v: Any, _ key: String, count: Int, valueBytes: Int, limits: Limits) throws(Problem) -> [String: String] {
        guard let m = v as? [String: Any] else { throw .wrongType(key, expected: "an object of strings", found: v) }
        guard m.count <= count else { throw Problem(field: key, message: "\(m.count) \(key), over the limit of \(count)") }
        var out: [String: String] = [:]
        for (k, x) in m.sorted(by: { $0.key < $1.key }) {
            guard k.utf8.count <= limits.maxNameBytes else {
                throw Problem(field: "\(key).\(k.prefix(64))…", message: "a name of \(k.utf8.count) bytes, over the limit of \(limits.maxNameBytes)")
            }
            let field = "\(key).\(k)"
            guard key != "labels" || LabelNames.isValid(k) else { throw Problem(field: field, message: "a label name is `[A-Za-z_][A-Za-z0-9_]*`") }
            guard !k.utf8.contains(0) else { throw Problem(field: field, message: "the name contains a NUL character") }
            guard let s = x as? String else { throw .wrongType(field, expected: "a string", found: x) }
            guard s.utf8.count <= valueBytes else { throw Problem(field: field, message: "\(s.utf8.count) bytes, over the limit of \(valueBytes)") }
            guard !s.utf8.contains(0) else { throw Problem(field: field, message: "contains a NUL character") }
            out[k] = s
        }
        return out
    }
}

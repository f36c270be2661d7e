import Foundation
import RuleLang
import RuleText
import RuleVM

/// Reads and validates an alert in its JSON form (spec section 2): labels (with `alertname`,
/// keys `[A-Za-z_][A-Za-z0-9_]*`), annotations, severity, value, starts_at, ends_at, source,
/// fingerprint, within the limits; a problem names the field.
public enum AlertJSON {
    /// Spec section 2's limits (configurable, with these defaults).
    public struct Limits: Sendable {
        public var maxLabels = 64
        public var maxValueBytes = 4 * 1024
        public var maxBodyBytes = 1024 * 1024
        public init() {}
    }

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "`\(field)`: \(message)" }
    }

    static let severities = CanonicalText.severityNames

    public static func parse(_ text: String, tenant: String, tier: String, limits: Limits = Limits()) -> Result<AlertInput, Problem> {
        guard text.utf8.count <= limits.maxBodyBytes else {
            return .failure(Problem(field: "(body)", message: "\(text.utf8.count) bytes, over the limit of \(limits.maxBodyBytes)"))
        }
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data),
              let o = object as? [String: Any] else {
            return .failure(Problem(field: "(body)", message: "not a JSON object"))
        }
        let known: Set<String> = ["labels", "annotations", "severity", "value", "starts_at", "ends_at", "source", "fingerprint"]
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) {
            return .failure(Problem(field: unknown, message: "unknown field"))
        }
        func strings(_ key: String) -> Result<[String: String], Problem> {
            guard let v = o[key] else { return .success([:]) }
            guard let m = v as? [String: Any] else { return .failure(Problem(field: key, message: "must be an object of strings")) }
            var out: [String: String] = [:]
            for (k, x) in m {
                guard let s = x as? String else { return .failure(Problem(field: "\(key).\(k)", message: "must be a string")) }
                out[k] = s
            }
            return .success(out)
        }
        let labels: [String: String], annotations: [String: String]
        switch strings("labels") { case .success(let l): labels = l; case .failure(let p): return .failure(p) }
        switch strings("annotations") { case .success(let a): annotations = a; case .failure(let p): return .failure(p) }
        guard o["labels"] != nil else { return .failure(Problem(field: "labels", message: "required")) }
        guard labels["alertname"] != nil else { return .failure(Problem(field: "labels.alertname", message: "required")) }
        guard labels.count <= limits.maxLabels else {
            return .failure(Problem(field: "labels", message: "\(labels.count) labels, over the limit of \(limits.maxLabels)"))
        }
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) {
            guard PackChecker.isLabelName(k) else { return .failure(Problem(field: "labels.\(k)", message: "a label name is `[A-Za-z_][A-Za-z0-9_]*`")) }
            guard v.utf8.count <= limits.maxValueBytes else {
                return .failure(Problem(field: "labels.\(k)", message: "\(v.utf8.count) bytes, over the limit of \(limits.maxValueBytes)"))
            }
            guard !v.utf8.contains(0) else { return .failure(Problem(field: "labels.\(k)", message: "contains a NUL character")) }
        }
        var severity: UInt8 = 1
        if let s = o["severity"] {
            guard let name = s as? String, let i = severities.firstIndex(of: name) else {
                return .failure(Problem(field: "severity", message: "must be one of info, warning, error, critical"))
            }
            severity = UInt8(i)
        } else if let name = labels["severity"], let i = severities.firstIndex(of: name) {
            severity = UInt8(i)
        }
        var value: Double?
        if let v = o["value"] {
            guard let n = v as? NSNumber, !(v is Bool) else { return .failure(Problem(field: "value", message: "must be a number")) }
            value = n.doubleValue
        }
        var startsAt: Int64 = 0
        if let s = o["starts_at"] {
            guard let text = s as? String, let ms = parseRFC3339(text) else {
                return .failure(Problem(field: "starts_at", message: "must be an RFC 3339 time"))
            }
            startsAt = ms
        }
        var endsAt: Int64?
        if let s = o["ends_at"] {
            guard let text = s as? String, let ms = parseRFC3339(text) else {
                return .failure(Problem(field: "ends_at", message: "must be an RFC 3339 time"))
            }
            endsAt = ms
        }
        var input = AlertInput(labels: labels, annotations: annotations, severity: severity, value: value,
                               startsAt: startsAt, source: o["source"] as? String,
                               fingerprint: o["fingerprint"] as? String ?? "", tenant: tenant, tier: tier)
        input.endsAt = endsAt
        return .success(input)
    }
}

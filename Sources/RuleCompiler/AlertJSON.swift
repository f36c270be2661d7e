import Foundation
import RuleText
import RuleVM

/// Reads an alert from its JSON form (spec section 2) for `rulec eval`: labels (with
/// `alertname`), annotations, severity, value, starts_at, source, fingerprint.
public enum AlertJSON {
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "`\(field)`: \(message)" }
    }

    static let severities = ["info", "warning", "error", "critical"]

    public static func parse(_ text: String, tenant: String, tier: String) -> Result<AlertInput, Problem> {
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
        return .success(AlertInput(labels: labels, annotations: annotations, severity: severity, value: value,
                                   startsAt: startsAt, source: o["source"] as? String,
                                   fingerprint: o["fingerprint"] as? String ?? "", tenant: tenant, tier: tier))
    }
}

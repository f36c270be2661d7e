import AlertEngine
import Foundation
import RuleRuntime
import RuleText
import RuleVM

extension PagerDuty {
    /// What an event asks of the engine. Every action names its alert by the fingerprint of its
    /// dedup key (`fingerprint(ofDedupKey:)`), so an acknowledge or resolve finds exactly the
    /// alert its trigger opened (and nothing when none is open, as PagerDuty drops it).
    public enum Action: Sendable {
        /// A new alert, or an update of the open one with the same dedup key.
        case trigger(AlertInput)
        /// `EngineEvent.acknowledge(fingerprint)`.
        case acknowledge(fingerprint: String)
        /// `EngineEvent.resolve(fingerprint)`.
        case resolve(fingerprint: String)
    }

    /// A valid event: the action and the dedup key to answer with.
    public struct Enqueued: Sendable {
        public let action: Action
        public let dedupKey: String
        public var response: Accepted { Accepted(dedupKey: dedupKey) }
    }

    /// The fields of an event and of its payload; others are refused, as unknown.
    static let eventFields: Set<String> = ["routing_key", "event_action", "dedup_key", "payload", "links", "images", "client", "client_url"]
    static let payloadFields: Set<String> = ["summary", "source", "severity", "timestamp", "component", "group", "class", "custom_details"]
    static let severities = ["critical", "error", "warning", "info"]

    /// The engine fingerprint standing for dedup key `key`: the fingerprint of the one label
    /// `dedup_key` (16 hex digits, so it never collides with an alert name the engine's
    /// acknowledge and resolve also accept).
    public static func fingerprint(ofDedupKey key: String) -> String { Fingerprint.of(["dedup_key": key]) }

    /// Reads a `POST /v2/enqueue` body received at `now`, validated as PagerDuty documents it:
    /// `routing_key` of 32 characters; `event_action` trigger, acknowledge or resolve;
    /// `dedup_key` at most 255 characters, required to acknowledge or resolve (a trigger
    /// without one gets `newDedupKey`); a trigger's `payload` with a non-blank `summary` of at
    /// most 1024 characters, a non-blank `source` and a `severity` of critical, error, warning
    /// or info; `timestamp` ISO 8601; `links` with `href`, `images` with `src`. Every problem is
    /// listed in the 400's `errors`.
    ///
    /// A trigger becomes an alert with labels `alertname` (the payload's `class`, else
    /// `pagerduty`), `source`, `severity`, `dedup_key` and, when given, `component`, `group`
    /// and `class`; annotations `summary` and, when given, `client`, `client_url` and
    /// `custom_details`, `links`, `images` as compact JSON; `startsAt` the timestamp or `now`.
    /// The routing key is checked, not stored: the tenant comes from the bearer key.
    public static func readEvent(_ body: String, now: Int64, newDedupKey: String, tenant: String, tier: String,
                                 limits: AlertJSON.Limits = AlertJSON.Limits()) -> Result<Enqueued, Invalid> {
        guard body.utf8.count <= limits.maxBodyBytes else {
            return .failure(Invalid(errors: ["Event is \(body.utf8.count) bytes, over the limit of \(limits.maxBodyBytes)"]))
        }
        guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data),
              let o = object as? [String: Any] else {
            return .failure(Invalid(errors: ["Event must be a JSON object"]))
        }
        var errors: [String] = []
        for unknown in o.keys.sorted() where !eventFields.contains(unknown) { errors.append("'\(unknown)' is not a known field") }
        let routingKey = text(o, "routing_key", &errors)
        if let routingKey {
            if routingKey.trimmingCharacters(in: .whitespaces).isEmpty {
                errors.append("'routing_key' is missing or blank")
            } else if routingKey.count != 32 {
                errors.append("Length of 'routing_key' is incorrect (should be 32 characters)")
            }
        } else if o["routing_key"] == nil { errors.append("'routing_key' is missing or blank") }
        let action = text(o, "event_action", &errors)
        if let action, !["trigger", "acknowledge", "resolve"].contains(action) {
            errors.append("'event_action' is invalid (must be one of trigger, acknowledge, resolve)")
        } else if action == nil, o["event_action"] == nil { errors.append("'event_action' is missing or blank") }
        let dedup = text(o, "dedup_key", &errors)
        if let dedup, dedup.count > 255 { errors.append("Length of 'dedup_key' is too long (maximum is 255 characters)") }
        if action == "acknowledge" || action == "resolve", dedup?.isEmpty ?? true {
            errors.append("'dedup_key' is missing or blank (required to \(action ?? ""))")
        }
        let client = text(o, "client", &errors), clientURL = text(o, "client_url", &errors)
        let links = objects(o, "links", required: "href", &errors), images = objects(o, "images", required: "src", &errors)
        var native: [String: Any] = [:]
        if action == "trigger" || action == nil {
            native = trigger(o["payload"], &errors)
        }
        guard errors.isEmpty, let action else { return .failure(Invalid(errors: errors)) }
        let key = dedup.flatMap { $0.isEmpty ? nil : $0 } ?? newDedupKey
        let fingerprint = fingerprint(ofDedupKey: key)
        switch action {
        case "acknowledge": return .success(Enqueued(action: .acknowledge(fingerprint: fingerprint), dedupKey: key))
        case "resolve": return .success(Enqueued(action: .resolve(fingerprint: fingerprint), dedupKey: key))
        default: break
        }
        var labels = native["labels"] as? [String: Any] ?? [:]
        labels["dedup_key"] = key
        native["labels"] = labels
        var annotations = native["annotations"] as? [String: Any] ?? [:]
        annotations["client"] = client
        annotations["client_url"] = clientURL
        annotations["links"] = links.map(compactJSON)
        annotations["images"] = images.map(compactJSON)
        native["annotations"] = annotations
        do {
            var input = try AlertJSON.read(native, tenant: tenant, tier: tier, limits: limits)
            if native["starts_at"] == nil { input.startsAt = now }
            input.fingerprint = fingerprint
            return .success(Enqueued(action: .trigger(input), dedupKey: key))
        } catch {
            return .failure(Invalid(errors: ["'\(error.field)' \(error.message)"]))
        }
    }

    /// A trigger's payload checked, as the native reader's fields.
    static func trigger(_ value: Any?, _ errors: inout [String]) -> [String: Any] {
        guard let value else {
            errors.append("'payload' is missing (required to trigger)")
            return [:]
        }
        guard let p = value as? [String: Any] else {
            errors.append("'payload' must be an object")
            return [:]
        }
        for unknown in p.keys.sorted() where !payloadFields.contains(unknown) { errors.append("'payload.\(unknown)' is not a known field") }
        func field(_ name: String) -> String? { text(p, name, &errors, prefix: "payload.") }
        let summary = field("summary"), source = field("source"), severity = field("severity")
        let timestamp = field("timestamp"), component = field("component"), group = field("group"), eventClass = field("class")
        if summary?.trimmingCharacters(in: .whitespaces).isEmpty ?? (p["summary"] == nil) {
            errors.append("'payload.summary' is missing or blank")
        } else if let summary, summary.count > 1024 {
            errors.append("Length of 'payload.summary' is too long (maximum is 1024 characters)")
        }
        if source?.trimmingCharacters(in: .whitespaces).isEmpty ?? (p["source"] == nil) { errors.append("'payload.source' is missing or blank") }
        if let severity, !severities.contains(severity) {
            errors.append("'payload.severity' is invalid (must be one of critical, error, warning, info)")
        } else if severity == nil, p["severity"] == nil { errors.append("'payload.severity' is missing or blank") }
        var native: [String: Any] = [:]
        if let timestamp {
            if let ms = iso8601(timestamp) { native["starts_at"] = formatRFC3339(ms) } else {
                errors.append("'payload.timestamp' is not a valid ISO 8601 time")
            }
        }
        var labels: [String: Any] = ["alertname": eventClass ?? "pagerduty"]
        labels["source"] = source
        labels["severity"] = severity
        labels["component"] = component
        labels["group"] = group
        labels["class"] = eventClass
        native["labels"] = labels
        native["source"] = source
        var annotations: [String: Any] = [:]
        annotations["summary"] = summary
        if let details = p["custom_details"] {
            if details is [String: Any] { annotations["custom_details"] = compactJSON(details) } else {
                errors.append("'payload.custom_details' must be an object")
            }
        }
        native["annotations"] = annotations
        return native
    }

    /// `o[key]` when it is a string; a problem when it is present and not one.
    static func text(_ o: [String: Any], _ key: String, _ errors: inout [String], prefix: String = "") -> String? {
        guard let v = o[key], !(v is NSNull) else { return nil }
        guard let s = v as? String else {
            errors.append("'\(prefix)\(key)' must be a string")
            return nil
        }
        return s
    }

    /// A list of objects each with a string `required` field (`links` and `href`, `images` and `src`).
    static func objects(_ o: [String: Any], _ key: String, required: String, _ errors: inout [String]) -> [Any]? {
        guard let v = o[key], !(v is NSNull) else { return nil }
        guard let list = v as? [Any] else {
            errors.append("'\(key)' must be a list")
            return nil
        }
        for (i, item) in list.enumerated() {
            guard let m = item as? [String: Any], m[required] is String else {
                errors.append("'\(key)[\(i)].\(required)' is missing")
                continue
            }
        }
        return list
    }

    /// JSON text with sorted keys, for values kept as annotations.
    static func compactJSON(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// ISO 8601 as PagerDuty's examples write it: RFC 3339, or with an offset without a colon
    /// (`2015-07-17T08:42:58.315+0000`).
    static func iso8601(_ text: String) -> Int64? {
        if let ms = parseRFC3339(text) { return ms }
        let u = Array(text.utf8)
        guard u.count > 5, u[u.count - 5] == UInt8(ascii: "+") || u[u.count - 5] == UInt8(ascii: "-"),
              u[(u.count - 4)...].allSatisfy({ (48...57).contains($0) }) else { return nil }
        return parseRFC3339(String(text.dropLast(2)) + ":" + String(text.suffix(2)))
    }
}

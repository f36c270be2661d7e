import AlertEngine
import Foundation
import RuleVM
import ServiceStore

/// The JSON form of alerts, timelines and ingest results in the API.
enum AlertView {
    /// An alert as the API shows it.
    static func alert(_ a: EngineAlert) -> JSONObject {
        var o: JSONObject = [
            "id": .string(String(a.id)),
            "fingerprint": .string(a.fingerprint),
            "status": .string(a.status.rawValue),
            "severity": .string(severityName(Int(a.severity))),
            "labels": .object(a.labels.dictionary.mapValues(JSONOut.string)),
            "annotations": .object(a.annotations.dictionary.mapValues(JSONOut.string)),
            "starts_at": .string(rfc3339(a.startsAt)),
            "routes": .array(a.routes.map(JSONOut.string)),
            "suppressed_by": .optional(a.suppressedBy),
            "notified": .bool(a.notified),
        ]
        if let d = a.derivedBy { o["derived_by"] = .string(d) }
        if let s = a.source { o["source"] = .string(s) }
        if let v = a.value { o["value"] = .double(v) }
        return o
    }

    /// An alert from its read-model row (the engine's record, as stored).
    static func alert(_ row: AlertRow) -> JSONObject {
        guard let a = try? JSONDecoder().decode(EngineAlert.self, from: Data(row.record.utf8)) else {
            return ["id": .string(String(row.id)), "fingerprint": .string(row.fingerprint), "status": .string(row.status)]
        }
        return alert(a)
    }

    static func timeline(_ rows: [TimelineRow]) -> JSONOut {
        .array(rows.map { .object(["at": .string(rfc3339($0.at)), "kind": .string($0.kind), "detail": .string($0.detail)]) })
    }

    /// What `POST /api/v1/critical-alerts` answers for one alert.
    static func ingest(_ r: IngestResult) -> JSONObject {
        let notifications = JSONOut.array(r.notifications.map {
            var n: JSONObject = ["id": .string($0.id.description), "channel": .string($0.channel), "alert": .string(String($0.alertID)),
                                 "kind": .string($0.kind)]
            if let l = $0.level { n["level"] = .int(l) }
            return .object(n)
        })
        guard let a = r.alert else {
            // `ends_at` in the past for no open alert: nothing to resolve.
            return ["id": .null, "fingerprint": .null, "status": .string("resolved"), "routes": .array([]), "suppressed_by": .null,
                    "notifications": notifications]
        }
        return ["id": .string(String(a.id)), "fingerprint": .string(a.fingerprint), "status": .string(a.status.rawValue),
                "routes": .array(a.routes.map(JSONOut.string)), "suppressed_by": .optional(a.suppressedBy), "notifications": notifications]
    }

    static func severityName(_ s: Int) -> String {
        let names = CanonicalText.severityNames
        return s >= 0 && s < names.count ? names[s] : String(s)
    }

    /// `ms` since the epoch as RFC 3339 UTC with milliseconds.
    static func rfc3339(_ ms: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

import AlertEngine
import Foundation
import RuleRuntime
import RuleText
import RuleVM

extension Alertmanager {
    /// One posted alert as the engine takes it: a firing alert, or the resolution of the open
    /// alert with the same labels.
    public struct IngestItem: Sendable {
        /// The alert input (`labels`, `annotations`, `startsAt`; `generatorURL` as its `source`;
        /// `endsAt` kept).
        public let input: AlertInput
        /// The fingerprint of its labels: the alert it updates or resolves.
        public let fingerprint: String
        /// Whether `endsAt` is not after the time of receipt. Alertmanager reads such an alert as
        /// resolved; the engine does the same with the input (`endsAt` at or before `now`
        /// resolves the open alert of that fingerprint, and is ignored when none is open).
        public let resolves: Bool
    }

    /// The fields of `postableAlert`; any other is refused, naming it.
    static let postableFields: Set<String> = ["labels", "annotations", "startsAt", "endsAt", "generatorURL"]

    /// Reads a `POST /api/v2/alerts` body (a JSON array of `postableAlert`) received at `now`.
    /// The whole batch is refused at the first bad item, as Alertmanager refuses it; the
    /// problem's field starts with the item's index (`1.labels.alertname`, `0.endsAt`). A
    /// missing or zero `startsAt` is `now`, as Alertmanager sets it; Go's zero time as `endsAt`
    /// (what `amtool` sends without `--end`) is no end. Labels and annotations are checked by
    /// the native reader with its limits (`alertname` required, names `[A-Za-z_][A-Za-z0-9_]*`);
    /// a batch holds at most `maxAlerts`, the native bulk route's limit.
    public static func readAlerts(_ body: String, now: Int64, tenant: String, tier: String, limits: AlertJSON.Limits = AlertJSON.Limits(),
                                  maxAlerts: Int = 10_000) -> Result<[IngestItem], CompatProblem> {
        guard body.utf8.count <= limits.maxBodyBytes else {
            return .failure(CompatProblem(field: nil, message: "\(body.utf8.count) bytes, over the limit of \(limits.maxBodyBytes)"))
        }
        guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) else {
            return .failure(CompatProblem(field: nil, message: "not JSON"))
        }
        guard let list = object as? [Any] else {
            return .failure(CompatProblem(field: nil, message: "must be a list of alerts, found \(AlertJSON.kind(of: object))"))
        }
        guard list.count <= maxAlerts else {
            return .failure(CompatProblem(field: nil, message: "\(list.count) alerts, over the limit of \(maxAlerts) per request"))
        }
        var items: [IngestItem] = []
        items.reserveCapacity(list.count)
        for (index, element) in list.enumerated() {
            switch readAlert(element, now: now, tenant: tenant, tier: tier, limits: limits) {
            case .success(let item): items.append(item)
            case .failure(let problem):
                let field = problem.field.map { "\(index).\($0)" } ?? "\(index)"
                return .failure(CompatProblem(field: field, message: problem.message))
            }
        }
        return .success(items)
    }

    /// One `postableAlert` object; the problem's field is relative to the item.
    static func readAlert(_ element: Any, now: Int64, tenant: String, tier: String,
                          limits: AlertJSON.Limits) -> Result<IngestItem, CompatProblem> {
        guard let o = element as? [String: Any] else {
            return .failure(CompatProblem(field: nil, message: "must be an alert object, found \(AlertJSON.kind(of: element))"))
        }
        if let unknown = o.keys.sorted().first(where: { !postableFields.contains($0) }) {
            return .failure(CompatProblem(field: unknown, message: "unknown field (known: \(postableFields.sorted().joined(separator: ", ")))"))
        }
        // The native reader's names for the same fields; Go's zero time is no time at all.
        var native: [String: Any] = [:]
        native["labels"] = o["labels"]
        native["annotations"] = o["annotations"]
        native["source"] = o["generatorURL"]
        for (key, nativeKey) in [("startsAt", "starts_at"), ("endsAt", "ends_at")] {
            guard let v = o[key] else { continue }
            if let text = v as? String, parseRFC3339(text) == CompatTime.goZero { continue }
            native[nativeKey] = v
        }
        let renamed = ["starts_at": "startsAt", "ends_at": "endsAt", "source": "generatorURL"]
        var input: AlertInput
        do {
            input = try AlertJSON.read(native, tenant: tenant, tier: tier, limits: limits)
        } catch {
            let head = error.field.split(separator: ".", maxSplits: 1).first.map(String.init) ?? error.field
            let field = renamed[head].map { $0 + error.field.dropFirst(head.count) } ?? error.field
            return .failure(CompatProblem(field: field, message: error.message))
        }
        if native["starts_at"] == nil { input.startsAt = now }
        if let end = input.endsAt, end < input.startsAt {
            return .failure(CompatProblem(field: "endsAt", message: "start time must be before end time"))
        }
        return .success(IngestItem(input: input, fingerprint: Fingerprint.of(input.labels), resolves: input.endsAt.map { $0 <= now } ?? false))
    }
}

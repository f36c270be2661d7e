import Foundation
import RuleLang

extension Alertmanager {
    /// The query of `GET /api/v2/alerts`, applied as Alertmanager applies it: `active`,
    /// `silenced`, `inhibited` and `unprocessed` (each default true) keep or drop alerts of that
    /// status; every `filter=` matcher must hold on the labels (a missing label reads as ""); and
    /// `receiver=` is a regex that must match the whole name of at least one receiver. The
    /// result is sorted by fingerprint, as Alertmanager sorts it.
    public struct AlertQuery: Sendable {
        public var active = true
        public var silenced = true
        public var inhibited = true
        public var unprocessed = true
        let filter: [MatcherTest]
        let receiver: NSRegularExpression?

        /// The query from its parameters (name, value), repeated names kept in order. Unknown
        /// names are ignored, as Alertmanager ignores them; a bad boolean, matcher or regex is a
        /// 400 naming the parameter.
        public init(parameters: [(name: String, value: String)]) throws(CompatProblem) {
            var filter: [MatcherTest] = []
            var receiver: NSRegularExpression?
            for (name, value) in parameters {
                switch name {
                case "active": active = try Alertmanager.bool(value, name)
                case "silenced": silenced = try Alertmanager.bool(value, name)
                case "inhibited": inhibited = try Alertmanager.bool(value, name)
                case "unprocessed": unprocessed = try Alertmanager.bool(value, name)
                case "filter":
                    switch MatcherCondition.parse(value) {
                    case .success(let m): filter.append(try MatcherTest(m))
                    case .failure(let e): throw CompatProblem(field: "filter", message: e.reason)
                    }
                case "receiver": receiver = try MatcherTest.anchored(value, field: "receiver")
                default: continue
                }
            }
            self.filter = filter
            self.receiver = receiver
        }

        /// Whether the query keeps `alert`.
        public func includes(_ alert: GettableAlert) -> Bool {
            if let receiver, !alert.receivers.contains(where: { MatcherTest.wholeMatch(receiver, $0.name) }) { return false }
            let status = alert.status
            if !active && status.state == .active { return false }
            if !unprocessed && status.state == .unprocessed { return false }
            if !silenced && !status.silencedBy.isEmpty { return false }
            if !inhibited && !status.inhibitedBy.isEmpty { return false }
            return filter.allSatisfy { $0.matches(labels: alert.labels) }
        }

        /// The alerts the query keeps, by fingerprint.
        public func apply(_ alerts: [GettableAlert]) -> [GettableAlert] {
            alerts.filter(includes).sorted { $0.fingerprint < $1.fingerprint }
        }
    }

    /// Go's `strconv.ParseBool`, which Alertmanager's query parser uses.
    static func bool(_ text: String, _ name: String) throws(CompatProblem) -> Bool {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: throw CompatProblem(field: name, message: "must be true or false, found `\(text.prefix(64))`")
        }
    }
}

import Foundation
import RuleRuntime

/// What came back from one attempt.
public enum AttemptResult: Sendable, Equatable {
    case response(status: Int, headers: [HTTPHeader], body: [UInt8])
    /// No answer within the attempt's timeout.
    case timeout
    /// No connection (refused, reset, DNS): the remote is unreachable.
    case unreachable(String)
}

/// What to do after an attempt.
public enum Verdict: Sendable, Equatable {
    case delivered
    /// Try again; `afterMs`: the wait the remote asked for (`Retry-After`, Slack's `retry_after`).
    case retry(afterMs: Int64?)
    /// Never retried: the remote refused the request itself.
    case final(String)
}

/// What the attempt says about the endpoint's health, for its circuit breaker.
public enum BreakerSignal: Sendable, Equatable {
    /// It answered (even a refusal of the payload: the endpoint is up).
    case success
    /// Timeout, no connection, 5xx.
    case failure
    /// Rate limited: says nothing about health.
    case neutral
}

/// Classifies responses by each product's documented behaviour.
public enum ResponseClassifier {
    /// The verdict and breaker signal for `result` from a channel of `kind` at `now`.
    public static func classify(_ result: AttemptResult, kind: ChannelKind, now: Int64) -> (Verdict, BreakerSignal) {
        switch result {
        case .timeout, .unreachable:
            return (.retry(afterMs: nil), .failure)
        case .response(let status, let headers, let body):
            let hint = retryHint(headers, body, kind: kind, now: now)
            switch status {
            case 200..<300:
                // A legacy Teams connector answers 200 and reports its throttling in the body.
                if kind == .teams && status == 200 && legacyTeamsThrottled(body) { return (.retry(afterMs: hint), .neutral) }
                return (.delivered, .success)
            case 429:
                return (.retry(afterMs: hint), .neutral)
            case 500..<600:
                return (.retry(afterMs: hint), .failure)
            case 400..<500:
                return (.final("HTTP \(status)\(reason(body))"), .success)
            default:
                return (.final("unexpected HTTP \(status)"), .failure)
            }
        }
    }

    /// `Retry-After`, else Slack's `retry_after` (seconds) in a JSON body.
    static func retryHint(_ headers: [HTTPHeader], _ body: [UInt8], kind: ChannelKind, now: Int64) -> Int64? {
        if let h = headers.first(where: { $0.name.lowercased() == "retry-after" }), let ms = RetryAfter.parse(h.value, now: now) { return ms }
        guard kind == .slack, body.first == UInt8(ascii: "{"),
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let seconds = (object["retry_after"] as? NSNumber)?.doubleValue, seconds.isFinite, seconds >= 0 else { return nil }
        return Int64(min(seconds, 86_400) * 1000)
    }

    /// A legacy connector's 200 whose text carries "429" (e.g. "Microsoft Teams endpoint
    /// returned HTTP error 429").
    static func legacyTeamsThrottled(_ body: [UInt8]) -> Bool {
        String(decoding: body.prefix(4096), as: UTF8.self).contains("429")
    }

    /// The body's first line, short, for the delivery record.
    static func reason(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(512), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? "" : ": " + TextLimit.truncate(text, to: 200)
    }
}

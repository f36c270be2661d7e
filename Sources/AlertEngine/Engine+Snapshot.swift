import RuleRuntime
import Foundation

/// Snapshots: the engine state as bytes (JSON) for the service to persist, and back. The
/// restored state is equal to the saved one (dictionaries may list their entries in another
/// order, so equal states need not give equal bytes).
extension Engine {
    public func snapshot() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(state)
    }

    public mutating func restore(_ data: Data) throws {
        state = try JSONDecoder().decode(EngineState.self, from: data)
        silenceVMs = [:]
        vm.bindTag = nil
        evaluator.vm.bindTag = nil
        scheduleMissingExpiries()
    }

    /// A snapshot from before sequence progress and anomaly groups expired (2026-11-29) has no
    /// expiry timers for them: they get theirs, due when they would have been.
    mutating func scheduleMissingExpiries() {
        for (key, progress) in state.sequences where progress.expiry == nil {
            let rule = String(key.prefix { $0 != "|" })
            guard let ruleID = correlateIDs[rule], case .sequence(let within)? = pack.correlate[ruleID].form else { continue }
            state.sequences[key]?.expiry = state.timers.schedule(.sequenceExpiry(key: key), at: progress.expiryDue(within: within))
        }
        for (key, group) in state.anomalies where group.expiry == nil {
            guard let settings = anomalyIDs[group.rule].flatMap({ pack.anomalies[$0].anomaly }) else { continue }
            let due = expiryDue(group, seasonal: settings.seasonal)
            state.anomalies[key]?.expiry = state.timers.schedule(.anomalyExpiry(key: key), at: due)
        }
    }
}

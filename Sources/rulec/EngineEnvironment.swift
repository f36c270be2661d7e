import AlertEngine
import ArgumentParser
import Foundation

/// The engine settings the environment gives `rulec test`, `simulate` and `eval --explain`:
/// `CRITICAL_ALERT_ML_ENABLED` (only `false`, in any case, turns anomaly rules off) and
/// `CRITICAL_ALERT_CACHE_TTL` (whole seconds, default 300).
struct EngineEnvironment {
    let anomalies: Bool
    let cacheTTLMs: Int64

    /// The settings, or a usage error naming a malformed variable.
    static func read(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> EngineEnvironment {
        var ttl: Int64 = 300_000
        if let text = env["CRITICAL_ALERT_CACHE_TTL"] {
            guard let seconds = Int64(text.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds <= 365 * 86_400 else {
                FileHandle.standardError.write(Data("CRITICAL_ALERT_CACHE_TTL must be a whole number of seconds (0 to 31536000), found `\(text)`\n".utf8))
                throw ExitCode(Rulec.usageExit)
            }
            ttl = seconds * 1000
        }
        return EngineEnvironment(anomalies: env["CRITICAL_ALERT_ML_ENABLED"]?.lowercased() != "false", cacheTTLMs: ttl)
    }

    func apply(to engine: inout Engine) {
        engine.anomaliesEnabled = anomalies
        engine.cacheTTLMs = cacheTTLMs
    }
}

import AlertEngine
import Foundation

/// The engine settings the environment gives the service: `CRITICAL_ALERT_ML_ENABLED` (only
/// `false` turns anomaly rules off) and `CRITICAL_ALERT_CACHE_TTL` (whole seconds, 300). Every
/// engine of the service, live or rebuilt from the store, runs with the same ones.
public struct EngineSettings: Sendable, Equatable {
    public var anomaliesEnabled = true
    public var cacheTTLMs: Int64 = 300_000

    public init() {}

    /// The settings from `env`; an error naming a malformed variable.
    public static func read(_ env: [String: String]) throws -> EngineSettings {
        var s = EngineSettings()
        s.anomaliesEnabled = env["CRITICAL_ALERT_ML_ENABLED"]?.lowercased() != "false"
        if let text = env["CRITICAL_ALERT_CACHE_TTL"] {
            guard let seconds = Int64(text.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds <= 365 * 86_400 else {
                throw KeyError("CRITICAL_ALERT_CACHE_TTL must be a whole number of seconds (0 to 31536000), found `\(text)`")
            }
            s.cacheTTLMs = seconds * 1000
        }
        return s
    }

    /// Applies them to an engine.
    public func apply(_ engine: inout Engine) {
        engine.anomaliesEnabled = anomaliesEnabled
        engine.cacheTTLMs = cacheTTLMs
    }
}

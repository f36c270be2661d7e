import RuleText

/// How strictly a pack is checked, and the limits in force.
public struct CheckOptions: Sendable {
    /// Where unset secrets are warnings (`rulec check`: CI has no secrets) or errors (the
    /// evaluator loading a pack).
    public enum SecretMode: Sendable { case warn, require }

    public var secretMode: SecretMode = .warn
    /// Where `${secret:NAME}` values come from.
    public var secrets: [String: String] = [:]
    /// `CRITICAL_ALERT_MAX_ESCALATION_LEVELS` (default 5).
    public var maxEscalationLevels = 5
    /// Worst-case instructions per rule (spec 3.8).
    public var ruleBudget = RuleLimits.defaultRuleBudget

    public init() {}

    /// Options from the process environment: secrets and `CRITICAL_ALERT_MAX_ESCALATION_LEVELS`.
    public static func fromEnvironment(_ env: [String: String], secretMode: SecretMode = .warn) -> CheckOptions {
        var o = CheckOptions()
        o.secretMode = secretMode
        o.secrets = env
        if let v = env["CRITICAL_ALERT_MAX_ESCALATION_LEVELS"], let n = Int(v), n > 0 { o.maxEscalationLevels = n }
        return o
    }
}

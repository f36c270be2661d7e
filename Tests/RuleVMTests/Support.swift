import RuleRuntime
import Foundation
import RuleCompiler
import RuleLang
import RuleVM


/// An alert with `labels`, at `jan1`.
func alert(_ labels: [String: String], severity: UInt8 = 1, value: Double? = nil) -> AlertInput {
    AlertInput(labels: labels, severity: severity, value: value, startsAt: jan1, fingerprint: "fp", tenant: "t")
}

/// 2026-01-01T00:00:00Z in milliseconds.
let jan1 = Int64(1_767_225_600_000)

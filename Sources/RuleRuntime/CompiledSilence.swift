import Foundation
import RuleVM

/// A runtime silence (spec 5.2) as the engine receives it: its expression checked and compiled
/// against a pack (`SilenceCompiler` in RuleCompiler), entry 0 of its own verified program.
/// The program binds labels by name and carries the pack's lists and windows as constants, so
/// it stays valid across pack swaps; `bytes` is its artifact form, kept in the engine state so
/// a snapshot restores the silence without a compiler.
public struct CompiledSilence: Sendable {
    public let id: String
    public let expression: String
    public let verified: VerifiedProgram

    public init(id: String, expression: String, verified: VerifiedProgram) {
        self.id = id
        self.expression = expression
        self.verified = verified
    }

    /// The silence's program as a rule-less artifact.
    public var bytes: Data {
        Data(Artifact.encode(RuntimePack(tenant: "", tier: "", verified: verified, enrich: [], suppress: [], correlate: [], anomalies: [],
                                         routes: [], routeSettings: [], escalations: [],
                                         sla: SLASettings(ackWithinMs: 0, resolveWithinMs: 0, ackTimeoutMs: nil), unindexed: [])))
    }

    /// A silence from its artifact form, verified again (a corrupt state is an error).
    public static func load(id: String, expression: String, bytes: Data) -> Result<CompiledSilence, Artifact.LoadError> {
        Artifact.decode(Array(bytes)).flatMap { pack in
            guard !pack.program.entries.isEmpty else { return .failure(Artifact.LoadError(message: "silence program has no entry")) }
            return .success(CompiledSilence(id: id, expression: expression, verified: pack.verified))
        }
    }
}

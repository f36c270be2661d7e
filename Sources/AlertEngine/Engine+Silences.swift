import Foundation
import RuleRuntime
import RuleVM

/// Runtime silences (spec 5.2): expressions in the rule language, checked and compiled against
/// the pack by the caller (`SilenceCompiler`), muting the new alerts they match until they
/// expire, when their timer takes them out of the state. The state keeps each one's text and
/// program (so a snapshot restores them); the engine keeps one VM per silence, bound per alert.
extension Engine {
    /// Adds (or replaces) a compiled silence, with a timer that removes it when it expires.
    mutating func addSilence(_ silence: CompiledSilence, expiresAt: Int64) {
        silenceVMs[silence.id] = VM(program: silence.verified)
        let timer = state.timers.schedule(.silenceExpiry(id: silence.id), at: expiresAt)
        state.silences[silence.id] = RuntimeSilence(id: silence.id, expression: silence.expression, expiresAt: expiresAt,
                                                    timer: timer, program: silence.bytes)
    }

    mutating func removeSilence(id: String) {
        state.silences[id] = nil
        silenceVMs[id] = nil
    }

    /// Silence `id`'s expiry timer (the live one: a silence added again has another).
    mutating func expireSilence(_ id: String, token: UInt64) {
        if state.silences[id]?.timer == token { removeSilence(id: id) }
    }

    /// The first unexpired silence that matches `input` (bound by the caller's evaluator).
    mutating func silence(of input: AlertInput, at now: Int64) -> String? {
        for s in state.silences.values.sorted(by: { $0.id < $1.id }) where s.expiresAt > now {
            let vm: VM
            if let known = silenceVMs[s.id] { vm = known } else {
                // A restored snapshot's silence: its program loaded (and verified) on first use;
                // one that does not load mutes nothing.
                guard case .success(let loaded) = CompiledSilence.load(id: s.id, expression: s.expression, bytes: s.program) else { continue }
                vm = VM(program: loaded.verified)
                silenceVMs[s.id] = vm
            }
            vm.bind(input, now: now)
            if vm.matches(entry: 0) { return "silence:\(s.id)" }
        }
        return nil
    }
}

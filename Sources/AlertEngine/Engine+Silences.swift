import RuleCompiler
import RuleLang
import RuleVM

/// Runtime silences (spec 5.2): expressions in the rule language, checked against the pack's
/// names and compiled like rules, muting the new alerts they match until they expire. The state
/// keeps their text (so a snapshot restores them); programs are compiled on demand.
extension Engine {
    /// Adds (or replaces) silence `id`; the diagnostics when the expression is not a valid
    /// condition of this pack.
    public mutating func addSilence(id: String, expression: String, expiresAt: Int64) -> [Diagnostic] {
        let (typed, diagnostics) = PackChecker.checkCondition(expression, named: "silence \(id)", in: checked.pack)
        guard typed != nil else { return diagnostics }
        state.silences[id] = RuntimeSilence(id: id, expression: expression, expiresAt: expiresAt)
        silencePrograms[id] = nil
        return diagnostics
    }

    public mutating func removeSilence(id: String) {
        state.silences[id] = nil
        silencePrograms[id] = nil
    }

    /// The first unexpired silence that matches `input` (bound by the caller's evaluator).
    mutating func silence(of input: AlertInput, at now: Int64) -> String? {
        for s in state.silences.values.sorted(by: { $0.id < $1.id }) where s.expiresAt > now {
            let program: Program
            if let p = silencePrograms[s.id] { program = p } else {
                guard case let (typed?, _) = PackChecker.checkCondition(s.expression, named: "silence \(s.id)", in: checked.pack) else { continue }
                program = ExpressionCompiler.conditionProgram(for: typed, pack: checked.pack)
                silencePrograms[s.id] = program
            }
            let vm = VM(program: program)
            vm.bind(input, now: now)
            if vm.matches(entry: 0) { return "silence:\(s.id)" }
        }
        return nil
    }
}

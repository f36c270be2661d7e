import RuleCompiler
import RuleLang
import RuleVM

/// Runtime silences (spec 5.2): expressions in the rule language, checked against the pack's
/// names and compiled like rules, muting the new alerts they match until they expire. The state
/// keeps their text (so a snapshot restores them); programs are compiled on demand.
extension Engine {
    /// Adds (or replaces) silence `id`; the diagnostics when the expression is not a valid
    /// condition of this pack, or compiles past a limit of the VM.
    public mutating func addSilence(id: String, expression: String, expiresAt: Int64) -> [Diagnostic] {
        let (typed, diagnostics) = PackChecker.checkCondition(expression, named: "silence \(id)", in: checked.pack)
        guard let typed else { return diagnostics }
        let (program, problems) = Self.compileSilence(typed, id: id, checked.pack)
        guard let program else { return diagnostics + problems }
        silencePrograms[id] = program
        state.silences[id] = RuntimeSilence(id: id, expression: expression, expiresAt: expiresAt)
        return diagnostics
    }

    /// A silence's verified program, or why it has none (a compiler bug is reported as the
    /// silence's own failure: it never reaches a VM).
    static func compileSilence(_ typed: TypedExpr, id: String, _ pack: Pack) -> (VerifiedProgram?, [Diagnostic]) {
        do throws(CompileError) {
            return (try ExpressionCompiler.conditionProgram(for: typed, named: "silence \(id)", pack: pack), [])
        } catch {
            switch error {
            case .limits(let problems): return (nil, problems)
            case .rejected(let why): return (nil, [.runtime("compiled program rejected: \(why)", rule: "silence \(id)", at: typed.span)])
            }
        }
    }

    public mutating func removeSilence(id: String) {
        state.silences[id] = nil
        silencePrograms[id] = nil
    }

    /// The first unexpired silence that matches `input` (bound by the caller's evaluator).
    mutating func silence(of input: AlertInput, at now: Int64) -> String? {
        for s in state.silences.values.sorted(by: { $0.id < $1.id }) where s.expiresAt > now {
            let program: VerifiedProgram
            if let p = silencePrograms[s.id] { program = p } else {
                // A restored snapshot's silence, compiled on first use; one that no longer
                // checks or compiles against this pack mutes nothing.
                guard case let (typed?, _) = PackChecker.checkCondition(s.expression, named: "silence \(s.id)", in: checked.pack),
                      case let (p?, _) = Self.compileSilence(typed, id: s.id, checked.pack) else { continue }
                program = p
                silencePrograms[s.id] = program
            }
            let vm = VM(program: program)
            vm.bind(input, now: now)
            if vm.matches(entry: 0) { return "silence:\(s.id)" }
        }
        return nil
    }
}

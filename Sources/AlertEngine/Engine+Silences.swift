import RuleCompiler
import RuleLang
import RuleVM

/// Runtime silences (spec 5.2): expressions in the rule language, checked against the pack's
/// names and compiled like rules, muting the new alerts they match until they expire, when
/// their timer takes them out of the state. The state keeps their text (so a snapshot restores
/// them); programs are compiled on demand.
extension Engine {
    /// The diagnostics of silence `id` with `expression` against this engine's pack: errors
    /// when it is not a valid condition or compiles past a limit of the VM (the shell rejects
    /// it; `handle(.silenceAdded(…))` would add a silence that mutes nothing).
    public func checkSilence(id: String, expression: String) -> [Diagnostic] {
        let (typed, diagnostics) = PackChecker.checkCondition(expression, named: "silence \(id)", in: checked.pack)
        guard let typed else { return diagnostics }
        let (_, problems) = Self.compileSilence(typed, id: id, checked.pack)
        return diagnostics + problems
    }

    /// Adds (or replaces) silence `id`, with a timer that removes it when it expires; nothing
    /// when it does not check or compile (`checkSilence` says why).
    mutating func addSilence(id: String, expression: String, expiresAt: Int64) {
        guard case let (typed?, _) = PackChecker.checkCondition(expression, named: "silence \(id)", in: checked.pack),
              case let (program?, _) = Self.compileSilence(typed, id: id, checked.pack) else { return }
        silencePrograms[id] = program
        let timer = state.timers.schedule(.silenceExpiry(id: id), at: expiresAt)
        state.silences[id] = RuntimeSilence(id: id, expression: expression, expiresAt: expiresAt, timer: timer)
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

    mutating func removeSilence(id: String) {
        state.silences[id] = nil
        silencePrograms[id] = nil
    }

    /// Silence `id`'s expiry timer (the live one: a silence added again has another).
    mutating func expireSilence(_ id: String, token: UInt64) {
        if state.silences[id]?.timer == token { removeSilence(id: id) }
    }

    /// The first unexpired silence that matches `input` (bound by the caller's evaluator).
    mutating func silence(of input: AlertInput, at now: Int64) -> String? {
        for s in state.silences.values.sorted(by: { $0.id < $1.id }) where s.expiresAt > now {
            let program: VerifiedProgram
            if let p = silencePrograms[s.id] { program = p } else {
                // Compiled on first use (a restored snapshot's silence too); one that does not
                // check or compile against this pack mutes nothing.
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

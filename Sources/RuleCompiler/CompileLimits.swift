import RuleLang
import RuleVM

/// Why a checked pack (or expression) did not compile.
public enum CompileError: Error, Sendable {
    /// The compiled code exceeds a limit of the VM: an instruction budget (E0308), the stack
    /// (E0311) or an operand's width (E0312), each a diagnostic at the rule's span, shown like
    /// the checker's.
    case limits([Diagnostic])
    /// The verifier rejected what the compiler made: a compiler bug, never the pack's fault.
    case rejected(VerificationError)
}

/// Who an entry belongs to, for the diagnostics of the compile step.
struct EntryOwner {
    /// The rule's name as messages quote it.
    let rule: String
    /// The rule's name where it is declared (or the expression compiled).
    let span: SourceSpan
}

/// The last step of every compilation: the program is built, measured with the verifier's own
/// walk, and either every entry fits the VM's limits (then it is verified and returned: nothing
/// else can reach a VM) or the rules that do not are reported. The compiled cost and stack are
/// the truth the verifier judges, so a pack this step accepts is never rejected at load.
enum CompileLimits {
    static func finish(_ b: ProgramBuilder, owners: [EntryOwner], timezone: String, budget: Int,
                       memoCount: Int = 0) throws(CompileError) -> VerifiedProgram {
        var problems: [Diagnostic] = []
        var seen: Set<String> = []
        for o in b.overflows where seen.insert(o.what).inserted {
            problems.append(.vmLimit(o.what, limit: o.limit, at: o.span))
        }
        // Code holding an operand that did not fit is never built into a program.
        if !problems.isEmpty { throw .limits(problems) }
        let program = b.build(timezone: timezone, budget: budget, memoCount: memoCount)
        let depths: [Verifier.EntryDepth]
        switch Verifier.measure(program) {
        case .failure(let e): throw .rejected(e)
        case .success(let d): depths = d
        }
        var reported: Set<String> = []
        for (i, (entry, depth)) in zip(program.entries, depths).enumerated() {
            let owner = i < owners.count ? owners[i] : nil
            guard let owner else { continue }
            if entry.cost > budget, reported.insert("cost \(owner.rule)").inserted {
                problems.append(.compiledOverBudget(rule: owner.rule, cost: entry.cost, budget: budget, at: owner.span))
            }
            if depth.depth > VM.stackLimit, reported.insert("stack \(owner.rule)").inserted {
                let at = program.span(at: depth.pc).flatMap(b.sourceSpan) ?? owner.span
                problems.append(.stackTooDeep(rule: owner.rule, depth: depth.depth, limit: VM.stackLimit, at: at,
                                              declared: at == owner.span ? nil : owner.span))
            }
        }
        if !problems.isEmpty { throw .limits(problems.sortedByPosition()) }
        do {
            return try VerifiedProgram(program)
        } catch {
            throw .rejected(error)
        }
    }
}

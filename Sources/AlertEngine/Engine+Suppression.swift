import RuleCompiler
import RuleVM

/// Inhibition (spec 5.2): an alert is muted while another active, unsuppressed alert of the
/// tenant satisfies the rule's `while_active` and agrees on every `equal` label.
extension Engine {
    func inhibitor(of alert: EngineAlert, candidates: [String]) -> String? {
        for name in candidates {
            guard let rule = compiled.suppress.first(where: { $0.name == name }), let active = rule.whileActive,
                  let decl = checked.pack.suppress.first(where: { $0.name.text == name }) else { continue }
            let equal = decl.equal.map(\.text)
            for other in state.alerts.values where other.status != .resolved && other.suppressedBy == nil {
                guard equal.allSatisfy({ other.labels[$0] == alert.labels[$0] }) else { continue }
                vm.bind(input(of: other), now: alert.startsAt)
                if vm.matches(compiled.program.entries[active]) { return name }
            }
        }
        return nil
    }
}

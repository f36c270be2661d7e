import AlertEngine
import RuleCompiler
import RuleLang
import RuleVM

/// The tests drive the engine through its one entry point, `handle(_:at:)`: each of these is
/// one event, and returns the notifications among its actions.
extension Engine {
    mutating func receive(_ input: AlertInput, at now: Int64) -> [Notification] {
        handle(.alert(input), at: now).notifications
    }

    mutating func acknowledge(_ name: String, at now: Int64) -> [Notification] {
        handle(.acknowledge(name), at: now).notifications
    }

    mutating func resolve(_ name: String, at now: Int64) -> [Notification] {
        handle(.resolve(name), at: now).notifications
    }

    mutating func escalateNow(_ name: String, at now: Int64) -> [Notification] {
        handle(.escalate(name), at: now).notifications
    }

    mutating func advance(to now: Int64) -> [Notification] {
        handle(.timersDue, at: now).notifications
    }

    /// Adds the silence when it checks (at time 0, as the tests' silences are set up before
    /// their alerts); its diagnostics either way.
    mutating func addSilence(id: String, expression: String, expiresAt: Int64) -> [Diagnostic] {
        let diagnostics = checkSilence(id: id, expression: expression)
        _ = handle(.silenceAdded(id: id, expression: expression, expiresAt: expiresAt), at: 0)
        return diagnostics
    }
}

extension Engine {
    mutating func swap(to checked: CheckedPack, compiled: CompiledPack, at now: Int64) {
        _ = handle(.packSwapped(checked, compiled), at: now)
    }
}

import AlertEngine
import RuleCompiler
import RuleRuntime
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
}

extension Engine {
    /// A pack swap to `compiled` (`checked` is its source, kept for the tests' symmetry).
    mutating func swap(to checked: CheckedPack, compiled: RuntimePack, at now: Int64) {
        _ = handle(.packSwapped(compiled), at: now)
    }
}

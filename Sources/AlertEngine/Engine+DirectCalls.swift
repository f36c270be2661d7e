import RuleVM

/// The engine's steps called without `handle(_:at:)`: no actions built, so what the changes
/// cost on their own. For the benchmark only, to measure `handle`'s own cost side by side in
/// one build; not an entry point (the changes they make are reported nowhere).
extension Engine {
    /// A new or repeated alert; the number of notifications it made.
    package mutating func directAlert(_ input: AlertInput, at now: Int64) -> Int {
        defer { dropScratch() }
        return receive(input, at: now).count
    }

    /// Resolves the alerts named `name`; the number of notifications it made.
    package mutating func directResolve(_ name: String, at now: Int64) -> Int {
        defer { dropScratch() }
        return resolve(name, at: now).count
    }

    /// Fires the timers due by `now`; the number of notifications they made.
    package mutating func directTimers(at now: Int64) -> Int {
        defer { dropScratch() }
        return advance(to: now).count
    }

    /// What `handle` would have read from the scratch lists, dropped (their storage kept).
    private mutating func dropScratch() {
        touched.removeAll(keepingCapacity: true)
        audit.removeAll(keepingCapacity: true)
    }
}

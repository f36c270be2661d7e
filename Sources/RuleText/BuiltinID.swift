/// The builtins the VM's `call` instruction reaches, by their operand `a` (spec 3.6). `any`/
/// `all`, `search`/`extract`, `now` and `in_window` compile to instructions of their own.
/// Declared here, below both the checker and the VM, so the arity each enforces is one table.
public enum BuiltinID: UInt8, Sendable, CaseIterable {
    case len, lower, upper, trim, split, join, replace, substr, int, float, string, duration, time, exists, age, hour, weekday

    /// The argument counts a call may pass: the checker reports others (E0302), the verifier
    /// rejects a program that passes others.
    public var arity: ClosedRange<Int> {
        switch self {
        case .age: 0...0
        case .len, .lower, .upper, .trim, .int, .float, .string, .duration, .time, .exists, .hour, .weekday: 1...1
        case .split, .join: 2...2
        case .substr: 2...3
        case .replace: 3...3
        }
    }
}

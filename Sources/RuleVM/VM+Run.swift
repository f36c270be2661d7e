// The entry points: run or match one entry against the bound alert, each on the general
// dispatch loop or, for a tests-only entry, on the label-test loops.
extension VM {
    /// Evaluates `entry` against the bound alert: its value, or the run-time error.
    public func run(_ entry: Entry) -> Result<Value, RuntimeError> {
        if entry.testsOnly { return .success(.bool(tests(from: entry.pc))) }
        return general(entry.pc, program.budget - entry.cost)
    }

    /// Evaluates the program's entry number `index` (as `run(program.entries[index])`, without
    /// copying the entry).
    public func run(entry index: Int) -> Result<Value, RuntimeError> {
        precondition(index >= 0 && index < entryCount, "no entry \(index)")
        let word = entryWords[index]
        if word & 1 != 0 { return .success(.bool(quickTests(from: word >> 1))) }
        return general(word >> 1, entryBudgets[index])
    }

    /// Whether the program's entry number `index` matched (as `matches(program.entries[index])`).
    public func matches(entry index: Int) -> Bool {
        precondition(index >= 0 && index < entryCount, "no entry \(index)")
        let word = entryWords[index]
        if word & 1 != 0 { return quickTests(from: word >> 1) }
        return generalMatches(word >> 1, entryBudgets[index])
    }

    @inline(never)
    private func general(_ pc: Int, _ budget: Int) -> Result<Value, RuntimeError> {
        counters[0] = 0
        counters[1] = 0
        do {
            return .success(try execute(from: pc, budget: budget))
        } catch {
            return .failure(error)
        }
    }

    /// Whether `entry` matched: true only for `true` (missing and errors do not match).
    public func matches(_ entry: Entry) -> Bool {
        if entry.testsOnly { return tests(from: entry.pc) }
        return generalMatches(entry.pc, program.budget - entry.cost)
    }

    @inline(never)
    private func generalMatches(_ pc: Int, _ budget: Int) -> Bool {
        counters[0] = 0
        counters[1] = 0
        do {
            return try execute(from: pc, budget: budget).isTrue
        } catch {
            return false
        }
    }

    /// Whether `ms` falls in the program's window named `name` (nil: it has none of that name),
    /// with the window's zone offset cached as `in_window` has it.
    package func inWindow(named name: String, at ms: Int64) -> Bool? {
        program.windows.firstIndex { $0.name == name }.map { windowClocks[$0].inWindow(ms, windowTimes[$0]) }
    }
}

// The dispatch loop, and the helpers it calls out of line.
import RuleText

extension VM {
    /// The comparison of values other than two floats; false when they have no order (as
    /// `lt`, `le`, `gt`, `ge`).
    @inline(never)
    func compare(_ a: Value, _ b: Value, _ test: Comparison) -> Bool {
        guard let o = order(a, b) else { return false }
        return test.holds(order: o)
    }

    /// `in_window(w)` at the evaluation time.
    @inline(never)
    func inWindow(_ w: Int) -> Value { .bool(windowClocks[w].inWindow(now, windowTimes[w])) }

    /// Aggregate `i` of the current window (missing when the engine supplied none).
    @inline(never)
    func aggregate(_ i: Int) -> Value { i < aggregates.count ? aggregates[i] : .missing }

    /// The dispatch loop: one switch, fast paths inline, slow paths in `@inline(never)` helpers.
    @inline(__always)
    func execute(from start: Int, budget: Int) throws(RuntimeError) -> Value {
        var budgetLeft = budget
        // Locals, so the loop reads plain pointers (no exclusivity checks, no retains).
        let code = codeBase, constants = constantBase
        let slots = slotBase, fields = fieldBase
        let stack = self.stack
        var pc = start
        var sp = 0
        while true {
            let ins = code[pc]
            switch ins.op {
            case .const_:
                stack[sp] = constants[Int(ins.c)]; sp &+= 1; pc &+= 1
            case .label:
                stack[sp] = slots[Int(ins.b)]; sp &+= 1; pc &+= 1
            case .annotation:
                stack[sp] = annotationSlots.baseAddress![Int(ins.b)]; sp &+= 1; pc &+= 1
            case .number:
                stack[sp] = numberSlots.baseAddress![Int(ins.b)]; sp &+= 1; pc &+= 1
            case .field:
                stack[sp] = fields[Int(ins.a)]; sp &+= 1; pc &+= 1
            case .mapGet:
                stack[sp - 1] = mapGet(ins.map, stack[sp - 1]); pc &+= 1
            case .it:
                stack[sp] = loopItem[Int(ins.a)]; sp &+= 1; pc &+= 1
            case .pop:
                sp &-= 1; pc &+= 1
            case .not:
                stack[sp - 1] = .bool(!stack[sp - 1].isTrue); pc &+= 1
            case .toBool:
                stack[sp - 1] = .bool(stack[sp - 1].isTrue); pc &+= 1
            case .neg:
                stack[sp - 1] = try negate(stack[sp - 1], pc); pc &+= 1
            case .eq:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                stack[sp &- 1] = .bool(a.tag == .string && b.tag == .string ? sameString(a, b) : equal(a, b) == true)
                pc &+= 1
            case .ne:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                stack[sp &- 1] = .bool(a.tag == .string && b.tag == .string ? !sameString(a, b) : equal(a, b) != true)
                pc &+= 1
            case .lt:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .bool(a.float < b.float)
                } else {
                    stack[sp &- 1] = .bool(compare(a, b, .lt))
                }
                pc &+= 1
            case .le:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .bool(a.float <= b.float)
                } else {
                    stack[sp &- 1] = .bool(compare(a, b, .le))
                }
                pc &+= 1
            case .gt:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .bool(a.float > b.float)
                } else {
                    stack[sp &- 1] = .bool(compare(a, b, .gt))
                }
                pc &+= 1
            case .ge:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .bool(a.float >= b.float)
                } else {
                    stack[sp &- 1] = .bool(compare(a, b, .ge))
                }
                pc &+= 1
            case .in_:
                sp &-= 1; stack[sp - 1] = .bool(member(stack[sp - 1], stack[sp])); pc &+= 1
            case .notIn:
                sp &-= 1; stack[sp - 1] = .bool(!member(stack[sp - 1], stack[sp])); pc &+= 1
            case .inSet:
                let v = stack[sp - 1]
                stack[sp - 1] = .bool(v.tag == .string && program.setContains(Int(ins.c), bytes(v), Int(v.count))); pc &+= 1
            case .notInSet:
                let v = stack[sp - 1]
                stack[sp - 1] = .bool(!(v.tag == .string && program.setContains(Int(ins.c), bytes(v), Int(v.count)))); pc &+= 1
            case .contains:
                sp &-= 1; stack[sp - 1] = .bool(contains(stack[sp - 1], stack[sp])); pc &+= 1
            case .startsWith:
                sp &-= 1; stack[sp - 1] = .bool(affix(stack[sp - 1], stack[sp], prefix: true)); pc &+= 1
            case .endsWith:
                sp &-= 1; stack[sp - 1] = .bool(affix(stack[sp - 1], stack[sp], prefix: false)); pc &+= 1
            case .match:
                stack[sp - 1] = .bool(try regexMatch(stack[sp - 1], Int(ins.c), pc) == true); pc &+= 1
            case .noMatch:
                stack[sp - 1] = .bool(try regexMatch(stack[sp - 1], Int(ins.c), pc) != true); pc &+= 1
            case .add:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .float(a.float + b.float)
                } else {
                    stack[sp &- 1] = try arithmetic(.add, a, b, pc)
                }
                pc &+= 1
            case .sub:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .float(a.float - b.float)
                } else {
                    stack[sp &- 1] = try arithmetic(.sub, a, b, pc)
                }
                pc &+= 1
            case .mul:
                sp &-= 1
                let a = stack[sp &- 1], b = stack[sp]
                if a.tag == .float && b.tag == .float {
                    stack[sp &- 1] = .float(a.float * b.float)
                } else {
                    stack[sp &- 1] = try arithmetic(.mul, a, b, pc)
                }
                pc &+= 1
            case .div:
                sp &-= 1; stack[sp - 1] = try arithmetic(.div, stack[sp - 1], stack[sp], pc); pc &+= 1
            case .mod:
                sp &-= 1; stack[sp - 1] = try arithmetic(.mod, stack[sp - 1], stack[sp], pc); pc &+= 1
            case .jumpCompare:
                sp &-= 2
                let a = stack[sp], b = stack[sp &+ 1]
                let test = ins.comparisonJump
                let holds = a.tag == .float && b.tag == .float ? test.comparison.holds(a.float, b.float) : compare(a, b, test.comparison)
                pc = holds == test.whenTrue ? Int(ins.c) : pc &+ 1
            case .jump:
                pc = Int(ins.c)
            case .jumpIf:
                sp &-= 1; pc = stack[sp].isTrue ? Int(ins.c) : pc &+ 1
            case .jumpIfNot:
                sp &-= 1; pc = stack[sp].isTrue ? pc &+ 1 : Int(ins.c)
            case .jumpIfPresent:
                if stack[sp - 1].isMissing { sp &-= 1; pc &+= 1 } else { pc = Int(ins.c) }
            case .jumpLabelEq, .jumpLabelNe:
                pc = scanLabels(pc)
                if pc < 0 { return .bool(pc == VM.settledTrue) }
            case .jumpLabelAffix:
                let k = code[pc &+ 1]
                pc = labelAffix(slots[Int(ins.b)], ins.affix, k) ? Int(ins.c) : pc &+ 2
            case .jumpLabelNotAffix:
                let k = code[pc &+ 1]
                pc = labelAffix(slots[Int(ins.b)], ins.affix, k) ? pc &+ 2 : Int(ins.c)
            case .jumpLabelIn:
                let v = slots[Int(ins.b)]
                let hit = v.tag == .string && program.setContains(Int(code[pc &+ 1].c), bytes(v), Int(v.count))
                pc = hit ? Int(ins.c) : pc &+ 2
            case .jumpLabelNotIn:
                let v = slots[Int(ins.b)]
                let hit = v.tag == .string && program.setContains(Int(code[pc &+ 1].c), bytes(v), Int(v.count))
                pc = hit ? pc &+ 2 : Int(ins.c)
            case .jumpLabelMatch:
                pc = try regexMatch(slots[Int(ins.b)], Int(code[pc &+ 1].c), pc) == true ? Int(ins.c) : pc &+ 2
            case .jumpLabelNoMatch:
                pc = try regexMatch(slots[Int(ins.b)], Int(code[pc &+ 1].c), pc) == true ? pc &+ 2 : Int(ins.c)
            case .jumpSeverity:
                let sev = fields[Int(Field.severity.rawValue)].bits
                pc = (UInt64(ins.a) >> sev) & 1 != 0 ? Int(ins.c) : pc &+ 1
            case .call:
                let argc = Int(ins.b)
                stack[sp - argc] = try call(BuiltinID(rawValue: ins.a)!, UnsafeBufferPointer(start: stack + sp - argc, count: argc), pc)
                sp -= argc - 1; pc &+= 1
            case .search:
                stack[sp - 1] = try search(stack[sp - 1], Int(ins.c), pc); pc &+= 1
            case .extract:
                stack[sp - 1] = try extract(stack[sp - 1], Int(ins.c), pc); pc &+= 1
            case .inWindow:
                stack[sp] = inWindow(Int(ins.b)); sp &+= 1; pc &+= 1
            case .makeList:
                let n = Int(ins.c)
                stack[sp - n] = try makeList(UnsafeBufferPointer(start: stack + sp - n, count: n), pc)
                sp -= n - 1; pc &+= 1
            case .format:
                let n = Int(ins.c)
                stack[sp - n] = try format(UnsafeBufferPointer(start: stack + sp - n, count: n), pc)
                sp -= n - 1; pc &+= 1
            case .iterate:
                sp &-= 1
                let list = stack[sp]
                if list.tag == .list {
                    loopList[Int(ins.a)] = list; loopIndex[Int(ins.a)] = 0; pc &+= 1
                } else {
                    stack[sp] = .missing; sp &+= 1; pc = Int(ins.c)
                }
            case .next:
                let d = Int(ins.a)
                let list = loopList[d]
                let i = loopIndex[d]
                if i < Int(list.count) {
                    loopItem[d] = element(list, i)
                    loopIndex[d] = i + 1
                    budgetLeft -= Int(ins.b)
                    if budgetLeft < 0 { throw RuntimeError(kind: .instructionBudget, pc: pc) }
                    pc &+= 1
                } else {
                    // Leaving a loop costs too, so no path through a `next` is free.
                    budgetLeft -= 1
                    if budgetLeft < 0 { throw RuntimeError(kind: .instructionBudget, pc: pc) }
                    pc = Int(ins.c)
                }
            case .aggregate:
                stack[sp] = aggregate(Int(ins.b)); sp &+= 1; pc &+= 1
            case .index:
                sp &-= 1
                let list = stack[sp - 1], i = stack[sp]
                stack[sp - 1] = list.tag == .list && i.tag == .int && i.int >= 0 && i.int < Int64(list.count) ? element(list, Int(i.int)) : .missing
                pc &+= 1
            case .memoLoad:
                if memoGeneration[Int(ins.b)] == counters[2] {
                    stack[sp] = memoValues[Int(ins.b)]; sp &+= 1; pc = Int(ins.c)
                } else {
                    pc &+= 1
                }
            case .memoStore:
                memoValues[Int(ins.b)] = stack[sp &- 1]; memoGeneration[Int(ins.b)] = counters[2]; pc &+= 1
            case .ret:
                return stack[sp - 1]
            case .retTrue:
                return .true
            case .retFalse:
                return .false
            }
        }
    }
}

/// Every instruction of the VM, declared once. Operands live in `Instruction` (`a: UInt8`,
/// `b: UInt16`, `c: UInt32`); the comment on each case gives its operands and its effect on the
/// value stack (`… a b → … r`). Jump targets are absolute instruction indices.
public enum Opcode: UInt8, Sendable, CaseIterable {
    /// `c` = constant index. `… → … k`
    case const_
    /// `b` = label slot. `… → … label` (missing when absent)
    case label
    /// `b` = annotation slot. `… → … annotation`
    case annotation
    /// `b` = number slot. `… → … label as float` (a label declared `number`, parsed once at
    /// bind; missing when absent or not a number)
    case number
    /// `a` = alert field (`Field`). `… → … field`
    case field
    /// `a` = map (`AlertMap`). `… key → … value` (a computed key: a hash lookup)
    case mapGet
    /// `a` = loop depth. `… → … it`
    case it
    /// `… x → …`
    case pop
    /// `… x → … !x` (missing reads as false)
    case not
    /// `… x → … -x` (may fail: integer overflow)
    case neg
    /// `… x → … bool(x)` (true only for true)
    case toBool
    /// `… a b → … a == b` (false when either is missing)
    case eq
    /// `… a b → … a != b` (true when either is missing)
    case ne
    /// `… a b → … a < b`
    case lt
    /// `… a b → … a <= b`
    case le
    /// `… a b → … a > b`
    case gt
    /// `… a b → … a >= b`
    case ge
    /// `… x list → … x in list`; also a key in a map
    case in_
    /// `… x list → … x not in list`
    case notIn
    /// `c` = string set. `… x → … x in set`
    case inSet
    /// `c` = string set. `… x → … x not in set`
    case notInSet
    /// `… a b → … a contains b` (substring, list element, or map key)
    case contains
    /// `… a b → … a startswith b`
    case startsWith
    /// `… a b → … a endswith b`
    case endsWith
    /// `c` = regex. `… s → … s =~ re` (anchored)
    case match
    /// `c` = regex. `… s → … s !~ re`
    case noMatch
    /// `… a b → … a + b` (numbers, durations, times, strings; may fail)
    case add
    /// `… a b → … a - b` (may fail)
    case sub
    /// `… a b → … a * b` (may fail)
    case mul
    /// `… a b → … a / b` (may fail: division by zero)
    case div
    /// `… a b → … a % b` (may fail)
    case mod
    /// `c` = target. Jumps.
    case jump
    /// `c` = target. `… x → …`, jumps when x is true
    case jumpIf
    /// `c` = target. `… x → …`, jumps when x is not true (false or missing)
    case jumpIfNot
    /// `c` = target. `… x → … x` and jumps when x is present; else `… x → …` and falls through
    case jumpIfPresent
    /// `b` = slot, `c` = target; next word: `b` = byte length and `c` = byte offset of a string
    /// in the constant pool. Jumps when the label equals it.
    case jumpLabelEq
    /// As `jumpLabelEq`, jumping when the label differs (or is missing).
    case jumpLabelNe
    /// `a` = string test (`LabelAffix`); `b` = slot, `c` = target; next word: `b` =
    /// byte length and `c` = byte offset of a constant string. Jumps when the test holds.
    case jumpLabelAffix
    /// As `jumpLabelAffix`, jumping when the test fails (or the label is missing).
    case jumpLabelNotAffix
    /// `b` = slot, `c` = target, next word `c` = string set. Jumps when the label is in the set.
    case jumpLabelIn
    /// As `jumpLabelIn`, jumping when the label is not in the set (or missing).
    case jumpLabelNotIn
    /// `b` = slot, `c` = target, next word `c` = regex. Jumps when the label matches.
    case jumpLabelMatch
    /// As `jumpLabelMatch`, jumping when it does not match (or is missing).
    case jumpLabelNoMatch
    /// `a` = severity bit mask, `c` = target. Jumps when `1 << severity` is in the mask.
    case jumpSeverity
    /// `a` = builtin (`BuiltinID`), `b` = argument count. `… args → … result` (may fail)
    case call
    /// `c` = regex. `… s → … search(s, re)`
    case search
    /// `c` = regex. `… s → … extract(s, re)`
    case extract
    /// `b` = window index. `… → … in_window(w)`
    case inWindow
    /// `c` = element count. `… x1 … xn → … [x1 … xn]`
    case makeList
    /// `c` = part count. `… x1 … xn → … text(x1) + … + text(xn)`
    case format
    /// `a` = loop depth, `c` = target. `… list → …` and starts a loop; a missing list pushes
    /// missing and jumps to `c`.
    case iterate
    /// `a` = loop depth, `b` = instructions charged per iteration, `c` = target. Binds `it` to
    /// the next element, charging the budget, or jumps to `c` when the list is done.
    case next
    /// `b` = aggregate index. `… → … value` (computed by the engine over a window)
    case aggregate
    /// `… list i → … list[i]` (missing when out of range)
    case index
    /// `b` = memo slot, `c` = target. When the slot holds a value computed for the bound alert:
    /// `… → … value` and jumps to `c`; else falls through to compute it.
    case memoLoad
    /// `b` = memo slot. `… x → … x`, and remembers x for the bound alert.
    case memoStore
    /// `… x → ` returns x.
    case ret
    /// Returns true.
    case retTrue
    /// Returns false.
    case retFalse
    /// `a` = comparison and sense (`ComparisonJump`), `c` = target. `… a b → …`: `lt`/`le`/
    /// `gt`/`ge` fused with the jump that follows.
    case jumpCompare

    /// The name in disassembly.
    public var mnemonic: String {
        switch self {
        case .const_: "const"
        case .label: "label"
        case .annotation: "annotation"
        case .number: "number"
        case .field: "field"
        case .mapGet: "mapget"
        case .it: "it"
        case .pop: "pop"
        case .not: "not"
        case .neg: "neg"
        case .toBool: "tobool"
        case .eq: "eq"
        case .ne: "ne"
        case .lt: "lt"
        case .le: "le"
        case .gt: "gt"
        case .ge: "ge"
        case .in_: "in"
        case .notIn: "notin"
        case .inSet: "inset"
        case .notInSet: "notinset"
        case .contains: "contains"
        case .startsWith: "startswith"
        case .endsWith: "endswith"
        case .match: "match"
        case .noMatch: "nomatch"
        case .add: "add"
        case .sub: "sub"
        case .mul: "mul"
        case .div: "div"
        case .mod: "mod"
        case .jump: "jump"
        case .jumpIf: "jumpif"
        case .jumpIfNot: "jumpifnot"
        case .jumpIfPresent: "jumpifpresent"
        case .jumpLabelEq: "jlabeleq"
        case .jumpLabelNe: "jlabelne"
        case .jumpLabelAffix: "jlabelaffix"
        case .jumpLabelNotAffix: "jlabelnotaffix"
        case .jumpLabelIn: "jlabelin"
        case .jumpLabelNotIn: "jlabelnotin"
        case .jumpLabelMatch: "jlabelmatch"
        case .jumpLabelNoMatch: "jlabelnomatch"
        case .jumpSeverity: "jseverity"
        case .call: "call"
        case .search: "search"
        case .extract: "extract"
        case .inWindow: "inwindow"
        case .makeList: "mklist"
        case .format: "format"
        case .iterate: "iterate"
        case .next: "next"
        case .aggregate: "aggregate"
        case .index: "index"
        case .memoLoad: "memoload"
        case .memoStore: "memostore"
        case .ret: "ret"
        case .retTrue: "rettrue"
        case .retFalse: "retfalse"
        case .jumpCompare: "jcompare"
        }
    }

    /// Which operands an instruction uses, for the verifier and the disassembler.
    public enum Operands: Sendable {
        case none
        case constant          // c
        case labelSlot         // b
        case annotationSlot    // b
        case numberSlot        // b
        case field             // a (`Field`)
        case map               // a (`AlertMap`)
        case depth             // a
        case stringSet         // c
        case regex             // c
        case target            // c
        case labelConstTarget  // a `LabelAffix` (affix tests only), b slot, c target, next.c constant
        case labelSetTarget    // b slot, c target, next.c string set
        case labelRegexTarget  // b slot, c target, next.c regex
        case severityTarget    // a mask, c target
        case compareTarget     // a `ComparisonJump`, c target
        case builtin           // a `BuiltinID`, b argc
        case window            // b
        case count             // c
        case iterate           // a depth, c target
        case next              // a depth, b charge, c target
        case aggregate         // b
        case memo              // b slot (c target for memoLoad)
    }

    /// The operand shape of the instruction.
    public var operands: Operands {
        switch self {
        case .const_: .constant
        case .label: .labelSlot
        case .annotation: .annotationSlot
        case .number: .numberSlot
        case .field: .field
        case .mapGet: .map
        case .it: .depth
        case .inSet, .notInSet: .stringSet
        case .match, .noMatch, .search, .extract: .regex
        case .jump, .jumpIf, .jumpIfNot, .jumpIfPresent: .target
        case .jumpLabelEq, .jumpLabelNe, .jumpLabelAffix, .jumpLabelNotAffix: .labelConstTarget
        case .jumpLabelIn, .jumpLabelNotIn: .labelSetTarget
        case .jumpLabelMatch, .jumpLabelNoMatch: .labelRegexTarget
        case .jumpSeverity: .severityTarget
        case .jumpCompare: .compareTarget
        case .call: .builtin
        case .inWindow: .window
        case .makeList, .format: .count
        case .iterate: .iterate
        case .next: .next
        case .aggregate: .aggregate
        case .memoLoad, .memoStore: .memo
        case .pop, .not, .neg, .toBool, .eq, .ne, .lt, .le, .gt, .ge, .in_, .notIn, .contains, .startsWith, .endsWith,
             .add, .sub, .mul, .div, .mod, .index, .ret, .retTrue, .retFalse: .none
        }
    }

    /// Instructions that take a second word (the fused label tests).
    public var width: Int {
        switch operands {
        case .labelConstTarget, .labelSetTarget, .labelRegexTarget: 2
        case .none, .constant, .labelSlot, .annotationSlot, .numberSlot, .field, .map, .depth, .stringSet, .regex, .target,
             .severityTarget, .compareTarget, .builtin, .window, .count, .iterate, .next, .aggregate, .memo: 1
        }
    }

    /// What the instruction does to the stack and where control goes next, as the comment on
    /// its case says: the verifier's walk and the tests of the VM read it here, and nowhere else.
    public func effect(_ i: Instruction) -> StackEffect {
        switch self {
        case .const_, .label, .annotation, .number, .field, .it, .inWindow, .aggregate:
            StackEffect(pops: 0, next: 1)
        case .mapGet, .not, .neg, .toBool, .inSet, .notInSet, .match, .noMatch, .search, .extract, .memoStore:
            StackEffect(pops: 1, next: 1)
        case .eq, .ne, .lt, .le, .gt, .ge, .in_, .notIn, .contains, .startsWith, .endsWith, .add, .sub, .mul, .div, .mod, .index:
            StackEffect(pops: 2, next: 1)
        case .pop:
            StackEffect(pops: 1, next: 0)
        case .call:
            StackEffect(pops: Int(i.b), next: 1)
        case .makeList, .format:
            StackEffect(pops: Int(i.c), next: 1)
        case .jump:
            StackEffect(pops: 0, jump: 0)
        case .jumpIf, .jumpIfNot:
            StackEffect(pops: 1, next: 0, jump: 0)
        case .jumpCompare:
            StackEffect(pops: 2, next: 0, jump: 0)
        case .jumpIfPresent:
            // The value stays when it jumps: taken off and put back.
            StackEffect(pops: 1, next: 0, jump: 1)
        case .jumpLabelEq, .jumpLabelNe, .jumpLabelAffix, .jumpLabelNotAffix, .jumpLabelIn, .jumpLabelNotIn, .jumpLabelMatch,
             .jumpLabelNoMatch, .jumpSeverity, .next:
            StackEffect(pops: 0, next: 0, jump: 0)
        case .iterate:
            // A missing list leaves missing and jumps past the loop.
            StackEffect(pops: 1, next: 0, jump: 1)
        case .memoLoad:
            StackEffect(pops: 0, next: 0, jump: 1)
        case .ret:
            StackEffect(pops: 1)
        case .retTrue, .retFalse:
            StackEffect(pops: 0)
        }
    }
}

/// One instruction's effect on the value stack: the values it takes, and the values it leaves
/// on each way out. Depth after = depth before - `pops` + the way's pushes.
public struct StackEffect: Sendable, Equatable {
    /// Values taken off the stack (the stack must hold at least this many).
    public let pops: Int
    /// Values pushed when control goes on to the next instruction; nil: it never does.
    public let next: Int?
    /// Values pushed when it jumps to its target (`c`); nil: it never jumps.
    public let jump: Int?

    /// An effect; with neither `next` nor `jump`, the instruction returns.
    public init(pops: Int, next: Int? = nil, jump: Int? = nil) {
        self.pops = pops
        self.next = next
        self.jump = jump
    }

    /// Whether the instruction ends its entry (neither goes on nor jumps).
    public var returns: Bool { next == nil && jump == nil }
}

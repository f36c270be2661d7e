/// One 8-byte instruction word.
@frozen
public struct Instruction: Sendable, Equatable {
    public var op: Opcode
    public var a: UInt8
    public var b: UInt16
    public var c: UInt32

    /// An instruction word; the meaning of `a`, `b` and `c` is `op`'s (see `Opcode`).
    public init(_ op: Opcode, a: UInt8 = 0, b: UInt16 = 0, c: UInt32 = 0) {
        self.op = op
        self.a = a
        self.b = b
        self.c = c
    }
}

// The typed reads of `a` below are for the VM: it runs verified programs only, and the verifier
// builds each of these from `a` (rejecting the program when it cannot), so they never fail.
extension Instruction {
    /// `a` of `jlabelaffix` / `jlabelnotaffix`.
    @inline(__always)
    var affix: LabelAffix { LabelAffix(rawValue: a).unsafelyUnwrapped }

    /// `a` of `jcompare`.
    @inline(__always)
    var comparisonJump: ComparisonJump { ComparisonJump(rawValue: a).unsafelyUnwrapped }

    /// `a` of `mapget`.
    @inline(__always)
    var map: AlertMap { AlertMap(rawValue: a).unsafelyUnwrapped }
}

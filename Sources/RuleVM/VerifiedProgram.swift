/// A program the verifier accepted: the only kind a `VM` runs. The VM reads its buffers without
/// bounds checks, so whatever made the program (the compiler, an artifact, a test) must pass
/// through here first; `Program` is immutable, so the proof holds for the program's life.
public struct VerifiedProgram: Sendable {
    public let program: Program

    /// Verifies `program`; throws what the verifier found.
    public init(_ program: Program) throws(VerificationError) {
        if let e = Verifier.verify(program) { throw e }
        self.program = program
    }
}

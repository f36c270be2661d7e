import Foundation
import RuleVM

// Programs written instruction by instruction, as a corrupt or hostile artifact may hold them.

func ins(_ op: Opcode, a: UInt8 = 0, b: UInt16 = 0, c: UInt32 = 0) -> Instruction {
    Instruction(op, a: a, b: b, c: c)
}

/// A string constant in the constant pool.
func str(_ offset: Int, _ count: Int) -> Value { .string(.constant, offset: offset, count: count) }

/// A program with one entry over all of `code` (unless `entries` says otherwise).
func makeProgram(_ code: [Instruction], constants: [Value] = [], constantBytes: [UInt8] = [],
                         listElements: [Value] = [], stringSets: [StringSet] = [], labelSlots: [String] = [],
                         windows: [WindowSpec] = [], entries: [Entry]? = nil,
                         spans: [(pc: Int, span: SpanRef)] = [], files: [String] = [],
                         budget: Int = 1_000, timezone: String = "UTC") -> Program {
    Program(code: code, constants: constants, constantBytes: constantBytes, listElements: listElements,
            stringSets: stringSets, regexes: [], labelSlots: labelSlots, annotationSlots: [], numberSlots: [],
            windows: windows, timezone: timezone, entries: entries ?? [Entry(name: "e", pc: 0, cost: code.count)],
            files: files, spans: spans, budget: budget)
}

/// `any(["a", "b"], it == "b")` as the compiler lays a loop out; `patch` breaks it.
func loopProgram(budget: Int = 1_000, _ patch: (inout [Instruction]) -> Void = { _ in }) -> Program {
    var code = [
        ins(.const_, c: 0),                 // 0: ["a", "b"]
        ins(.iterate, a: 0, c: 11),         // 1: a missing list → missing, at 11
        ins(.next, a: 0, b: 6, c: 8),       // 2: loop head; done → 8
        ins(.it, a: 0),                     // 3
        ins(.const_, c: 1),                 // 4: "b"
        ins(.eq),                           // 5
        ins(.jumpIf, c: 10),                // 6: found
        ins(.jump, c: 2),                   // 7: back to the head
        ins(.const_, c: 2),                 // 8: false
        ins(.jump, c: 11),                  // 9
        ins(.const_, c: 3),                 // 10: true
        ins(.ret),                          // 11
    ]
    patch(&code)
    return makeProgram(code, constants: [.list(.constant, offset: 0, count: 2), str(1, 1), Value.false, Value.true],
                       constantBytes: Array("ab".utf8), listElements: [str(0, 1), str(1, 1)], budget: budget)
}

/// `env == "prod" && severity in [error, critical]` with the fused instructions.
func fusedProgram() -> Program {
    makeProgram([
        ins(.jumpLabelEq, b: 0, c: 3),      // 0: env == "prod" → 3
        ins(.const_, b: 4, c: 0),           // 1: (second word) "prod": 4 bytes at offset 0
        ins(.retFalse),                     // 2
        ins(.jumpSeverity, a: 0b1100, c: 5), // 3: error or critical → 5
        ins(.retFalse),                     // 4
        ins(.retTrue),                      // 5
    ], constants: [str(0, 4)], constantBytes: Array("prod".utf8), labelSlots: ["env"])
}

private final class Finished: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?

    func set(_ s: String) {
        lock.lock()
        stored = s
        lock.unlock()
    }

    var value: String? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// Runs entry 0 of `program` on a fresh VM on a thread of its own: a description of the result,
/// or nil when it has not finished within `seconds` (the thread then spins until the process ends).
func runWithTimeout(_ verified: VerifiedProgram, seconds: Double) -> String? {
    let program = verified.program
    let finished = Finished()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        let vm = VM(program: verified)
        vm.bind(alert(["alertname": "A"]), now: jan1)
        switch vm.run(program.entries[0]) {
        case .success(let v): finished.set("value \(vm.plain(v))")
        case .failure(let e): finished.set("error \(e)")
        }
        done.signal()
    }
    thread.start()
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return finished.value
}

/// A program the verifier must reject, and a fragment its message must contain.
struct Hostile {
    let name: String
    let program: Program
    let fragment: String
}

/// What becomes of entry 0 of `program`: `rejected: <verifier message>`, or its run on a fresh
/// VM over an alert named `A`: `value <plain value>` or `error <run-time error>`.
func outcome(_ program: Program) -> String {
    let verified: VerifiedProgram
    do {
        verified = try VerifiedProgram(program)
    } catch {
        return "rejected: \(error)"
    }
    let vm = VM(program: verified)
    vm.bind(alert(["alertname": "A"]), now: jan1)
    switch vm.run(program.entries[0]) {
    case .success(let v): return "value \(vm.plain(v))"
    case .failure(let e): return "error \(e)"
    }
}

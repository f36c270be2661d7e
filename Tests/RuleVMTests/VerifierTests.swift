import Foundation
import Testing
import RuleCompiler
import RuleText
@testable import RuleVM

/// What the verifier admits and rejects, and that what it admits runs safely.
@Suite struct VerifierTests {
    @Test func handWrittenProgramsVerifyAndRun() throws {
        let loop = loopProgram()
        #expect(Verifier.verify(loop) == nil)
        let vm = VM(program: try VerifiedProgram(loop))
        vm.bind(alert(["alertname": "A"]), now: jan1)
        let v = try vm.run(loop.entries[0]).get()
        #expect(vm.plain(v) == .bool(true))

        // The per-iteration charge is what bounds the loop: 12 straight-line instructions
        // leave nothing of a budget of 12 for the first iteration.
        let tight = loopProgram(budget: 12)
        #expect(Verifier.verify(tight) == nil)
        let tightVM = VM(program: try VerifiedProgram(tight))
        tightVM.bind(alert(["alertname": "A"]), now: jan1)
        switch tightVM.run(tight.entries[0]) {
        case .success(let v): Issue.record("ran within a budget it exceeds: \(tightVM.plain(v))")
        case .failure(let e): #expect(e.kind == .instructionBudget)
        }

        let fused = fusedProgram()
        #expect(Verifier.verify(fused) == nil)
        let fusedVM = VM(program: try VerifiedProgram(fused))
        func matches(_ labels: [String: String], _ severity: UInt8) -> Bool {
            fusedVM.bind(alert(labels, severity: severity), now: jan1)
            return fusedVM.matches(fused.entries[0])
        }
        #expect(matches(["alertname": "A", "env": "prod"], 3))
        #expect(matches(["alertname": "A", "env": "prod"], 2))
        #expect(!matches(["alertname": "A", "env": "prod"], 1))
        #expect(!matches(["alertname": "A", "env": "production"], 3))
        #expect(!matches(["alertname": "A"], 3))
        let text = Disassembler.text(fused)
        #expect(text.contains("jlabeleq"))
        #expect(text.contains("jseverity"))
    }

    @Test func verifierRejectsHostilePrograms() {
        let prod = (constants: [str(0, 4)], bytes: Array("prod".utf8))
        let depthLimit = UInt8(RuleLimits.loopDepth)
        let cases: [Hostile] = [
            Hostile(name: "jump past the end",
                    program: makeProgram([ins(.jump, c: 99), ins(.retTrue)]),
                    fragment: "jump target 99 is not an instruction"),
            Hostile(name: "jump into the second word of a fused instruction",
                    program: makeProgram([ins(.jump, c: 2), ins(.jumpLabelEq, b: 0, c: 3), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: prod.constants, constantBytes: prod.bytes, labelSlots: ["env"]),
                    fragment: "jump target 2 is not an instruction"),
            Hostile(name: "fused jump into its own second word",
                    program: makeProgram([ins(.jumpLabelEq, b: 0, c: 1), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: prod.constants, constantBytes: prod.bytes, labelSlots: ["env"]),
                    fragment: "jump target 1 is not an instruction"),
            Hostile(name: "backward jump not to a loop head",
                    program: makeProgram([ins(.jump, c: 2), ins(.retTrue), ins(.jump, c: 1)]),
                    fragment: "not a loop head"),
            Hostile(name: "backward conditional jump not to a loop head",
                    program: makeProgram([ins(.const_, c: 0), ins(.jumpIf, c: 0), ins(.retTrue)], constants: [Value.true]),
                    fragment: "not a loop head"),
            Hostile(name: "a `next` charging nothing",
                    program: loopProgram { $0[2].b = 0 },
                    fragment: "must charge the budget"),
            Hostile(name: "pop on an empty stack",
                    program: makeProgram([ins(.pop), ins(.retTrue)]),
                    fragment: "`pop` needs 1 values, the stack holds 0"),
            Hostile(name: "add with one value",
                    program: makeProgram([ins(.const_, c: 0), ins(.add), ins(.ret)], constants: [.int(1)]),
                    fragment: "`add` needs 2 values, the stack holds 1"),
            Hostile(name: "ret on an empty stack",
                    program: makeProgram([ins(.ret)]),
                    fragment: "`ret` needs 1"),
            Hostile(name: "constant index out of range",
                    program: makeProgram([ins(.const_, c: 5), ins(.ret)], constants: [.int(1)]),
                    fragment: "constant 5 out of range"),
            Hostile(name: "label slot out of range",
                    program: makeProgram([ins(.label, b: 3), ins(.ret)], labelSlots: ["env"]),
                    fragment: "label slot 3 out of range"),
            Hostile(name: "fused label slot out of range",
                    program: makeProgram([ins(.jumpLabelEq, b: 7, c: 2), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: prod.constants, constantBytes: prod.bytes, labelSlots: ["env"]),
                    fragment: "label slot 7 out of range"),
            Hostile(name: "fused comparison with a string past the constant bytes",
                    program: makeProgram([ins(.jumpLabelEq, b: 0, c: 2), ins(.const_, b: 4, c: 1), ins(.retTrue)],
                                         constantBytes: Array("prod".utf8), labelSlots: ["env"]),
                    fragment: "string outside the constant bytes"),
            Hostile(name: "entry costing more than the budget",
                    program: makeProgram([ins(.retTrue)], entries: [Entry(name: "greedy", pc: 0, cost: 50)], budget: 10),
                    fragment: "costs 50, over the budget of 10"),
            Hostile(name: "falling off the end of the code",
                    program: makeProgram([ins(.const_, c: 0), ins(.pop)], constants: [Value.true]),
                    fragment: "falls off the end"),
            Hostile(name: "inconsistent stack depths at a join",
                    program: makeProgram([ins(.const_, c: 0), ins(.jumpIf, c: 3), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: [Value.true]),
                    fragment: "on another path"),
            Hostile(name: "string constant past the constant bytes",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [str(2, 5)], constantBytes: Array("abc".utf8)),
                    fragment: "string outside the constant bytes"),
            Hostile(name: "string constant in the input pool",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [.string(.input, offset: 0, count: 1)],
                                         constantBytes: Array("abc".utf8)),
                    fragment: "string outside the constant bytes"),
            Hostile(name: "list constant past the list elements",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [.list(.constant, offset: 1, count: 2)],
                                         listElements: [.int(1), .int(2)]),
                    fragment: "list outside the list elements"),
            Hostile(name: "nested list element",
                    program: makeProgram([ins(.retTrue)], listElements: [.list(.constant, offset: 0, count: 0)]),
                    fragment: "nested list"),
            Hostile(name: "list element string past the constant bytes",
                    program: makeProgram([ins(.retTrue)], constantBytes: Array("ab".utf8), listElements: [str(1, 9)]),
                    fragment: "list element 0: string outside the constant bytes"),
            Hostile(name: "bool out of range",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [Value(tag: .bool, bits: 2)]),
                    fragment: "bool out of range"),
            Hostile(name: "severity out of range",
                    program: makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [.severity(9)]),
                    fragment: "severity out of range"),
            Hostile(name: "call of a builtin that does not exist",
                    program: makeProgram([ins(.const_, c: 0), ins(.call, a: 200, b: 1), ins(.ret)], constants: [.int(1)]),
                    fragment: "unknown builtin 200"),
            Hostile(name: "call with the wrong argument count",
                    program: makeProgram([ins(.const_, c: 0), ins(.const_, c: 0), ins(.call, a: BuiltinID.len.rawValue, b: 2), ins(.ret)],
                                         constants: [str(0, 1)], constantBytes: Array("a".utf8)),
                    fragment: "not 2 arguments"),
            Hostile(name: "iterate at the loop depth limit",
                    program: loopProgram { $0[1].a = depthLimit; $0[2].a = depthLimit; $0[3].a = depthLimit },
                    fragment: "loop depth \(depthLimit) out of range"),
            Hostile(name: "next past the loop depth limit",
                    program: loopProgram { $0[2].a = 200 },
                    fragment: "loop depth 200 out of range"),
            Hostile(name: "it at the loop depth limit",
                    program: makeProgram([ins(.it, a: depthLimit), ins(.ret)]),
                    fragment: "loop depth \(depthLimit) out of range"),
            Hostile(name: "string set out of range",
                    program: makeProgram([ins(.label, b: 0), ins(.inSet, c: 3), ins(.ret)], labelSlots: ["env"]),
                    fragment: "string set 3 out of range"),
            Hostile(name: "window out of range",
                    program: makeProgram([ins(.inWindow, b: 0), ins(.ret)]),
                    fragment: "window 0 out of range"),
            Hostile(name: "field out of range",
                    program: makeProgram([ins(.field, a: 200), ins(.ret)]),
                    fragment: "field 200 out of range"),
            Hostile(name: "map out of range",
                    program: makeProgram([ins(.const_, c: 0), ins(.mapGet, a: 2), ins(.ret)], constants: [str(0, 1)],
                                         constantBytes: Array("a".utf8)),
                    fragment: "map 2 out of range"),
            Hostile(name: "regex out of range",
                    program: makeProgram([ins(.const_, c: 0), ins(.match, c: 0), ins(.ret)], constants: [str(0, 1)],
                                         constantBytes: Array("a".utf8)),
                    fragment: "regex 0 out of range"),
            Hostile(name: "fused instruction cut off at the end",
                    program: makeProgram([ins(.retTrue), ins(.jumpLabelEq, b: 0, c: 0)], constants: prod.constants,
                                         constantBytes: prod.bytes, labelSlots: ["env"], entries: [Entry(name: "e", pc: 0, cost: 1)]),
                    fragment: "truncated instruction"),
            Hostile(name: "entry outside the code",
                    program: makeProgram([ins(.retTrue)], entries: [Entry(name: "far", pc: 5, cost: 1)]),
                    fragment: "outside the code"),
            Hostile(name: "entry at the second word of a fused instruction",
                    program: makeProgram([ins(.jumpLabelEq, b: 0, c: 2), ins(.const_, c: 0), ins(.retTrue)],
                                         constants: prod.constants, constantBytes: prod.bytes, labelSlots: ["env"],
                                         entries: [Entry(name: "inside", pc: 1, cost: 1)]),
                    fragment: "outside the code"),
            Hostile(name: "fused comparison with one value",
                    program: makeProgram([ins(.const_, c: 0), ins(.jumpCompare, a: 6, c: 3), ins(.retTrue), ins(.retFalse)],
                                         constants: [.int(1)]),
                    fragment: "`jcompare` needs 2 values, the stack holds 1"),
            Hostile(name: "fused comparison whose target pops an empty stack",
                    program: makeProgram([ins(.const_, c: 0), ins(.const_, c: 0), ins(.jumpCompare, a: 6, c: 4), ins(.retTrue),
                                          ins(.pop), ins(.retTrue)], constants: [.int(1)]),
                    fragment: "`pop` needs 1 values, the stack holds 0"),
            Hostile(name: "fused comparison with an unknown test",
                    program: makeProgram([ins(.const_, c: 0), ins(.const_, c: 0), ins(.jumpCompare, a: 8, c: 4), ins(.retTrue),
                                          ins(.retFalse)], constants: [.int(1)]),
                    fragment: "unknown comparison 8"),
            Hostile(name: "stack deeper than the limit",
                    program: makeProgram(Array(repeating: ins(.const_, c: 0), count: VM.stackLimit + 1) + [ins(.ret)],
                                         constants: [.int(1)]),
                    fragment: "stack deeper than \(VM.stackLimit)"),
        ]
        for h in cases {
            let error = Verifier.verify(h.program)
            #expect(error != nil, "\(h.name): accepted")
            if let error { #expect(error.message.contains(h.fragment), "\(h.name): \(error)") }
        }
    }

    /// Offsets near the top of the 64-bit range must be rejected, not overflow in the check.
    @Test func verifierRejectsHugeOffsets() {
        let bytes = Array("abc".utf8)
        let cases: [(String, Program)] = [
            ("string at offset 2^64-1",
             makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [Value(tag: .string, bits: .max, count: 1)], constantBytes: bytes)),
            ("string at offset Int.max",
             makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [Value(tag: .string, bits: UInt64(Int.max), count: 2)],
                         constantBytes: bytes)),
            ("list at offset 2^63",
             makeProgram([ins(.const_, c: 0), ins(.ret)], constants: [Value(tag: .list, bits: 1 << 63, count: 0)])),
            ("list element string at offset 2^64-2",
             makeProgram([ins(.retTrue)], constantBytes: bytes, listElements: [Value(tag: .string, bits: .max - 1, count: 3)])),
        ]
        for (name, program) in cases {
            let error = Verifier.verify(program)
            #expect(error != nil, "\(name): accepted")
            if let error { #expect(error.message.contains("outside"), "\(name): \(error)") }
        }
    }

    /// Programs the verifier may accept (it checks structure, not types) must still run safely:
    /// builtins handed values of the wrong kind are an error or missing, never a wild read.
    @Test func wronglyTypedBuiltinArgumentsRunSafely() {
        let cases: [(String, [Value], BuiltinID, String)] = [
            ("lower of a negative int", [.int(-1)], .lower, "UTC"),
            ("upper of a negative float", [.float(-1.5)], .upper, "UTC"),
            ("len of an int claiming a megabyte of input", [Value(tag: .int, bits: 0, count: 1 << 20, pool: .input)], .len, "UTC"),
            ("trim of a negative duration", [.duration(-5)], .trim, "UTC"),
            ("duration of the smallest int", [.int(.min)], .duration, "UTC"),
            ("time of a negative float", [.float(-2.5)], .time, "UTC"),
            ("split of ints", [.int(-1), .int(-2)], .split, "UTC"),
            ("join of a string as a list", [str(0, 3), str(0, 1)], .join, "UTC"),
            ("join of a list with an int separator", [.list(.constant, offset: 0, count: 2), .int(-3)], .join, "UTC"),
            ("replace of bools and an int", [Value.true, .int(-1), Value.false], .replace, "UTC"),
            ("substr of an int", [.int(-7), .int(0)], .substr, "UTC"),
            ("hour of the last representable time east of UTC", [.time(.max)], .hour, "Asia/Tokyo"),
            ("weekday of the first representable time west of UTC", [.time(.min)], .weekday, "America/New_York"),
        ]
        // The verifier admits them all (the argument counts are right); each reads as missing.
        for (name, args, f, zone) in cases {
            var code = args.indices.map { ins(.const_, c: UInt32($0)) }
            code += [ins(.call, a: f.rawValue, b: UInt16(args.count)), ins(.ret)]
            let p = makeProgram(code, constants: args, constantBytes: Array("abc".utf8), listElements: [str(0, 1), str(1, 2)],
                                timezone: zone)
            #expect(outcome(p) == "value missing", "\(name)")
        }
    }


    /// An exhausted `next` jumps without charging; a backward jump to it from after the loop
    /// (allowed: it lands on a `next`) must not make an endless loop the budget never stops.
    @Test func everyVerifiedLoopTerminates() throws {
        let p = makeProgram([
            ins(.const_, c: 0),                 // 0: []
            ins(.iterate, a: 0, c: 5),          // 1
            ins(.next, a: 0, b: 1, c: 4),       // 2: done → 4
            ins(.retTrue),                      // 3
            ins(.jump, c: 2),                   // 4: back to the (exhausted) head
            ins(.ret),                          // 5
        ], constants: [.list(.constant, offset: 0, count: 0)], budget: 100)
        #expect(runWithTimeout(try VerifiedProgram(p), seconds: 10) == "error instruction budget exceeded",
                "a verified program ran for 10 s: `next` charges nothing once its list is exhausted")
    }

    /// `it` and `next` reached without their `iterate` read loop state no instruction wrote.
    @Test func loopInstructionsOutsideALoopRunSafely() {
        // Before any loop, each depth holds an empty list and a missing element.
        #expect(outcome(makeProgram([ins(.it, a: 3), ins(.ret)])) == "value missing")
        #expect(outcome(makeProgram([ins(.next, a: 2, b: 1, c: 2), ins(.retTrue), ins(.retFalse)])) == "value false")
        #expect(outcome(makeProgram([ins(.next, a: 0, b: 1, c: 3), ins(.it, a: 0), ins(.ret), ins(.retFalse)])) == "value false")
    }

    /// The span table comes from the artifact too; the disassembler (`rulec disasm x.rpk`) and
    /// error rendering (`rulec eval`) index `files` with it, so a span naming no file is rejected.
    @Test func spansOutsideTheFileTableAreRejected() {
        let p = makeProgram([ins(.retTrue)], spans: [(pc: 0, span: SpanRef(file: 9, start: 0, end: 4))], files: ["t.yaml"])
        #expect(Verifier.verify(p)?.description == "pc 0: span outside the file table")
    }
}

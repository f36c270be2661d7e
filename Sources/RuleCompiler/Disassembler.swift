import RuleLang
import RuleVM
import RuleText

/// `rulec disasm`: offset, source line, mnemonic, operands and a resolved comment per instruction.
public enum Disassembler {
    /// Disassembles the entries of `program` (all, or those whose name contains `only`).
    /// `sources` resolves spans to `file:line`; without it spans print as byte offsets.
    public static func text(_ program: Program, sources: [SourceFile] = [], only: String? = nil) -> String {
        let byPath = Dictionary(sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let starts = program.entries.map(\.pc)
        var out = ""
        for (i, entry) in program.entries.enumerated() {
            if let only, !entry.name.contains(only) { continue }
            let end = program.entries.indices.contains(i + 1) ? starts[i + 1] : program.code.count
            out += "\(entry.name) (entry \(i), pc \(entry.pc), cost \(entry.cost)):\n"
            var pc = entry.pc
            var lastLine = ""
            while pc < end, pc < program.code.count {
                let ins = program.code[pc]
                var line = ""
                if let s = program.span(at: pc) {
                    let path = program.files[Int(s.file)]
                    if let f = byPath[path] { line = "\(path):\(f.location(of: Int(s.start)).line)" } else { line = "\(path)@\(s.start)" }
                }
                let shown = line == lastLine ? "" : line
                lastLine = line
                let (operands, comment) = describe(ins, pc: pc, program)
                out += pad(String(pc), 6) + "  " + pad(shown, 24) + "  " + pad(ins.op.mnemonic, 14) + pad(operands, 16)
                    + (comment.isEmpty ? "" : "; " + comment)
                out = out.trimmingTrailingSpaces() + "\n"
                pc += ins.op.width
            }
        }
        return out
    }

    private static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }

    private static func constant(_ program: Program, _ i: Int) -> String {
        guard i < program.constants.count else { return "<bad constant>" }
        return show(program, program.constants[i])
    }

    static func show(_ program: Program, _ v: Value) -> String {
        switch v.tag {
        case .string:
            var s = ""
            JSONValue.escape(program.constantString(v), into: &s)
            return s
        case .list:
            return "[" + (0..<Int(v.count)).map { show(program, program.listElements[v.offset + $0]) }.joined(separator: ", ") + "]"
        case .missing: return "missing"
        case .bool: return v.bits != 0 ? "true" : "false"
        case .int: return String(v.int)
        case .float: return CanonicalText.float(v.float)
        case .duration: return CanonicalText.text(.duration(v.int))
        case .time: return CanonicalText.text(.time(v.int))
        case .severity: return CanonicalText.severityNames[Int(min(v.bits, 3))]
        case .map: return UInt8(exactly: v.bits).flatMap(AlertMap.init(rawValue:))?.name ?? "<bad map>"
        }
    }

    private static func describe(_ ins: Instruction, pc: Int, _ p: Program) -> (String, String) {
        let second = pc + 1 < p.code.count ? p.code[pc + 1] : Instruction(.pop)
        func slot(_ i: UInt16) -> String {
            guard Int(i) < p.labelSlots.count else { return "<bad slot>" }
            let name = p.labelSlots[Int(i)]
            return name == Program.alertnameFieldSlot ? "alertname (field)" : name
        }
        func regex(_ i: UInt32) -> String { Int(i) < p.regexes.count ? "/\(p.regexes[Int(i)].pattern)/" : "<bad regex>" }
        func set(_ i: UInt32) -> String { Int(i) < p.stringSets.count ? "{" + p.stringSets[Int(i)].members.joined(separator: ", ") + "}" : "<bad set>" }
        switch ins.op.operands {
        case .none: return ("", "")
        case .constant: return ("k\(ins.c)", constant(p, Int(ins.c)))
        case .labelSlot: return ("s\(ins.b)", "label \(slot(ins.b))")
        case .numberSlot: return ("s\(ins.b)", Int(ins.b) < p.numberSlots.count ? "number label \(p.numberSlots[Int(ins.b)])" : "")
        case .annotationSlot: return ("s\(ins.b)", Int(ins.b) < p.annotationSlots.count ? "annotation \(p.annotationSlots[Int(ins.b)])" : "")
        case .field: return ("\(ins.a)", Field(rawValue: ins.a).map { "\($0)" } ?? "<bad field>")
        case .map: return ("\(ins.a)", AlertMap(rawValue: ins.a)?.name ?? "<bad map>")
        case .depth: return ("d\(ins.a)", "")
        case .stringSet: return ("set\(ins.c)", set(ins.c))
        case .regex: return ("re\(ins.c)", regex(ins.c))
        case .target: return ("-> \(ins.c)", "")
        case .compareTarget:
            guard let test = ComparisonJump(rawValue: ins.a) else { return ("\(ins.a) -> \(ins.c)", "<bad comparison>") }
            return ("\(ins.a) -> \(ins.c)", "jump when \(test.whenTrue ? "" : "not ")a \(test.comparison.symbol) b")
        case .labelConstTarget:
            let text = Int(second.c) + Int(second.b) <= p.constantBytes.count
                ? show(p, .string(.constant, offset: Int(second.c), count: Int(second.b))) : "<bad string>"
            let affix = ins.op == .jumpLabelAffix || ins.op == .jumpLabelNotAffix ? LabelAffix(rawValue: ins.a) : nil
            // (The operand shape holds the two equality tests and the two affix tests.)
            let test = ins.op == .jumpLabelEq ? "==" : ins.op == .jumpLabelNe ? "!="
                : (ins.op == .jumpLabelNotAffix ? "not " : "") + (affix?.name ?? "?")
            // `exists(label)` compiles to the empty prefix test.
            let exists = affix == .prefix && second.b == 0
            let comment = exists ? "label \(slot(ins.b)) \(ins.op == .jumpLabelAffix ? "exists" : "missing")" : "label \(slot(ins.b)) \(test) \(text)"
            return ("s\(ins.b) @\(second.c)+\(second.b) -> \(ins.c)", comment)
        case .labelSetTarget: return ("s\(ins.b) set\(second.c) -> \(ins.c)", "label \(slot(ins.b)) \(ins.op == .jumpLabelIn ? "in" : "not in") \(set(second.c))")
        case .labelRegexTarget: return ("s\(ins.b) re\(second.c) -> \(ins.c)", "label \(slot(ins.b)) \(ins.op == .jumpLabelMatch ? "=~" : "!~") \(regex(second.c))")
        case .severityTarget:
            let names = (0..<4).filter { ins.a & (1 << $0) != 0 }.map { CanonicalText.severityNames[$0] }
            return ("mask \(ins.a) -> \(ins.c)", "severity in {\(names.joined(separator: ", "))}")
        case .builtin: return ("\(ins.a) \(ins.b)", BuiltinID(rawValue: ins.a).map { "\($0)/\(ins.b)" } ?? "<bad builtin>")
        case .window: return ("w\(ins.b)", Int(ins.b) < p.windows.count ? p.windows[Int(ins.b)].name : "")
        case .count: return ("\(ins.c)", "")
        case .iterate: return ("d\(ins.a) -> \(ins.c)", "")
        case .next: return ("d\(ins.a) \(ins.b) -> \(ins.c)", "charge \(ins.b) per element")
        case .aggregate: return ("a\(ins.b)", "")
        case .memo: return ins.op == .memoLoad ? ("m\(ins.b) -> \(ins.c)", "shared with other rules") : ("m\(ins.b)", "")
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

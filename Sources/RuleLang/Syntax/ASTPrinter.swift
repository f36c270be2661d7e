import RuleText
/// Prints expressions as S-expressions: `rulec check --dump ast`, and the canonical form the
/// checker compares to find identical routes.
public enum ASTPrinter {
    public static func print(_ e: Expr) -> String {
        switch e.kind {
        case .literal(let l): return literal(l)
        case .list(let items): return "[" + items.map(print).joined(separator: " ") + "]"
        case .name(let n): return n.text
        case .member(let b, let n): return "(. \(print(b)) \(n.text))"
        case .index(let b, let i): return "([] \(print(b)) \(print(i)))"
        case .call(let n, let args): return "(call \(n.text)" + args.map { " " + print($0) }.joined() + ")"
        case .unary(let op, let x): return "(\(op.rawValue) \(print(x)))"
        case .binary(let op, let a, let b): return "(\(op.rawValue) \(print(a)) \(print(b)))"
        case .conditional(let c, let a, let b): return "(?: \(print(c)) \(print(a)) \(print(b)))"
        case .invalid: return "<error>"
        }
    }

    public static func literal(_ l: Literal) -> String {
        switch l {
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return "\(d)"
        case .string(let s):
            var out = ""
            JSONValue.escape(s.value, into: &out)
            return out
        case .duration(let ms): return formatDuration(ms)
        case .severity(let s): return s.name
        }
    }
}


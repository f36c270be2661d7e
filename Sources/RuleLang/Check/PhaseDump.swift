/// `rulec check --dump tokens|ast|types`: each phase's view of one file's expressions.
public enum PhaseDump {
    public enum Phase: String, Sendable, CaseIterable {
        case tokens, ast, types
    }

    /// Prints `phase` for every expression of `file`. Types need the whole pack (macros and lists
    /// of other files), so `packFiles` is the tenant's pack; tokens and ASTs read `file` alone.
    public static func dump(_ phase: Phase, file: SourceFile, packFiles: [SourceFile]? = nil, tenant: String,
                            options: CheckOptions = CheckOptions()) -> (String, [Diagnostic]) {
        switch phase {
        case .tokens:
            let (root, diagnostics) = YamlLoader.load(file)
            var out = ""
            if let root { tokens(root, role: "", into: &out) }
            return (out, diagnostics)
        case .ast:
            let (pack, diagnostics) = PackReader.read(tenant: tenant, files: [file])
            var out = ""
            for m in pack.macros { out += "\(m.body.span) macro \(m.name.text): \(ASTPrinter.print(m.body))\n" }
            for (kind, name, role, e) in expressions(pack) {
                out += "\(e.span) \(kind) \(name) \(role): \(ASTPrinter.print(e))\n"
            }
            return (out, diagnostics)
        case .types:
            let (checked, diagnostics) = Frontend.check(tenant: tenant, files: packFiles ?? [file], options: options)
            var out = ""
            for r in checked.rules where r.name.span.file === file {
                for (role, e) in r.expressions {
                    out += "\(e.span) \(r.kind.rawValue) \(r.name.text) \(role) [cost \(r.cost)]: \(TypedPrinter.print(e))\n"
                }
            }
            return (out, diagnostics.filter { $0.span == nil || $0.span?.file === file })
        }
    }

    static let expressionKeys: Set<String> = ["when", "condition", "while_active"]

    /// Walks the YAML, tokenizing every scalar in an expression position.
    private static func tokens(_ node: YamlNode, role: String, into out: inout String) {
        switch node {
        case .scalar(let s):
            guard !role.isEmpty else { return }
            let (toks, d) = Parser.tokens(ExpressionSource(scalar: s))
            out += "\(s.span) \(role):\n"
            for t in toks {
                let named: Set<TokenKind> = [.identifier, .int, .float, .duration, .string, .eof]
                let kind = named.contains(t.kind) ? t.kind.rawValue : "punct"
                out += "  \(t.span) \(kind) \(t.kind == .eof ? "" : t.text)\n"
            }
            if let d { out += "  error[\(d.code.id)]: \(d.message)\n" }
        case .sequence(let items, _):
            for i in items { tokens(i, role: role == "sequence" ? "sequence step" : "", into: &out) }
        case .mapping(let m):
            for (k, v) in m.entries {
                if role == "macros" { tokens(v, role: "macro \(k.value)", into: &out); continue }
                let r = expressionKeys.contains(k.value) || k.value == "sequence" || k.value == "macros" ? k.value : ""
                if case .scalar = v, r.isEmpty || r == "macros" || r == "sequence" { continue }
                tokens(v, role: r, into: &out)
            }
        case .invalid:
            break
        }
    }

    /// Every untyped expression of the pack's rules: (kind, rule, role, expression).
    private static func expressions(_ pack: Pack) -> [(String, String, String, Expr)] {
        var out: [(String, String, String, Expr)] = []
        for r in pack.enrich { out.append(("enrich", r.name.text, "when", r.when)) }
        for r in pack.suppress {
            out.append(("suppress", r.name.text, "when", r.when))
            if let w = r.whileActive { out.append(("suppress", r.name.text, "while_active", w)) }
        }
        for r in pack.correlate {
            if let w = r.when { out.append(("correlate", r.name.text, "when", w)) }
            if case .window(_, let c) = r.kind { out.append(("correlate", r.name.text, "condition", c)) }
            if case .sequence(_, let steps) = r.kind {
                for (i, s) in steps.enumerated() { out.append(("correlate", r.name.text, "sequence[\(i)]", s)) }
            }
        }
        for r in pack.anomalies { out.append(("anomaly", r.name.text, "when", r.when)) }
        for r in pack.allRoutes { out.append(("route", r.name.text, "when", r.when)) }
        return out
    }
}

/// Prints typed expressions as S-expressions annotated with their types.
public enum TypedPrinter {
    public static func print(_ e: TypedExpr) -> String {
        let head: String
        switch e.kind {
        case .literal(let l): return "\(ASTPrinter.literal(l)):\(e.type)"
        case .field(let f): return "\(f.rawValue):\(e.type)"
        case .label(let n): return "label[\(n)]:\(e.type)"
        case .annotation(let n): return "annotation[\(n)]:\(e.type)"
        case .namedList(let n, _): return "list[\(n)]:\(e.type)"
        case .it: return "it:\(e.type)"
        case .window(let n): return "window[\(n)]"
        case .invalid: return "<invalid>"
        case .list: head = "list"
        case .mapIndex(let f, _): head = "\(f.rawValue)[]"
        case .macro(let n, _): head = "macro \(n)"
        case .listIndex: head = "[]"
        case .call(let b, _): head = b.rawValue
        case .match(_, let re, let negated):
            var p = ""
            JSONValue.escape(re.pattern, into: &p)
            head = (negated ? "!~ " : "=~ ") + p
        case .unary(let op, _): head = op.rawValue
        case .binary(let op, _, _): head = op.rawValue
        case .conditional: head = "?:"
        case .aggregate(let a, _): head = a.rawValue
        }
        return "(\(head)" + e.children.map { " " + print($0) }.joined() + "):\(e.type)"
    }
}

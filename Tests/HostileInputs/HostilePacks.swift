/// Generators of hostile packs, one family per class of defect a pack can provoke: deep nesting
/// of calls, macros and YAML; wide lists and many labels; extreme durations and times; long
/// literals through constant folding; odd block scalars and line separators; long quoted text. Each takes its
/// sizes from `Choices`, always including the sizes around the limits the language documents.
public enum HostilePacks {
    /// Every family, by name, so a run can cover each with a few draws.
    public static let families: [(String, @Sendable (inout any Choices) -> HostilePack)] = [
        ("deep calls", deepCalls), ("macro chains", macroChains), ("yaml nesting", yamlNesting),
        ("wide lists", wideLists), ("many labels", manyLabels), ("extreme durations", extremeDurations),
        ("extreme times", extremeTimes), ("folding growth", foldingGrowth), ("block scalars", blockScalars),
        ("line separators", lineSeparators), ("time zones", timeZones), ("long chains", longChains), ("long quotes", longQuotes),
    ]

    /// Nesting sizes: small, around 64/128/256 and far beyond.
    static let depths = [8, 63, 64, 65, 127, 128, 129, 255, 256, 257, 300, 1_000, 6_000]

    /// One pack of a family drawn by `choices`.
    public static func any(_ choices: inout any Choices) -> HostilePack {
        families[choices.int(families.count)].1(&choices)
    }

    /// `replace(…)`, `lower(…)`, `!`, parentheses, unary minus, `??`, ternaries and nested
    /// `any(split(…), …)`, nested `depth` deep in one condition.
    public static func deepCalls(_ c: inout any Choices) -> HostilePack {
        let depth = c.pick(depths)
        let shape = c.int(8)
        let n = depth
        var when: String
        switch shape {
        case 0: when = String(repeating: "replace(", count: n) + "alertname" + String(repeating: ", \"b\", \"c\")", count: n) + " == \"c\""
        case 1: when = String(repeating: "lower(", count: n) + "alertname" + String(repeating: ")", count: n) + " == \"a\""
        case 2: when = String(repeating: "!", count: n) + "true"
        case 3: when = String(repeating: "(", count: n) + "alertname == \"A\"" + String(repeating: ")", count: n)
        case 4: when = String(repeating: "-", count: n) + "1 < 0"
        case 5: when = (0..<n).map { _ in "labels.l0 ?? " }.joined() + "\"x\" == \"x\""
        case 6: when = String(repeating: "true ? (", count: n) + "true" + String(repeating: ") : false", count: n)
        default:
            let k = min(n, 12)
            when = String(repeating: "any(split(alertname, \",\"), ", count: k) + "it == \"A\"" + String(repeating: ")", count: k)
        }
        return HostilePack("deep calls: shape \(shape) ×\(n)", yaml: Frame.pack(routeWhen: Frame.quoted(when)))
    }

    /// Chains of `n` macros each using the previous one: negation, concatenation, doubling.
    public static func macroChains(_ c: inout any Choices) -> HostilePack {
        let shape = c.int(4)
        let n = shape == 2 ? c.pick([10, 20, 30, 40, 64]) : c.pick([30, 128, 255, 256, 300, 1_000, 6_000])
        var m = "macros:\n"
        switch shape {
        case 0: m += "  m0: 'true'\n"; for i in 1..<n { m += "  m\(i): '!m\(i - 1)'\n" }
        case 1: m += "  m0: '\"x\"'\n"; for i in 1..<n { m += "  m\(i): '\"x\" + m\(i - 1)'\n" }
        case 2: m += "  m0: 'alertname == \"A\"'\n"; for i in 1..<n { m += "  m\(i): 'm\(i - 1) && m\(i - 1)'\n" }
        default: m += "  m0: 'alertname'\n"; for i in 1..<n { m += "  m\(i): 'replace(m\(i - 1), \"b\", \"c\")'\n" }
        }
        let use = shape == 0 || shape == 2 ? "m\(n - 1)" : "m\(n - 1) == \"x\""
        return HostilePack("macro chains: shape \(shape) ×\(n)", yaml: Frame.pack(routeWhen: Frame.quoted(use), sections: m))
    }

    /// A list literal of `n` computed items, a `lists:` entry and an `in` over `n` constants, and
    /// a template of `n` holes: around 255/256 and 65,535/65,536.
    public static func wideLists(_ c: inout any Choices) -> HostilePack {
        let n = c.pick([254, 255, 256, 257, 1_000, 65_535, 65_536, 100_000])
        switch c.int(4) {
        case 0:
            let items = Array(repeating: "alertname", count: n).joined(separator: ", ")
            return HostilePack("wide lists: \(n) computed items", yaml: Frame.pack(routeWhen: Frame.quoted("\"A\" in [\(items)]")))
        case 1:
            let items = (0..<n).map { "v\($0)" }.joined(separator: ", ")
            return HostilePack("wide lists: `lists:` of \(n)", yaml: Frame.pack(routeWhen: "alertname in big", sections: "lists:\n  big: [\(items)]\n"))
        case 2:
            let items = (0..<n).map { "\"v\($0)\"" }.joined(separator: ", ")
            return HostilePack("wide lists: `in` over \(n) constants", yaml: Frame.pack(routeWhen: Frame.quoted("alertname in [\(items)]")))
        default:
            let holes = String(repeating: "{{ alertname }}", count: min(n, 20_000))
            let enrich = "enrich:\n  - name: e\n    when: 'true'\n    set:\n      annotations.x: \(Frame.quoted(holes))\n"
            return HostilePack("wide lists: template of \(min(n, 20_000)) holes", yaml: Frame.pack(sections: enrich))
        }
    }

    /// Long chains of one binary operator (`&&`, `||`, `+`, `??`): a left-deep tree as deep as
    /// the chain is long, around the parser's depth limit of 2,000.
    public static func longChains(_ c: inout any Choices) -> HostilePack {
        let n = c.pick([500, 900, 1_999, 2_000, 2_001, 5_000])
        let when: String
        switch c.int(4) {
        case 0: when = (0..<n).map { "exists(labels.l\($0))" }.joined(separator: " && ")
        case 1: when = (0..<n).map { "labels.l\($0) == \"x\"" }.joined(separator: " || ")
        case 2: when = (0..<n).map { _ in "alertname" }.joined(separator: " + ") + " != \"\""
        default: when = (0..<n).map { "labels.l\($0)" }.joined(separator: " ?? ") + " ?? \"\" == \"x\""
        }
        return HostilePack("long chains: \(when.prefix(12))… ×\(n)", yaml: Frame.pack(routeWhen: Frame.quoted(when)))
    }

    /// More distinct labels than a 16-bit slot holds, spread over rules under the cost budget.
    public static func manyLabels(_ c: inout any Choices) -> HostilePack {
        let total = c.pick([1_000, 65_535, 65_536, 70_000])
        let perRule = 400
        var s = "suppress:\n"
        var start = 0
        while start < total {
            let end = min(total, start + perRule)
            let terms = (start..<end).map { "exists(labels.l\($0))" }.joined(separator: " && ")
            s += "  - name: s\(start)\n    when: \(Frame.quoted(terms))\n"
            start = end
        }
        return HostilePack("many labels: \(total)", yaml: Frame.pack(sections: s))
    }

    /// Literals and `replace` growth the optimizer may fold: around and over the VM's memory budget.
    public static func foldingGrowth(_ c: inout any Choices) -> HostilePack {
        switch c.int(3) {
        case 0:
            let n = c.pick([1_000, 40_000, 70_000, 1_000_000])
            let when = "\"" + String(repeating: "a", count: n) + "\" + \"b\" + \"c\" != \"\""
            return HostilePack("folding growth: literal of \(n)", yaml: Frame.pack(routeWhen: Frame.quoted(when)))
        case 1:
            let n = c.pick([10, 16, 20, 25, 40])
            let when = String(repeating: "replace(", count: n) + "\"aa\"" + String(repeating: ", \"a\", \"aa\")", count: n) + " != \"\""
            return HostilePack("folding growth: replace ×\(n)", yaml: Frame.pack(routeWhen: Frame.quoted(when)))
        default:
            let n = c.pick([20, 30, 64])
            var m = "macros:\n  g0: '\"ab\"'\n"
            for i in 1..<n { m += "  g\(i): 'g\(i - 1) + g\(i - 1)'\n" }
            return HostilePack("folding growth: doubling macros ×\(n)", yaml: Frame.pack(routeWhen: Frame.quoted("len(g\(n - 1)) > 0"), sections: m))
        }
    }
}

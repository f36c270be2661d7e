/// The parts of an Alertmanager configuration the import translates, read and validated as
/// Alertmanager validates them (what it rejects is an error here too), before anything is written.
struct AlertmanagerConfig {
    /// A route of the tree.
    struct Route {
        var receiver: YamlScalar?
        /// Label names, or `["..."]` for every label; nil when not set.
        var groupBy: [String]?
        var continues = false
        var matchers: [AlertmanagerMatcher] = []
        var timers: [(key: StaticString, value: AlertmanagerDuration)] = []
        var mute: YamlScalar?
        var active: YamlScalar?
        var routes: [Route] = []
    }

    /// An inhibit rule.
    struct Inhibit {
        var source: [AlertmanagerMatcher]
        var target: [AlertmanagerMatcher]
        var equal: [String]?
    }

    /// A named time interval, as a RuleLang time window's fields.
    struct Window {
        let name: String
        var hours: String?
        var weekdays: [String]?
        var location: String?
    }

    var route = Route()
    var inhibits: [Inhibit] = []
    var windows: [Window] = []
    var receivers: [String] = []

    /// Deeper route trees are refused: no real configuration comes close, the pack's
    /// indentation and route names grow with the depth, and a pack's own YAML may nest at most
    /// 128 levels (two a route level).
    static let maxRouteDepth = 60

    static let topKeys = ["global", "route", "inhibit_rules", "receivers", "templates", "mute_time_intervals", "time_intervals"]
    static let routeKeys = ["receiver", "group_by", "continue", "match", "match_re", "matchers", "mute_time_intervals",
                            "active_time_intervals", "group_wait", "group_interval", "repeat_interval", "routes"]
    static let inhibitKeys = ["source_match", "source_match_re", "source_matchers", "target_match", "target_match_re",
                              "target_matchers", "equal"]

    /// Reads the document's root node.
    static func read(_ root: YamlNode, file: SourceFile) -> (AlertmanagerConfig, [Diagnostic]) {
        var r = AlertmanagerReader()
        var config = AlertmanagerConfig()
        guard let top = r.mapping(root, "the configuration") else {
            return (config, r.diagnostics.isEmpty ? [missingRoute(file)] : r.diagnostics)
        }
        r.checkKeys(top, topKeys, in: "the configuration")
        var seen: [String: SourceSpan] = [:]
        for item in r.sequence(top["receivers"], "`receivers`") {
            guard let m = r.mapping(item, "a receiver", required: true) else { continue }
            guard let name = r.string(m["name"], "a receiver's `name`"), !name.value.isEmpty else {
                r.error(YamlCodes.missingKey, "receiver without a `name`", at: m.span, label: "no name")
                continue
            }
            if seen[name.value] != nil {
                r.error(YamlCodes.invalidValue, "receiver name \(YamlEmitter.quoted(name.value)) is not unique", at: name.span, label: "used before")
            } else {
                seen[name.value] = name.span
                config.receivers.append(name.value)
            }
        }
        var windowNames: Set<String> = []
        for key in ["time_intervals", "mute_time_intervals"] {
            for item in r.sequence(top[key], "`\(key)`") {
                guard let w = readWindow(item, &r) else { continue }
                guard windowNames.insert(w.name).inserted else {
                    r.error(YamlCodes.invalidValue, "time interval \(YamlEmitter.quoted(w.name)) is not unique", at: item.span, label: "used before")
                    continue
                }
                config.windows.append(w)
            }
        }
        for item in r.sequence(top["inhibit_rules"], "`inhibit_rules`") {
            guard let m = r.mapping(item, "an inhibit rule", required: true) else { continue }
            r.checkKeys(m, inhibitKeys, in: "an inhibit rule")
            var equal: [String]?
            if m["equal"] != nil, !AlertmanagerReader.isNull(m["equal"]) {
                equal = r.strings(m["equal"], "`equal`").filter { r.labelName($0, "`equal`") }.map(\.value)
            }
            config.inhibits.append(Inhibit(source: matchers(m, prefix: "source_", &r), target: matchers(m, prefix: "target_", &r), equal: equal))
        }
        guard let routeNode = top["route"], let route = r.mapping(routeNode, "`route`") else {
            return (config, r.diagnostics + (top["route"] == nil ? [missingRoute(file)] : []))
        }
        let context = RouteContext(receivers: Set(config.receivers), windows: windowNames)
        config.route = readRoute(route, depth: 0, context, &r)
        if config.route.receiver == nil {
            r.error(YamlCodes.missingKey, "the root route must name a default `receiver`", at: route.span, label: "no receiver")
        }
        for key in ["match", "match_re", "matchers"] where !AlertmanagerReader.isNull(route[key]) {
            r.error(YamlCodes.invalidValue, "the root route must not have `\(key)`", at: route.keyScalar(key)!.span,
                    label: "the root route matches every alert")
        }
        for key in ["mute_time_intervals", "active_time_intervals"] where !AlertmanagerReader.isNull(route[key]) {
            r.error(YamlCodes.invalidValue, "the root route must not have `\(key)`", at: route.keyScalar(key)!.span, label: "on the root route")
        }
        if config.route.continues {
            r.error(YamlCodes.invalidValue, "the root route cannot have `continue`", at: route.keyScalar("continue")!.span, label: "on the root route")
        }
        return (config, r.diagnostics)
    }

    private static func missingRoute(_ file: SourceFile) -> Diagnostic {
        Diagnostic(YamlCodes.missingKey, "no `route:` mapping at the top level", at: SourceSpan(file: file, start: 0, end: 0),
                   label: "an Alertmanager configuration needs a route tree", path: file.path)
    }

    private struct RouteContext {
        let receivers: Set<String>
        let windows: Set<String>
    }

    private static func readRoute(_ m: YamlMapping, depth: Int, _ context: RouteContext, _ r: inout AlertmanagerReader) -> Route {
        r.checkKeys(m, routeKeys, in: "a route")
        var route = Route()
        if let name = r.string(m["receiver"], "`receiver`"), !name.value.isEmpty {
            if !context.receivers.contains(name.value) {
                r.error(YamlCodes.invalidValue, "undefined receiver \(YamlEmitter.quoted(name.value)) used in route", at: name.span,
                        label: "not under `receivers`")
            }
            route.receiver = name
        }
        if m["group_by"] != nil, !AlertmanagerReader.isNull(m["group_by"]) {
            let labels = r.strings(m["group_by"], "`group_by`")
            var names: [String] = []
            for l in labels where l.value == "..." || r.labelName(l, "`group_by`") {
                if names.contains(l.value) {
                    r.error(YamlCodes.invalidValue, "duplicated label \(YamlEmitter.quoted(l.value)) in `group_by`", at: l.span, label: "repeated")
                }
                names.append(l.value)
            }
            if names.contains("..."), names.count > 1 {
                r.error(YamlCodes.invalidValue, "`group_by` cannot have `...` and other labels at the same time", at: m["group_by"]!.span,
                        label: "`...` already means every label")
            }
            route.groupBy = names
        }
        route.continues = r.bool(m["continue"], "`continue`")
        route.matchers = matchers(m, prefix: "", &r)
        for key: StaticString in ["group_wait", "group_interval", "repeat_interval"] {
            guard let d = r.duration(m["\(key)"], "\(key)") else { continue }
            if d.milliseconds == 0, "\(key)" != "group_wait" {
                r.error(YamlCodes.badDuration, "`\(key)` cannot be zero", at: m["\(key)"]!.span, label: "zero")
            }
            route.timers.append((key, d))
        }
        route.mute = window(m, "mute_time_intervals", context, &r)
        route.active = window(m, "active_time_intervals", context, &r)
        let children = r.sequence(m["routes"], "`routes`")
        if !children.isEmpty, depth + 1 >= maxRouteDepth {
            r.error(YamlCodes.invalidValue, "route tree nested more than \(maxRouteDepth) levels deep", at: m.keyScalar("routes")!.span,
                    label: "level \(depth + 2) starts here", help: ["flatten the tree: a real configuration needs a few levels"])
            return route
        }
        for child in children {
            guard let cm = r.mapping(child, "a route", required: true) else { continue }
            route.routes.append(readRoute(cm, depth: depth + 1, context, &r))
        }
        return route
    }

    /// `mute_time_intervals` / `active_time_intervals`: RuleLang routes take one window each.
    private static func window(_ m: YamlMapping, _ key: String, _ context: RouteContext, _ r: inout AlertmanagerReader) -> YamlScalar? {
        let names = r.strings(m[key], "`\(key)`")
        for n in names where !context.windows.contains(n.value) {
            r.error(YamlCodes.invalidValue, "undefined time interval \(YamlEmitter.quoted(n.value)) used in route", at: n.span,
                    label: "not under `time_intervals`")
        }
        if names.count > 1 {
            r.error(YamlCodes.invalidValue, "the import carries one name per route in `\(key)`, found \(names.count)", at: m[key]!.span,
                    label: "several time intervals", help: ["merge the intervals into one named interval"])
        }
        return names.first
    }

    /// `matchers`, `match` and `match_re` with a prefix (`source_`, `target_` or none).
    static func matchers(_ m: YamlMapping, prefix: String, _ r: inout AlertmanagerReader) -> [AlertmanagerMatcher] {
        var out: [AlertmanagerMatcher] = []
        for line in r.strings(m[prefix + "matchers"], "`\(prefix)matchers`") {
            switch AlertmanagerMatcher.parseList(line.value) {
            case .success(let ms):
                for m in ms { regexProblem(m, at: line.span, &r) }
                out += ms
            case .failure(let problem):
                r.error(YamlCodes.invalidValue, "invalid matcher in `\(prefix)matchers`: \(problem.reason)", at: line.span,
                        label: "not an Alertmanager matcher", help: ["write `name=\"value\"`, with `=`, `!=`, `=~` or `!~`"])
            }
        }
        for (key, op) in [("match", AlertmanagerMatcher.Operator.equal), ("match_re", .regex)] {
            for (k, v) in r.stringMap(m[prefix + key], "`\(prefix + key)`") where r.labelName(k, "`\(prefix + key)`") {
                let matcher = AlertmanagerMatcher(name: k.value, op: op, value: v.value)
                regexProblem(matcher, at: v.span, &r)
                out.append(matcher)
            }
        }
        return out
    }

    /// A regex matcher whose pattern Alertmanager refuses (Go's RE2 syntax) or PCRE2 cannot
    /// compile is an error at its line, as Alertmanager refuses the file: the pack would
    /// otherwise carry a rule Alertmanager never had, or one that does not check.
    static func regexProblem(_ m: AlertmanagerMatcher, at span: SourceSpan, _ r: inout AlertmanagerReader) {
        guard m.op == .regex || m.op == .notRegex else { return }
        if let (message, _) = RE2Syntax.problem(m.value) {
            r.error(TypeCodes.badRegex, "invalid regular expression in matcher `\(m.name)`: \(message)", at: span,
                    label: "not RE2 syntax", help: ["Alertmanager's regexes are Go's RE2: no lookaround, backreferences, possessive quantifiers, atomic groups, recursion or conditionals"])
        } else if let (message, _) = RegexValidator.problem(m.value, anchored: true) {
            r.error(TypeCodes.badRegex, "invalid regular expression in matcher `\(m.name)`: \(message)", at: span,
                    label: message, help: ["Alertmanager anchors the pattern: `^(?:\(m.value))$`"])
        }
    }
}

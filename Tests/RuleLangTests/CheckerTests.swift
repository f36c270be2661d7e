import Testing
@testable import RuleLang

/// The type of `expr` as a route condition, or its error codes.
private func typed(_ expr: String, schema: String? = nil, extra: String = "") -> String {
    let (t, d) = typeOf(expr, schema: schema, extra: extra)
    if let t { return t }
    return codes(d.filter { $0.severity == .error }).joined(separator: ",")
}

/// The type of `expr` as a value, found through a comparison-free probe (`?:` branch).
private func valueType(_ expr: String, schema: String? = nil, extra: String = "") -> String {
    let yaml = "rulelang: 1\n" + (schema.map { "labels:\n\($0)\n" } ?? "") + extra
        + "channels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/\"}\nenrich:\n  - name: e\n    when: true\n    set: {x: \(Quote.single("{{ " + expr + " }}"))}\nroutes:\n  - {name: default, when: true, notify: [c]}\n"
    let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
    let errors = d.filter { $0.severity == .error }
    if !errors.isEmpty { return codes(errors).joined(separator: ",") }
    return checked.rules.first { $0.name.text == "e" }!.expressions[1].expr.type.description
}

@Suite struct CheckerTests {
    // 3.1 types and implicit conversions
    @Test(arguments: [
        ("1 + 2", "int"), ("1 + 2.5", "float"), ("1.5 * 2", "float"), ("7 % 2", "int"), ("\"a\" + \"b\"", "string"),
        ("5m + 30s", "duration"), ("5m * 2", "duration"), ("2 * 5m", "duration"), ("10m / 2", "duration"),
        ("10m / 5m", "float"), ("now() - 5m", "time"), ("now() - starts_at", "duration"), ("starts_at + 1h", "time"),
        ("-3", "int"), ("-1.5", "float"), ("-5m", "duration"), ("[1, 2.5]", "list<float>"), ("[]", "list<_>"),
        ("true ? 1 : 2.5", "float"), ("true ? \"a\" : env", "string?"), ("value", "float?"), ("value ?? 0", "float"),
        ("env ?? \"none\"", "string"), ("severity", "severity"), ("labels", "map"), ("starts_at", "time"),
        ("tenant", "string"), ("source", "string?"), ("fingerprint", "string"), ("tier", "string"),
    ])
    func valueTypes(expr: String, expected: String) {
        #expect(valueType(expr) == expected)
    }

    @Test(arguments: [
        ("\"a\" + 1", "E0301"), ("5m + 1", "E0301"), ("now() + now()", "E0301"), ("[1, \"a\"]", "E0301"),
        ("true ? 1 : \"a\"", "E0301"), ("-\"a\"", "E0301"), ("!1", "E0301"), ("[[1]]", "E0301"),
    ])
    func valueTypeErrors(expr: String, expected: String) {
        #expect(valueType(expr) == expected)
    }

    // Conditions must be bool; comparisons and logic
    @Test(arguments: [
        ("env == \"prod\"", "bool"), ("value > 0.5", "bool"), ("value > 1", "bool"), ("severity >= error", "bool"),
        ("age() > 10m", "bool"), ("env < \"m\"", "bool"), ("exists(env) && env != \"dev\"", "bool"),
        ("search(env, \"pr.d\")", "bool?"), ("env in [\"a\", \"b\"]", "bool"), ("env not in [\"a\"]", "bool"),
        ("\"team\" in labels", "bool"), ("labels contains \"team\"", "bool"), ("env contains \"ro\"", "bool"),
        ("[1, 2] contains 1", "bool"), ("env startswith \"p\" or env endswith \"d\"", "bool"),
        ("any([\"a\", \"b\"], it == env)", "bool"), ("all(split(env ?? \"\", \",\"), len(it) > 0)", "bool"),
        ("in_window(biz)", "bool"), ("hour(now()) >= 9 && weekday(now()) <= 5", "bool"),
    ])
    func conditions(expr: String, expected: String) {
        #expect(typed(expr, extra: "time_windows:\n  biz: {hours: \"09:00-17:00\"}\n") == expected)
    }

    @Test(arguments: [
        ("env", "E0301"), ("value", "E0301"), ("1 == \"1\"", "E0301"), ("env == 3", "E0301"), ("value < \"x\"", "E0301"),
        ("labels == labels", "E0301"), ("env in \"abc\"", "E0301"), ("1 in [\"a\"]", "E0301"), ("age() > 5", "E0301"),
        ("env && true", "E0301"), ("env =~ 5", "E0305"), ("value =~ \"x\"", "E0301"), ("env =~ \"(\"", "E0304"),
        ("search(env, env)", "E0305"), ("severity == \"urgent\"", "E0306"), ("it == 1", "E0208"),
        ("lenn(env) > 1", "E0202"), ("len() > 1", "E0302"), ("len(env, env) > 1", "E0302"), ("count() > 1", "E0303"),
        ("sum(value) > 1", "E0303"), ("in_window(nope)", "E0205"), ("severity.name == \"x\"", "E0210"),
        ("labels[1] == \"x\"", "E0301"), ("env[0] == \"x\"", "E0301"), ("lower(1) == \"x\"", "E0301"),
        ("any(env, true)", "E0301"), ("any([1], it)", "E0301"),
    ])
    func conditionErrors(expr: String, expected: String) {
        #expect(typed(expr, extra: "time_windows:\n  biz: {hours: \"09:00-17:00\"}\n") == expected)
    }

    // 3.2 name resolution order: it, fields, lists, macros, labels
    @Test func namesResolveInOrder() {
        let extra = "lists:\n  envs: [prod, staging]\nmacros:\n  is_prod: env in envs\n  alertname_is: alertname == \"x\"\n"
        #expect(typed("is_prod && alertname_is", extra: extra) == "bool")
        #expect(valueType("envs", extra: extra + "routes_unused: 1\n") == "E0004")
        #expect(valueType("any(envs, it == env) ? envs : []", extra: extra) == "list<string>")
        #expect(valueType("labels.alertname", extra: extra) == "string?")
        #expect(valueType("alertname") == "string")
    }

    @Test func numericListsAndLabelsUnderSchema() {
        let schema = "  cpu: number\n  env: enum(prod, staging, dev)\n  service: string"
        #expect(valueType("cpu * 100", schema: schema) == "float?")
        #expect(typed("cpu > 0.9 && env == \"prod\"", schema: schema) == "bool")
        #expect(typed("env == \"production\"", schema: schema) == "E0307")
        #expect(typed("env in [\"prod\", \"qa\"]", schema: schema) == "E0307")
        #expect(typed("servce == \"x\"", schema: schema) == "E0201")
        #expect(typed("labels.servce == \"x\"", schema: schema) == "bool")
        #expect(valueType("ports[0]", extra: "lists:\n  ports: [80, 443]\n") == "int?")
        #expect(valueType("ratios", extra: "lists:\n  ratios: [0.5, 1]\n") == "list<float>")
        #expect(valueType("codes", extra: "lists:\n  codes: ['80', '443']\n") == "list<string>")
    }

    // 3.5 missing values: functions of optional arguments return optional values
    @Test(arguments: [
        ("lower(env)", "string?"), ("lower(\"A\")", "string"), ("len(env)", "int?"), ("int(env)", "int?"),
        ("float(\"1.5\")", "float?"), ("string(value)", "string?"), ("exists(env)", "bool"), ("extract(env, \"(a)\")", "string?"),
        ("split(env, \",\")", "list<string>?"), ("substr(\"abc\", 1, 1)", "string"), ("replace(env, \"a\", \"b\")", "string?"),
        ("join([\"a\"], \",\")", "string"), ("duration(\"5m\")", "duration?"), ("time(\"2026-01-01T00:00:00Z\")", "time?"),
        ("hour(starts_at)", "int"), ("trim(upper(env ?? \"\"))", "string"), ("value * 2", "float?"),
    ])
    func optionalLifting(expr: String, expected: String) {
        #expect(valueType(expr) == expected)
    }

    // 3.6 aggregates only in correlate conditions and emit templates
    @Test func aggregatesInCorrelate() {
        let yaml = """
        rulelang: 1
        channels:
          c: {type: webhook, url: "http://127.0.0.1:9/"}
        correlate:
          - name: burst
            when: alertname == "A"
            by: [service]
            window: 10m
            condition: count(alertname == "A") >= 3 && count(alertname == "B") == 0 && distinct(instance) > 1
            emit: {alertname: Burst, summary: "{{ count() }} alerts, max {{ max(value) }}, avg {{ avg(value) }}, first {{ first(instance) }}"}
        routes:
          - {name: default, when: true, notify: [c]}
        """
        #expect(codes(check(yaml).filter { $0.severity == .error }) == [])
        let nested = yaml.replacingOccurrences(of: "distinct(instance) > 1", with: "count(count() > 1) > 1")
        #expect(codes(check(nested)) == ["E0303"])
    }

    @Test func severityStringComparisonWarns() {
        let d = check(routePack("severity == \"critical\""))
        #expect(codes(d) == ["W0005"])
        #expect(d[0].help == ["write the severity literal `critical` without quotes"])
        #expect(codes(check(routePack("severity in [\"critical\", \"error\"]"))) == ["W0005", "W0005"])
    }

    @Test func macroCycleIsReported() {
        let d = check(routePack("a", extra: "macros:\n  a: b && true\n  b: c\n  c: a\n"))
        #expect(codes(d) == ["E0206"])
        #expect(d[0].message == "macro cycle: `a` -> `b` -> `c` -> `a`")
    }

    @Test func costBudget() {
        let clauses = (0..<40).map { "it == \"v\($0)\"" }.joined(separator: " || ")
        #expect(codes(check(routePack("any(split(env ?? \"\", \",\"), \(clauses))"))) == ["E0308"])
        var options = CheckOptions()
        options.ruleBudget = 100_000
        #expect(codes(check(routePack("any(split(env ?? \"\", \",\"), \(clauses))"), options: options)) == [])
    }
}

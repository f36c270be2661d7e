import RuleText
import Foundation

/// The pack's `tests:` (spec section 8).
extension PackReader {
    static let alertKeys = ["labels", "annotations", "severity", "value", "starts_at", "ends_at", "source", "fingerprint"]

    static func readTests(_ node: YamlNode, reader: inout NodeReader) -> [PackTest] {
        guard let items = reader.sequence(node, "`tests`") else { return [] }
        var out: [PackTest] = []
        for item in items {
            guard let m = reader.mapping(item, "a test"),
                  reader.checkKeys(m, allowed: ["name", "start", "until", "partial", "input", "expect", "not_expect", "suppressed", "derived"],
                                   required: ["name", "input"], context: "a test"),
                  let name = reader.name(m["name"]!, "a test name") else { continue }
            var startMs: Int64?
            if let s = m["start"], let sc = reader.scalar(s, "`start`") {
                startMs = parseRFC3339(sc.value)
                if startMs == nil {
                    reader.report(YamlCodes.invalidValue, "bad start time `\(sc.value)`", at: sc.span,
                                  help: ["write an RFC 3339 time such as `2026-01-01T09:00:00Z`"])
                }
            }
            let inputs = (reader.sequence(m["input"]!, "`input`") ?? []).compactMap { testInput($0, reader: &reader) }
            let expect = m["expect"].flatMap { reader.sequence($0, "`expect`") }?.compactMap { expectation($0, reader: &reader) } ?? []
            var test = PackTest(name: name, startMs: startMs, untilMs: m["until"].flatMap { reader.duration($0, "`until`") },
                                partial: m["partial"].flatMap { reader.bool($0, "`partial`") } ?? false,
                                inputs: inputs, expect: expect,
                                suppressed: ruleExpectations(m["suppressed"], "`suppressed`", reader: &reader),
                                derived: ruleExpectations(m["derived"], "`derived`", reader: &reader))
            test.notExpect = m["not_expect"].flatMap { reader.sequence($0, "`not_expect`") }?.compactMap { exclusion($0, reader: &reader) } ?? []
            out.append(test)
        }
        return out
    }

    private static func testInput(_ node: YamlNode, reader: inout NodeReader) -> TestInput? {
        guard let m = reader.mapping(node, "a test input"),
              reader.checkKeys(m, allowed: ["at", "alert", "ack", "resolve", "escalate"], required: ["at"], context: "a test input"),
              let at = reader.duration(m["at"]!, "`at`") else { return nil }
        let actions = ["alert", "ack", "resolve", "escalate"].filter { m[$0] != nil }
        guard actions.count == 1 else {
            reader.report(YamlCodes.invalidValue, "a test input needs exactly one of `alert`, `ack`, `resolve`, `escalate`",
                          at: m.entries.first!.key.span, label: actions.isEmpty ? "none given" : "\(actions.count) given")
            return nil
        }
        let kind: TestInputKind
        switch actions[0] {
        case "alert":
            guard let a = reader.mapping(m["alert"]!, "`alert`") else { return nil }
            reader.checkKeys(a, allowed: alertKeys, required: ["labels"], context: "a test alert")
            if let l = a["labels"], let lm = reader.mapping(l, "`labels`"), lm["alertname"] == nil {
                reader.report(YamlCodes.missingKey, "a test alert's labels need `alertname`", at: lm.span.file === l.span.file ? l.span : lm.span,
                              help: ["add `alertname:` to the labels"])
            }
            kind = .alert(a)
        case "ack": guard let n = reader.string(m["ack"]!, "`ack`") else { return nil }; kind = .ack(n)
        case "resolve": guard let n = reader.string(m["resolve"]!, "`resolve`") else { return nil }; kind = .resolve(n)
        default: guard let n = reader.string(m["escalate"]!, "`escalate`") else { return nil }; kind = .escalate(n)
        }
        return TestInput(atMs: at, kind: kind, span: m.span)
    }

    private static func expectation(_ node: YamlNode, reader: inout NodeReader) -> TestExpectation? {
        guard let m = reader.mapping(node, "an expectation"),
              reader.checkKeys(m, allowed: ["at", "channel", "alert", "level", "kind"], required: ["at", "channel", "alert"],
                               context: "an expectation"),
              let at = reader.duration(m["at"]!, "`at`"), let channel = reader.name(m["channel"]!, "`channel`"),
              let alert = reader.string(m["alert"]!, "`alert`") else { return nil }
        let level = m["level"].flatMap { reader.int($0, "`level`", range: 0...99) }
        var e = TestExpectation(atMs: at, channel: channel, alert: alert, level: level, span: m.span)
        if let k = m["kind"] {
            guard let kind = notificationKind(k, reader: &reader) else { return nil }
            e.kind = kind
        }
        return e
    }

    /// A `not_expect:` entry: any of `at`, `channel`, `alert`, `level`, `kind`.
    private static func exclusion(_ node: YamlNode, reader: inout NodeReader) -> TestExclusion? {
        guard let m = reader.mapping(node, "an item of `not_expect`"),
              reader.checkKeys(m, allowed: ["at", "channel", "alert", "level", "kind"], required: [], context: "an item of `not_expect`")
        else { return nil }
        var kind: NotificationKind?
        if let k = m["kind"] {
            guard let given = notificationKind(k, reader: &reader) else { return nil }
            kind = given
        }
        return TestExclusion(atMs: m["at"].flatMap { reader.duration($0, "`at`") }, channel: m["channel"].flatMap { reader.name($0, "`channel`") },
                             alert: m["alert"].flatMap { reader.string($0, "`alert`") },
                             level: m["level"].flatMap { reader.int($0, "`level`", range: 0...99) }, kind: kind, span: m.span)
    }

    private static func notificationKind(_ node: YamlNode, reader: inout NodeReader) -> NotificationKind? {
        guard let s = reader.scalar(node, "`kind`") else { return nil }
        guard let kind = NotificationKind(rawValue: s.value) else {
            reader.report(YamlCodes.invalidValue, "unknown notification kind `\(s.value)`", at: s.span,
                          help: ["a notification is `firing` (a page), `acknowledged` or `resolved`"])
            return nil
        }
        return kind
    }

    private static func ruleExpectations(_ node: YamlNode?, _ what: String, reader: inout NodeReader) -> [TestRuleExpectation] {
        guard let node, let items = reader.sequence(node, what) else { return [] }
        return items.compactMap { item in
            guard let m = reader.mapping(item, "an item of \(what)"),
                  reader.checkKeys(m, allowed: ["alert", "by", "at"], required: ["by"], context: "an item of \(what)"),
                  let rule = reader.name(m["by"]!, "`by`") else { return nil }
            return TestRuleExpectation(alert: m["alert"].flatMap { reader.string($0, "`alert`") } ?? "", rule: rule,
                                       atMs: m["at"].flatMap { reader.duration($0, "`at`") })
        }
    }
}


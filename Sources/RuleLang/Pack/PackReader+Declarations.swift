import Foundation

/// Labels, lists, macros, time windows, channels, escalations and SLA.
extension PackReader {
    static func readDeclarations(_ top: YamlMapping, pack: inout Pack, reader: inout NodeReader) {
        if let v = top["labels"], let m = reader.mapping(v, "`labels`") {
            for (k, t) in m.entries {
                if let type = labelType(t, reader: &reader) { pack.labels.append(LabelDecl(name: Name(text: k.value, span: k.span), type: type)) }
            }
        }
        if let v = top["lists"], let m = reader.mapping(v, "`lists`") {
            for (k, l) in m.entries {
                guard let items = reader.sequence(l, "list `\(k.value)`") else { pack.brokenDeclarations.insert("list:" + k.value); continue }
                let values = items.compactMap { reader.scalar($0, "an item of list `\(k.value)`") }
                pack.lists.append(ListDecl(name: Name(text: k.value, span: k.span), values: values, span: l.span))
            }
        }
        if let v = top["macros"], let m = reader.mapping(v, "`macros`") {
            for (k, body) in m.entries {
                // A body with syntax errors (all reported) makes a broken macro: its uses are
                // not checked against a half-parsed body, nor is it "never used".
                let before = reader.diagnostics.count
                if let e = reader.expression(body, "macro `\(k.value)`"), reader.diagnostics.count == before {
                    pack.macros.append(MacroDecl(name: Name(text: k.value, span: k.span), body: e))
                } else {
                    pack.brokenDeclarations.insert("macro:" + k.value)
                }
            }
        }
        if let v = top["time_windows"], let m = reader.mapping(v, "`time_windows`") {
            for (k, w) in m.entries {
                if let d = window(k, w, reader: &reader) { pack.windows.append(d) } else { pack.brokenDeclarations.insert("window:" + k.value) }
            }
        }
        if let v = top["channels"], let m = reader.mapping(v, "`channels`") {
            for (k, c) in m.entries {
                if let d = channel(k, c, reader: &reader) { pack.channels.append(d) } else { pack.brokenDeclarations.insert("channel:" + k.value) }
            }
        }
        if let v = top["escalations"], let m = reader.mapping(v, "`escalations`") {
            for (k, e) in m.entries {
                if let d = escalation(k, e, reader: &reader) { pack.escalations.append(d) } else { pack.brokenDeclarations.insert("escalation:" + k.value) }
            }
        }
        if let v = top["sla"], let m = reader.mapping(v, "`sla`") {
            reader.checkKeys(m, allowed: ["ack_within", "resolve_within", "ack_timeout"], context: "`sla`")
            pack.sla = SLADecl(ackWithinMs: m["ack_within"].flatMap { reader.duration($0, "`ack_within`") },
                               resolveWithinMs: m["resolve_within"].flatMap { reader.duration($0, "`resolve_within`") },
                               ackTimeoutMs: m["ack_timeout"].flatMap { reader.duration($0, "`ack_timeout`") })
        }
    }

    /// `string`, `number` or `enum(a, b, …)`.
    private static func labelType(_ node: YamlNode, reader: inout NodeReader) -> LabelType? {
        guard let s = reader.scalar(node, "a label type") else { return nil }
        let text = String(s.value.trimmingSpaces)
        if text == "string" { return .string }
        if text == "number" { return .number }
        if text.hasPrefix("enum(") && text.hasSuffix(")") {
            let inner = text.dropFirst(5).dropLast()
            let values = inner.split(separator: ",").map { String(String($0).trimmingSpaces) }
            if !values.isEmpty, values.allSatisfy({ !$0.isEmpty }) { return .enumeration(values) }
        }
        reader.report(YamlCodes.invalidValue, "unknown label type `\(text)`", at: s.span, label: "not a label type",
                      help: ["label types are `string`, `number` and `enum(a, b, …)`"])
        return nil
    }

    static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let weekdayFullNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// `mon` or `monday` → 0 … `sun` or `sunday` → 6.
    static func weekday(_ text: String) -> Int? {
        weekdayNames.firstIndex(of: text) ?? weekdayFullNames.firstIndex(of: text)
    }

    private static func window(_ key: YamlScalar, _ node: YamlNode, reader: inout NodeReader) -> WindowDecl? {
        guard let m = reader.mapping(node, "time window `\(key.value)`") else { return nil }
        reader.checkKeys(m, allowed: ["weekdays", "hours", "timezone"], context: "a time window")
        var days: [Int] = Array(0..<7)
        var ok = true
        if let w = m["weekdays"], let items = reader.sequence(w, "`weekdays`") {
            days = []
            for item in items {
                guard let s = reader.scalar(item, "a weekday") else { ok = false; continue }
                let parts = s.value.lowercased().split(separator: "-").map(String.init)
                let idx = parts.map(weekday)
                if parts.count == 1, let a = idx[0] { days.append(a) } else if parts.count == 2, let a = idx[0], let b = idx[1], a <= b {
                    days += Array(a...b)
                } else {
                    ok = false
                    reader.report(YamlCodes.invalidValue, "unknown weekday `\(s.value)`", at: s.span, label: "not a weekday",
                                  help: didYouMean(s.value, in: weekdayNames) + ["weekdays are mon, tue, wed, thu, fri, sat, sun, or a range like `mon-fri`"])
                }
            }
        }
        var start = 0, end = 24 * 60
        if let h = m["hours"], let s = reader.scalar(h, "`hours`") {
            if let (a, b) = parseHours(s.value) { (start, end) = (a, b) } else {
                ok = false
                reader.report(YamlCodes.invalidValue, "bad hours `\(s.value)`", at: s.span, label: "expected `HH:MM-HH:MM`",
                              help: ["write hours as `09:00-17:00` (end may be `24:00`; an end before the start wraps past midnight)"])
            }
        }
        var zone: String?
        if let z = m["timezone"], let s = reader.scalar(z, "`timezone`") {
            if !PackReader.isKnownTimeZone(s.value) {
                ok = false
                reader.report(PackCodes.badTimezone, "unknown time zone `\(PackReader.shownZoneName(s.value))`", at: s.span, label: "not an IANA zone",
                              help: timeZoneHelp(s.value))
            } else { zone = s.value }
        }
        guard ok else { return nil }
        return WindowDecl(name: Name(text: key.value, span: key.span), weekdays: Array(Set(days)).sorted(),
                          startMinute: start, endMinute: end, timezone: zone)
    }

    /// `HH:MM-HH:MM` to minutes since midnight.
    static func parseHours(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2 else { return nil }
        func minutes(_ s: Substring) -> Int? {
            let hm = s.trimmingCharacters(in: .whitespaces).split(separator: ":")
            guard hm.count == 2, hm[0].count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
                  (0...24).contains(h), (0...59).contains(m), h < 24 || m == 0 else { return nil }
            return h * 60 + m
        }
        guard let a = minutes(parts[0]), let b = minutes(parts[1]), a != b, a < 24 * 60 else { return nil }
        return (a, b)
    }

    static let channelKeys: [ChannelType: (required: [String], optional: [String])] = [
        .slack: (["url"], ["channel", "username"]),
        .teams: (["url"], []),
        .pagerduty: (["routing_key"], ["url", "severity"]),
        .webhook: (["url"], ["send_resolved", "max_alerts"]),
    ]

    private static func channel(_ key: YamlScalar, _ node: YamlNode, reader: inout NodeReader) -> ChannelDecl? {
        guard let m = reader.mapping(node, "channel `\(key.value)`") else { return nil }
        let name = Name(text: key.value, span: key.span)
        guard let typeNode = m["type"] else {
            reader.report(PackCodes.channelField, "channel `\(key.value)` has no `type`", at: key.span, label: "channel declared here",
                          help: ["add `type:` with one of slack, teams, pagerduty, webhook"])
            return nil
        }
        guard let ts = reader.scalar(typeNode, "`type`") else { return nil }
        guard let type = ChannelType(rawValue: ts.value) else {
            reader.report(YamlCodes.invalidValue, "unknown channel type `\(ts.value)`", at: ts.span, label: "not a channel type",
                          help: didYouMean(ts.value, in: ChannelType.allCases.map(\.rawValue)) + ["channel types are slack, teams, pagerduty and webhook"])
            return nil
        }
        let keys = channelKeys[type]!
        reader.checkKeys(m, allowed: ["type", "template", "rate_limit", "give_up_after"] + keys.required + keys.optional,
                         context: "a \(type.rawValue) channel")
        var ok = true
        for field in keys.required where m[field] == nil {
            ok = false
            reader.report(PackCodes.channelField, "\(type.rawValue) channel `\(key.value)` needs `\(field)`", at: key.span,
                          label: "channel declared here", help: ["add `\(field):`" + (field == "routing_key" ? " (the PagerDuty integration key, e.g. `${secret:PD_KEY}`)" : "")])
        }
        var fields: [(String, YamlScalar)] = []
        var secrets: [SecretReference] = []
        for (k, v) in m.entries where !["type", "template", "rate_limit", "give_up_after"].contains(k.value) {
            guard let s = reader.scalar(v, "`\(k.value)`") else { ok = false; continue }
            fields.append((k.value, s))
            let (refs, good) = secretReferences(in: s, reader: &reader)
            secrets += refs
            ok = ok && good
        }
        for (k, v) in fields where !checkOptionValue(k, v, reader: &reader) { ok = false }
        // PagerDuty takes the four severities RuleLang has: a misspelt one would be refused by
        // the Events API at the first page, not here.
        if type == .pagerduty, let s = fields.first(where: { $0.0 == "severity" })?.1, Severity(name: s.value) == nil {
            ok = false
            reader.report(TypeCodes.notSeverity, "`\(s.value)` is not a severity", at: s.span, label: "the PagerDuty event severity",
                          help: didYouMean(s.value, in: Severity.allCases.map(\.name)) + ["severities are info, warning, error and critical"])
        }
        var title: Template?, text: Template?
        if let t = m["template"], let tm = reader.mapping(t, "`template`") {
            reader.checkKeys(tm, allowed: ["title", "text"], context: "a channel template")
            title = tm["title"].flatMap { reader.template($0, "`title`") }
            text = tm["text"].flatMap { reader.template($0, "`text`") }
        }
        var rate: (Int, Int64)?
        if let r = m["rate_limit"], let s = reader.scalar(r, "`rate_limit`") {
            rate = parseRate(s.value)
            if rate == nil {
                ok = false
                reader.report(YamlCodes.invalidValue, "bad rate limit `\(s.value)`", at: s.span, label: "expected `N/s`, `N/m` or `N/h`",
                              help: ["write the number of deliveries per second, minute or hour, e.g. `10/m`"])
            }
        }
        // How long a delivery is retried before the route's `failover` takes over.
        var giveUpAfter: Int64?
        if let g = m["give_up_after"] {
            giveUpAfter = reader.duration(g, "`give_up_after`")
            if giveUpAfter == 0 {
                giveUpAfter = nil
                reader.report(YamlCodes.badDuration, "`give_up_after` must be longer than 0s", at: g.span, label: "zero",
                              help: ["a delivery given up at once is never retried; the default is `10m`"])
            }
            if giveUpAfter == nil { ok = false }
        }
        guard ok else { return nil }
        return ChannelDecl(name: name, type: type, fields: fields, secrets: secrets, title: title, text: text, rateLimit: rate,
                           giveUpAfterMs: giveUpAfter)
    }

    /// The webhook fields the driver reads as more than text: `send_resolved` a boolean,
    /// `max_alerts` a whole number (PagerDuty's `severity` is checked beside the fields). A
    /// value holding a secret reference is known only when the pack loads.
    static func checkOptionValue(_ field: String, _ v: YamlScalar, reader: inout NodeReader) -> Bool {
        guard !v.value.contains("${") else { return true }
        switch field {
        case "send_resolved" where v.value != "true" && v.value != "false":
            reader.report(YamlCodes.invalidValue, "`send_resolved` must be `true` or `false`, found `\(v.value)`", at: v.span)
        case "max_alerts" where Int(v.value).map({ $0 < 0 }) ?? true:
            reader.report(YamlCodes.invalidValue, "`max_alerts` must be a whole number of at least 0, found `\(v.value)`", at: v.span,
                          help: ["`0` sends every alert"])
        default: return true
        }
        return false
    }

    static func parseRate(_ text: String) -> (Int, Int64)? {
        let p = text.split(separator: "/")
        guard p.count == 2, let n = Int(p[0].trimmingCharacters(in: .whitespaces)), n > 0 else { return nil }
        switch p[1].trimmingCharacters(in: .whitespaces) {
        case "s": return (n, 1000)
        case "m": return (n, 60_000)
        case "h": return (n, 3_600_000)
        default: return nil
        }
    }

    /// Finds `${secret:NAME}` references; anything else after `${` is malformed.
    static func secretReferences(in s: YamlScalar, reader: inout NodeReader) -> ([SecretReference], Bool) {
        let b = Array(s.value.utf8)
        var refs: [SecretReference] = []
        var ok = true
        var offsets: [Int]?
        var i = 0
        while i + 1 < b.count {
            guard b[i] == 36, b[i + 1] == 123 else { i += 1; continue }   // "${"
            let start = i
            var j = i + 2
            while j < b.count, b[j] != 125 { j += 1 }
            if offsets == nil { offsets = s.valueOffsets() }
            let body = String(decoding: b[(i + 2)..<min(j, b.count)], as: UTF8.self)
            let span = SourceSpan(file: s.span.file, start: offsets![start], end: offsets![min(j, b.count - 1)] + 1)
            let name = body.hasPrefix("secret:") ? String(body.dropFirst(7)) : ""
            let validName = !name.isEmpty && name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
                && !(name.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? true)
            if j >= b.count || !validName {
                ok = false
                reader.report(PackCodes.badSecret, "malformed secret reference", at: span,
                              label: j >= b.count ? "not closed with `}`" : "expected `${secret:NAME}`",
                              help: ["write `${secret:NAME}` with NAME in upper case letters, digits and `_`"])
            } else {
                refs.append(SecretReference(name: name, span: span))
            }
            i = j + 1
        }
        return (refs, ok)
    }

    private static func escalation(_ key: YamlScalar, _ node: YamlNode, reader: inout NodeReader) -> EscalationDecl? {
        guard let m = reader.mapping(node, "escalation `\(key.value)`") else { return nil }
        guard reader.checkKeys(m, allowed: ["levels", "repeat", "until"], required: ["levels"], context: "an escalation"),
              let items = reader.sequence(m["levels"]!, "`levels`") else { return nil }
        var levels: [EscalationLevel] = []
        let mark = reader.errorMark
        for item in items {
            guard let lm = reader.mapping(item, "an escalation level"),
                  reader.checkKeys(lm, allowed: ["after", "notify"], required: ["after", "notify"], context: "an escalation level"),
                  let after = reader.duration(lm["after"]!, "`after`"), let notify = reader.names(lm["notify"]!, "`notify`") else { continue }
            levels.append(EscalationLevel(afterMs: after, afterSpan: lm["after"]!.span, notify: notify))
        }
        // With a level missing, the level checks (none left, `after` order) would report its absence.
        guard reader.errorMark == mark else { return nil }
        let rep = m["repeat"].flatMap { reader.int($0, "`repeat`", range: 0...100) } ?? 0
        var until = EscalationUntil.acknowledged
        if let u = m["until"], let s = reader.scalar(u, "`until`") {
            if let v = EscalationUntil(rawValue: s.value) { until = v } else {
                reader.report(YamlCodes.invalidValue, "unknown `until` value `\(s.value)`", at: s.span,
                              help: didYouMean(s.value, in: ["acknowledged", "resolved"]) + ["`until` is `acknowledged` or `resolved`"])
            }
        }
        return EscalationDecl(name: Name(text: key.value, span: key.span), levels: levels, repeatCount: rep, until: until)
    }
}

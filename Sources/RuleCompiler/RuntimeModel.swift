import RuleLang
import RuleRuntime
import RuleText

/// The static facts of a checked pack as the runtime pack carries them: route settings after
/// inheritance, escalation plans, SLA clocks, and each rule's settings and fingerprint.
enum RuntimeModel {
    /// Every route's settings, by route number (pre-order, as the evaluator numbers them).
    static func routeSettings(_ pack: Pack) -> [RouteSettings] {
        var out: [RouteSettings] = []
        func walk(_ routes: [Route], _ parent: RouteSettings?) {
            for r in routes {
                let groupBy: [String]?
                switch r.groupBy {
                case .all?: groupBy = nil
                case .labels(let names)?: groupBy = names.map(\.text)
                case nil: groupBy = parent.map { $0.groupBy } ?? []
                }
                let settings = RouteSettings(
                    path: (parent?.path ?? []) + [r.name.text],
                    notify: r.notify?.map(\.text) ?? parent?.notify ?? [],
                    failover: r.failover?.map(\.text) ?? parent?.failover ?? [],
                    escalation: r.escalation?.text ?? parent?.escalation,
                    groupBy: groupBy,
                    groupWaitMs: r.groupWaitMs ?? parent?.groupWaitMs ?? RouteSettings.defaultGroupWait,
                    // (At least 1ms: the checker rejects 0s, and a 0s interval would flush forever at one instant.)
                    groupIntervalMs: max(1, r.groupIntervalMs ?? parent?.groupIntervalMs ?? RouteSettings.defaultGroupInterval),
                    repeatIntervalMs: r.repeatIntervalMs ?? parent?.repeatIntervalMs ?? RouteSettings.defaultRepeatInterval,
                    activeDuring: r.activeDuring?.text ?? parent?.activeDuring,
                    muteDuring: r.muteDuring?.text ?? parent?.muteDuring)
                out.append(settings)
                walk(r.children, settings)
            }
        }
        walk(pack.routes, nil)
        return out
    }

    /// Every escalation as the plan an alert freezes, in declaration order.
    static func escalations(_ pack: Pack) -> [EscalationPlan] {
        pack.escalations.map { e in
            EscalationPlan(name: e.name.text, levels: e.levels.map { .init(afterMs: $0.afterMs, channels: $0.notify.map(\.text)) },
                           repeatCount: e.repeatCount, untilAcknowledged: e.until == .acknowledged)
        }
    }

    /// Every channel as the runtime pack carries it (`entries`: its template entries, in the
    /// order of `pack.channels`); secret references stay references.
    static func channels(_ pack: Pack, entries: [(title: Int?, text: Int?)]) -> [RuntimeChannel] {
        zip(pack.channels, entries).map { c, e in
            var options: [ChannelOption: SecretText] = [:]
            for (field, value) in c.fields {
                // (The reader accepts only the fields of the channel's type: every one has an option.)
                if let option = ChannelOption(rawValue: field) { options[option] = SecretText(parsing: value.value) }
            }
            return RuntimeChannel(name: c.name.text, kind: ChannelKind(rawValue: c.type.rawValue)!, options: options,
                                  titleEntry: e.title, textEntry: e.text,
                                  rateLimit: c.rateLimit.map { RateLimit(count: $0.count, periodMs: $0.periodMs) },
                                  giveUpAfterMs: c.giveUpAfterMs ?? RuntimeChannel.defaultGiveUpAfterMs)
        }
    }

    /// The pack's `sla:`, its tier's defaults where it says nothing.
    static func sla(_ pack: Pack) -> SLASettings {
        SLASettings(ackWithinMs: pack.sla?.ackWithinMs ?? pack.tier.defaultSLA.ack,
                    resolveWithinMs: pack.sla?.resolveWithinMs ?? pack.tier.defaultSLA.resolve,
                    ackTimeoutMs: pack.sla?.ackTimeoutMs)
    }

    /// A correlation's form and span.
    static func form(_ kind: CorrelateKind) -> CorrelationForm {
        switch kind {
        case .window(let w, _): .window(ms: w)
        case .sequence(let within, _): .sequence(withinMs: within)
        case .heartbeat(let every): .heartbeat(everyMs: every)
        }
    }

    /// What a correlation or anomaly rule is, compiled: its typed expressions printed, and its
    /// settings; hashed (stable across processes, so an artifact's fingerprints compare with a
    /// compiled pack's).
    static func fingerprint(_ typed: TypedRule?, correlate: CorrelateRule?, anomaly: AnomalyRule?) -> UInt64 {
        var out = (typed?.expressions ?? []).map { "\($0.role)=\(TypedPrinter.print($0.expr))" }.joined(separator: ";")
        if let c = correlate {
            let kind: String
            switch c.kind {
            case .window(let w, _): kind = "window \(w)"
            case .sequence(let w, let steps): kind = "sequence \(w) \(steps.count)"
            case .heartbeat(let e): kind = "heartbeat \(e)"
            }
            out += "|by=\(c.by.map(\.text))|\(kind)|emit=\(c.emit.map { $0.0.text })"
        }
        if let a = anomaly {
            out += "|by=\(a.by.map(\.text))|\(String(describing: a.sensitivity))|\(String(describing: a.minRate))|\(a.seasonal)"
        }
        return fnv1a(out)
    }

    /// What an inhibition is, as the engine's inhibitor index sees it: its `while_active`
    /// printed and its `equal` names, hashed (0 for a silence).
    static func inhibitionFingerprint(_ typed: TypedRule?, _ rule: SuppressRule) -> UInt64 {
        guard rule.whileActive != nil, let w = typed?.expressions.first(where: { $0.role == "while_active" })?.expr else { return 0 }
        return fnv1a(TypedPrinter.print(w) + "|equal=\(rule.equal.map(\.text))")
    }

    /// FNV-1a, 64 bits: the same in every process (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}

import AlertEngine
import NotificationDrivers
import RuleRuntime
import RuleText
import Testing

/// Delivery policy as tables: response classes, `Retry-After`, backoff, failover, rate limits,
/// the breaker and backlog merging, each with exact expected delays and states.
@Suite struct PolicyTests {
    static func response(_ status: Int, _ headers: [HTTPHeader] = [], _ body: String = "") -> AttemptResult {
        .response(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test(arguments: [
        (ChannelKind.slack, response(200, [], "ok"), Verdict.delivered, BreakerSignal.success),
        (.pagerduty, response(202, [], #"{"status":"success"}"#), .delivered, .success),
        (.teams, response(202), .delivered, .success),
        (.teams, response(200, [], "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0"), .retry(afterMs: nil), .neutral),
        (.teams, response(200, [HTTPHeader("Retry-After", "3")], "HTTP error 429"), .retry(afterMs: 3_000), .neutral),
        (.pagerduty, response(400, [], #"{"status":"invalid event"}"#), .final(#"HTTP 400: {"status":"invalid event"}"#), .success),
        (.pagerduty, response(429), .retry(afterMs: nil), .neutral),
        (.pagerduty, response(503), .retry(afterMs: nil), .failure),
        (.webhook, response(500, [HTTPHeader("retry-after", "120")]), .retry(afterMs: 120_000), .failure),
        (.webhook, response(429, [HTTPHeader("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")]), .retry(afterMs: 30_000), .neutral),
        (.slack, response(429, [], #"{"ok":false,"error":"rate_limited","retry_after":7}"#), .retry(afterMs: 7_000), .neutral),
        (.slack, response(404, [], "no_service"), .final("HTTP 404: no_service"), .success),
        (.webhook, response(403), .final("HTTP 403"), .success),
        (.webhook, response(301), .final("unexpected HTTP 301"), .failure),
        (.webhook, .timeout, .retry(afterMs: nil), .failure),
        (.slack, .unreachable("connection refused"), .retry(afterMs: nil), .failure),
    ])
    func classify(_ kind: ChannelKind, _ result: AttemptResult, _ verdict: Verdict, _ signal: BreakerSignal) {
        let (v, s) = ResponseClassifier.classify(result, kind: kind, now: jan1)
        #expect(v == verdict)
        #expect(s == signal)
    }

    @Test(arguments: [
        ("120", Int64?.some(120_000)),
        (" 0 ", 0),
        ("Thu, 01 Jan 2026 00:01:00 GMT", 60_000),
        ("Wed, 31 Dec 2025 23:59:00 GMT", 0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0),
        ("-5", nil),
        ("1.5", nil),
        ("Thu, 01 Jan 2026 00:01:00 UTC", nil),
        ("Thursday, 01-Jan-26 00:01:00 GMT", nil),
        ("", nil),
    ])
    func retryAfter(_ header: String, _ expected: Int64?) {
        #expect(RetryAfter.parse(header, now: jan1) == expected)
    }

    /// Retry n waits uniformly in 0…min(60s, 1s·2ⁿ): the draw's fraction of that ceiling, or the
    /// server's wait when longer, up to 5 minutes.
    @Test(arguments: [
        (0, 0.5, Int64?.none, Int64(500)),
        (1, 0.5, nil, 1_000),
        (3, 1.0, nil, 8_000),
        (6, 1.0, nil, 60_000),
        (40, 0.25, nil, 15_000),
        (99, 0.0, nil, 0),
        (0, 0.5, 7_000, 7_000),
        (6, 1.0, 7_000, 60_000),
        (0, 0.0, 3_600_000, 300_000),
    ])
    func backoff(_ retry: Int, _ draw: Double, _ hint: Int64?, _ expected: Int64) {
        var random = FixedRandom([fraction(draw)])
        #expect(Backoff().delay(retry: retry, hintMs: hint, random: &random) == expected)
    }

    /// Slack retried with full jitter until its 10 s budget is spent, then PagerDuty, whose 400
    /// hands over to the webhook, which delivers.
    @Test func retriesThenFailsOverInOrder() {
        var d = Delivery(channel: "slack", failover: ["pd", "slack", "hook"], now: jan1)
        #expect(d.channels == ["slack", "pd", "hook"])
        #expect(d.first == .attempt(channel: "slack", at: jan1))
        var random = FixedRandom([fraction(1.0)])
        let budget: (String) -> Int64 = { _ in 10_000 }
        let steps = [
            (Verdict.retry(afterMs: nil), jan1, Delivery.Step.attempt(channel: "slack", at: jan1 + 1_000)),
            (.retry(afterMs: nil), jan1 + 1_000, .attempt(channel: "slack", at: jan1 + 3_000)),
            (.retry(afterMs: nil), jan1 + 3_000, .attempt(channel: "slack", at: jan1 + 7_000)),
            // The next wait (8 s) would end after the 10 s budget: over to PagerDuty now.
            (.retry(afterMs: nil), jan1 + 7_000, .failover(from: "slack", to: "pd", at: jan1 + 7_000)),
            (.final("HTTP 400"), jan1 + 7_100, .failover(from: "pd", to: "hook", at: jan1 + 7_100)),
            (.retry(afterMs: 2_000), jan1 + 7_200, .attempt(channel: "hook", at: jan1 + 9_200)),
            (.delivered, jan1 + 9_300, .delivered(channel: "hook")),
        ]
        for (verdict, now, expected) in steps {
            #expect(d.record(verdict, now: now, giveUpAfterMs: budget, random: &random) == expected)
        }
        #expect(d.finished)
    }

    @Test func aDeliveryWithNoFailoverLeftIsExhausted() {
        var d = Delivery(channel: "hook", failover: [], now: jan1)
        var random = FixedRandom([0])
        #expect(d.record(.final("HTTP 404"), now: jan1, giveUpAfterMs: { _ in 1 }, random: &random) == .exhausted(reason: "hook: HTTP 404"))
        var e = Delivery(channel: "hook", failover: [], now: jan1)
        // Retry-After past the budget: given up at once.
        #expect(e.record(.retry(afterMs: 700_000), now: jan1, giveUpAfterMs: { _ in 600_000 }, random: &random)
                == .attempt(channel: "hook", at: jan1 + 300_000))
        #expect(e.record(.retry(afterMs: 300_000), now: jan1 + 300_000, giveUpAfterMs: { _ in 600_000 }, random: &random)
                == .attempt(channel: "hook", at: jan1 + 600_000))
        #expect(e.record(.retry(afterMs: 1), now: jan1 + 600_000, giveUpAfterMs: { _ in 600_000 }, random: &random)
                == .exhausted(reason: "hook: gave up after 3 attempts"))
    }

    /// Slack's default: 1/s with a burst of 3.
    @Test func slackBucket() {
        var b = RateLimits.bucket(for: RuntimeChannel(name: "s", kind: .slack, options: [:]), now: 0)!
        #expect([0, 0, 0, 0].map { b.take(now: $0) } == [0, 0, 0, 1_000])
        #expect(b.take(now: 400) == 600)
        #expect(b.take(now: 1_000) == 0)
        #expect(b.take(now: 1_000) == 1_000)
        #expect(b.available(now: 10_000) == 3)
    }

    @Test(arguments: [
        // kind, rate_limit, takes at t=0 before a refusal, wait then
        (ChannelKind.teams, RateLimit?.none, 4, Int64(250)),
        (.pagerduty, nil, 120, 500),
        (.slack, RateLimit(count: 10, periodMs: 60_000), 10, 6_000),
        (.webhook, RateLimit(count: 2, periodMs: 3_600_000), 2, 1_800_000),
    ])
    func bucketDefaultsAndOverrides(_ kind: ChannelKind, _ limit: RateLimit?, _ burst: Int, _ wait: Int64) {
        var b = RateLimits.bucket(for: RuntimeChannel(name: "c", kind: kind, options: [:], rateLimit: limit), now: jan1)!
        for _ in 0..<burst { #expect(b.take(now: jan1) == 0) }
        #expect(b.take(now: jan1) == wait)
    }

    @Test func aWebhookWithoutRateLimitHasNoBucketAndPagerDutySharesByKey() {
        #expect(RateLimits.bucket(for: RuntimeChannel(name: "w", kind: .webhook, options: [:]), now: 0) == nil)
        let a = channel("a", .pagerduty, [.routingKey: "K1"]), b = channel("b", .pagerduty, [.routingKey: "K1"])
        let c = channel("c", .pagerduty, [.routingKey: "K2"])
        #expect(RateLimits.key(for: a) == RateLimits.key(for: b))
        #expect(RateLimits.key(for: a) != RateLimits.key(for: c))
    }

    @Test func breakerOpensProbesAndCloses() {
        var b = CircuitBreaker(threshold: 3, coolDownMs: 30_000)
        let table: [(String, Int64, CircuitBreaker.Permit?, BreakerSignal?, CircuitBreaker.State)] = [
            ("fail 1", 0, .allowed, .failure, .closed(failures: 1)),
            ("rate limited: no count", 1, .allowed, .neutral, .closed(failures: 1)),
            ("fail 2", 2, .allowed, .failure, .closed(failures: 2)),
            ("success resets", 3, .allowed, .success, .closed(failures: 0)),
            ("fail 1", 4, .allowed, .failure, .closed(failures: 1)),
            ("fail 2", 5, .allowed, .failure, .closed(failures: 2)),
            ("fail 3 opens", 6, .allowed, .failure, .open(until: 30_006)),
            ("refused while open", 10_000, .rejected(retryAt: 30_006), nil, .open(until: 30_006)),
            ("probe after cool-down", 30_006, .probe, nil, .halfOpen),
            ("one probe at a time", 30_007, .rejected(retryAt: nil), nil, .halfOpen),
            ("probe fails: open again", 30_100, nil, .failure, .open(until: 60_100)),
            ("probe", 60_100, .probe, nil, .halfOpen),
            ("probe succeeds: closed", 60_200, nil, .success, .closed(failures: 0)),
        ]
        for (what, now, permit, signal, state) in table {
            if let permit { #expect(b.permit(now: now) == permit, "\(what)") }
            if let signal { b.record(signal, now: now) }
            #expect(b.state == state, "\(what)")
        }
        #expect(b.gauge == 0)
    }

    @Test func aGroupsBacklogIsMergedIntoOneMessage() {
        let a1 = alert(1, ["alertname": "A"]), a2 = alert(2, ["alertname": "A"]), a3 = alert(3, ["alertname": "A"])
        let resolved1 = alert(1, ["alertname": "A"], status: .resolved)
        let queued = [
            message("s", [a1, a2]),
            message("s", [a1], kind: .resolved),
            OutgoingMessage(tenant: "acme", channel: "s", kind: .firing, at: jan1 + 300_000, group: "payments|alertname=HighLatency",
                            alerts: [resolved1, a3], externalURL: "https://rulelang.example.com"),
            message("other", [a1]),
        ]
        let merged = Backlog.merge(queued)
        #expect(merged.map(\.channel) == ["s", "s", "other"])
        #expect(merged[0].alerts == [resolved1, a2, a3])
        #expect(merged[0].at == jan1 + 300_000)
        #expect(merged[0].id == NotificationID(tenant: "acme", channel: "s", group: "payments|alertname=HighLatency", at: jan1 + 300_000,
                                               level: nil, kind: .firing, alertIDs: [1, 2, 3]))
        #expect(merged[1].id == queued[1].id && merged[2].id == queued[3].id)
    }
}

/// A channel's queue behind Slack's default limit (1/s, burst 3): what cannot go now waits,
/// and what waits for one group goes as one message.
@Suite struct ChannelQueueTests {
    func grouped(_ group: String, _ ids: [Int], at: Int64 = jan1) -> OutgoingMessage {
        OutgoingMessage(tenant: "acme", channel: "s", kind: .firing, at: at, group: group,
                        alerts: ids.map { alert($0, ["alertname": "A"]) }, externalURL: "https://rulelang.example.com")
    }

    @Test func overTheLimitWaitsAndABacklogIsMergedPerGroup() {
        var q = ChannelQueue(bucket: RateLimits.bucket(for: RuntimeChannel(name: "s", kind: .slack, options: [:]), now: jan1))
        for g in ["g1", "g2", "g3", "g4", "g5"] { q.enqueue(grouped(g, [Int(g.dropFirst())!])) }
        let first = q.due(now: jan1)
        #expect(first.send.map(\.group) == ["g1", "g2", "g3"])
        #expect(first.next == jan1 + 1_000)
        // While g4 and g5 wait, more of g4 arrives: it joins the waiting message.
        q.enqueue(grouped("g4", [40, 41], at: jan1 + 500))
        q.enqueue(grouped("g1", [10], at: jan1 + 600))
        #expect(q.waiting.count == 4)
        let second = q.due(now: jan1 + 1_000)
        #expect(second.send.map(\.group) == ["g4"])
        #expect(second.send.first?.alerts.map(\.id) == [4, 40, 41])
        #expect(second.next == jan1 + 2_000)
        #expect(q.waiting.map(\.group) == ["g5", "g1"])
        let third = q.due(now: jan1 + 2_000)
        #expect(third.send.map(\.group) == ["g5"] && third.next == jan1 + 3_000)
        let last = q.due(now: jan1 + 3_000)
        #expect(last.send.map(\.group) == ["g1"] && last.next == nil && q.waiting.isEmpty)
    }

    @Test func withoutALimitEverythingIsDueAtOnce() {
        var q = ChannelQueue(bucket: nil)
        q.enqueue(grouped("g1", [1]))
        q.enqueue(grouped("g1", [2]))
        q.enqueue(grouped("g2", [3]))
        let out = q.due(now: jan1)
        #expect(out.send.map { $0.alerts.map(\.id) } == [[1, 2], [3]])
        #expect(out.next == nil)
    }
}

import RuleRuntime
import AlertEngine
import ArgumentParser
import Foundation
import RuleCompiler
import RuleLang
import RuleText

/// `rulec simulate PACKDIR --alerts FILE.jsonl`: replays a timed stream on the virtual clock.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a timed alert stream on the virtual clock and print the notification and escalation timeline.",
        discussion: """
        Each line of FILE.jsonl is one event with its time after the start: \
        {"at": "30s", "alert": {"labels": {...}, "severity": "critical"}}, {"at": "5m", "ack": "AlertName"}, \
        {"at": "9m", "resolve": "AlertName"} or {"at": "2m", "escalate": "AlertName"}. Each line \
        of the timeline is the time after the start, the channel, the alert, and the escalation \
        level or the kind of notification when not a firing one.

        EXAMPLES:
          rulec simulate rules/acme-payments --alerts events.jsonl
          rulec simulate rules/acme-payments --alerts events.jsonl --tail 2h
          rulec simulate rules/acme-payments --alerts events.jsonl --format json

        EXIT STATUS:
          0  the timeline was printed
          1  the pack has errors, an event line is malformed, or the run hit a limit
          2  usage error, an unreadable file, or a malformed environment variable
        """
    )

    @Argument(help: "The tenant pack folder.")
    var pack: String

    @Option(help: "The timed events, one JSON object per line.")
    var alerts: String

    @Option(help: "Virtual clock start (RFC 3339).")
    var start = "2026-01-01T00:00:00Z"

    @Option(help: "How long to run after the last event (a duration).")
    var tail = "1h"

    /// The values of `--format`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Output: the timeline as text, or one JSON object.")
    var format: Format = .text

    /// Rejects a malformed `--start` or `--tail` while parsing, so the error shows this
    /// subcommand's usage.
    func validate() throws {
        guard parseRFC3339(start) != nil else {
            throw ValidationError("--start must be an RFC 3339 time, such as 2026-01-01T00:00:00Z")
        }
        guard let tailMs = parseDuration(tail), tailMs <= maxDurationMs else {
            throw ValidationError("--tail must be a duration of at most \(maxDurationText), such as 1h")
        }
    }

    func run() throws {
        // validate() has accepted both.
        guard let startMs = parseRFC3339(start), let tailMs = parseDuration(tail) else { throw ExitCode(Rulec.usageExit) }
        guard let text = try? String(contentsOfFile: alerts, encoding: .utf8) else {
            FileHandle.standardError.write(Data("cannot read `\(alerts)`\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
        let (compiled, checked, _) = try loadCompiledPack(pack)
        var engine = Engine(pack: compiled)
        try EngineEnvironment.read().apply(to: &engine)
        engine.forgetResolvedMs = nil      // the report at the end lists every alert
        var run = BoundedRun()
        var stopped: String?
        var last: Int64 = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let at = (object["at"] as? String).flatMap(parseDuration), at <= maxDurationMs else {
                FileHandle.standardError.write(Data("line \(i + 1): expected an object with `at` (a duration of at most \(maxDurationText))\n".utf8))
                throw ExitCode(1)
            }
            let now = startMs.addingSaturated(at)
            last = max(last, at)
            let event: EngineEvent
            if let a = object["alert"], let data = try? JSONSerialization.data(withJSONObject: a) {
                switch AlertJSON.parse(String(decoding: data, as: UTF8.self), tenant: compiled.tenant, tier: compiled.tier) {
                case .success(let input): event = .alert(input)
                case .failure(let p):
                    FileHandle.standardError.write(Data("line \(i + 1): alert rejected: \(p)\n".utf8))
                    throw ExitCode(1)
                }
            } else if let n = object["ack"] as? String { event = .acknowledge(n)
            } else if let n = object["resolve"] as? String { event = .resolve(n)
            } else if let n = object["escalate"] as? String { event = .escalate(n)
            } else {
                FileHandle.standardError.write(Data("line \(i + 1): expected `alert`, `ack`, `resolve` or `escalate`\n".utf8))
                throw ExitCode(1)
            }
            if let why = run.step(&engine, event, at: now) {
                stopped = "line \(i + 1): \(why)"
                break
            }
        }
        if stopped == nil {
            let end = startMs.addingSaturated(last).addingSaturated(tailMs)
            stopped = run.step(&engine, .timersDue, at: end)
        }
        let out = run.notifications
        // The timeline made so far is printed, then why it stopped: status 1.
        defer {
            if let stopped {
                fflush(nil)      // the timeline printed so far comes first
                FileHandle.standardError.write(Data("\(stopped)\n".utf8))
                Foundation.exit(1)
            }
        }
        let alertsByID = engine.state.alerts
        if format == .json {
            let items: [JSONValue] = out.map { n in
                var fields: [(String, JSONValue)] = [("at", .string(formatRFC3339(n.at))), ("after", .string(formatDuration(n.at - startMs))),
                                                     ("channel", .string(n.channel)), ("alert", .string(n.alert)),
                                                     ("fingerprint", .string(alertsByID[n.alertID]?.fingerprint ?? ""))]
                if let l = n.level { fields.append(("level", .int(l))) }
                if n.kind != .firing { fields.append(("kind", .string(n.kind.rawValue))) }
                return .object(fields)
            }
            print(JSONValue.object([("notifications", .array(items)),
                                    ("breaches", .array(engine.state.breaches.map { .object([("alert", .string($0.alert)), ("sla", .string($0.kind.rawValue)), ("at", .string(formatDuration($0.at - startMs)))]) })),
                                    ("alerts", .array(alertsByID.values.sorted { $0.id < $1.id }.map { a in
                                        .object([("alert", .string(a.alertname)), ("status", .string(a.status.rawValue)),
                                                 ("suppressed_by", a.suppressedBy.map(JSONValue.string) ?? .null),
                                                 ("derived_by", a.derivedBy.map(JSONValue.string) ?? .null),
                                                 ("routes", .array(a.routes.map(JSONValue.string)))])
                                    }))]).rendered())
            return
        }
        for n in out {
            print("\(formatDuration(n.at - startMs).padded(8))  \(n.channel)  \(n.alert)" + (n.level.map { "  level \($0)" } ?? "")
                  + (n.kind == .firing ? "" : "  \(n.kind.rawValue)"))
        }
        for b in engine.state.breaches { print("breach: \(b.alert) \(b.kind.rawValue) at \(formatDuration(b.at - startMs))") }
        for a in alertsByID.values.sorted(by: { $0.id < $1.id }) where a.suppressedBy != nil || a.derivedBy != nil {
            print("\(a.alertname): " + (a.suppressedBy.map { "suppressed by \($0)" } ?? "derived by \(a.derivedBy!)"))
        }
    }
}

private extension String {
    func padded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

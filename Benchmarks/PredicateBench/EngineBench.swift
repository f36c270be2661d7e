import RuleRuntime
import PackTesting
import AlertEngine
import Foundation
import RuleCompiler
import RuleLang
import RuleVM

/// Alerts per second through the whole engine on an example pack, memory per active alert,
/// and the timer queue with a million pending deadlines.
enum EngineBench {
    static func rssKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    /// Every example pack fed the alerts of its own tests over and over, each made a new alert
    /// by a `bench_id` label, one millisecond apart (acks, resolves and escalations left out).
    static func packTests(tenant: String, paths: [String], alerts: Int) {
        let (files, _) = PackReader.loadFiles(paths)
        let (checked, _) = Frontend.check(tenant: tenant, files: files)
        let templates = checked.pack.tests.flatMap(\.inputs).compactMap { input -> AlertInput? in
            guard case .alert(let m) = input.kind else { return nil }
            return TestRunner.alertInput(m, tenant: tenant, tier: checked.pack.tier.rawValue)
        }
        guard !templates.isEmpty else { return }
        let inputs = (0..<alerts).map { i in
            var a = templates[i % templates.count]
            a.labels["bench_id"] = "b-\(i)"
            return a
        }
        var engine = Engine(pack: try! PackCompiler.compile(checked))
        let t0 = DispatchTime.now().uptimeNanoseconds
        var notifications = 0
        for (i, a) in inputs.enumerated() { notifications += engine.handle(.alert(a), at: 1_767_225_600_000 + Int64(i)).notifications.count }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print(String(format: "engine (%@, its %d test alerts): %d alerts in %.2f s = %.0f alerts/s (%d notifications, %d groups)",
                     tenant, templates.count, alerts, seconds, Double(alerts) / seconds, notifications, engine.state.groups.count))
    }

    /// The pack's rules alone on the same alerts (as the engine binds them): what of step 1 is
    /// evaluation (bind, enrich, suppress, correlate and anomaly matching, the route walk).
    static func evaluationAlone(_ compiled: RuntimePack, _ inputs: [AlertInput]) {
        let alerts = inputs.count
        let evaluator = PackEvaluator(pack: compiled)
        let bound = inputs.enumerated().map { i, a in
            var b = a
            b.fingerprint = Fingerprint.of(a.labels)
            b.startsAt = 1_767_225_600_000 + Int64(i)
            return b
        }
        let e0 = DispatchTime.now().uptimeNanoseconds
        var matched = 0
        for (i, a) in bound.enumerated() { matched += evaluator.evaluate(a, now: 1_767_225_600_000 + Int64(i)).routeIDs.count }
        let e1 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "evaluation alone: %d alerts in %.2f s = %.0f alerts/s, %.2f µs each (%d routes matched)",
                     alerts, Double(e1 - e0) / 1e9, Double(alerts) / (Double(e1 - e0) / 1e9), Double(e1 - e0) / 1e3 / Double(alerts), matched))
    }

    static func run(rulesDir: String, alerts: Int) {
        let (packs, _) = PackReader.discover(path: rulesDir)
        guard let (tenant, paths) = packs.first(where: { $0.tenant == "acme-payments" }) ?? packs.first else { return }
        let (files, _) = PackReader.loadFiles(paths)
        let (checked, _) = Frontend.check(tenant: tenant, files: files)
        let compiled = try! PackCompiler.compile(checked)
        let names = ["GatewayTimeout", "CardDeclines", "HighLatency", "PayoutDelayed", "LedgerDrift", "DiskFull"]
        let services = ["checkout", "payments", "ledger", "payouts", "fraud", "api"]
        func input(_ i: Int) -> AlertInput {
            AlertInput(labels: ["alertname": names[i % names.count], "service": services[(i / 7) % services.count],
                                "env": i % 5 == 0 ? "staging" : "prod", "region": i % 2 == 0 ? "eu-west-1" : "us-east-1",
                                "instance": "i-\(i)", "psp": i % 3 == 0 ? "adyen" : "stripe", "merchant_id": "m-\(i % 1000)"],
                       severity: UInt8(i % 4), value: Double(i % 100), fingerprint: "", tenant: tenant)
        }
        let inputs = (0..<alerts).map(input)
        // RULELANG_BENCH_ENGINE_ONLY=groups: memory per group alone, in a fresh process.
        if ProcessInfo.processInfo.environment["RULELANG_BENCH_ENGINE_ONLY"] == "groups" { return memoryPerGroup(inputs) }
        // RULELANG_BENCH_ENGINE_ONLY=eval: the evaluation alone (for profiling it).
        if ProcessInfo.processInfo.environment["RULELANG_BENCH_ENGINE_ONLY"] == "eval" { return evaluationAlone(compiled, inputs) }
        var engine = Engine(pack: compiled)
        // RULELANG_BENCH_DIRECT=1: the engine's steps called directly, no actions built (what
        // `handle`'s own cost is measured against, side by side in one build).
        // (Two loops, not a function choosing: a local function capturing the engine boxed it.)
        let direct = ProcessInfo.processInfo.environment["RULELANG_BENCH_DIRECT"] == "1"
        if direct { print("(direct calls, no actions)") }
        let rss0 = rssKiB()
        let t0 = DispatchTime.now().uptimeNanoseconds
        var notifications = 0
        if direct {
            for (i, a) in inputs.enumerated() { notifications += engine.directAlert(a, at: 1_767_225_600_000 + Int64(i)) }
        } else {
            for (i, a) in inputs.enumerated() { notifications += engine.handle(.alert(a), at: 1_767_225_600_000 + Int64(i)).notifications.count }
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        let rss1 = rssKiB()
        let seconds = Double(t1 - t0) / 1e9
        print(String(format: "engine (%@): %d alerts in %.2f s = %.0f alerts/s (%d notifications on the way)",
                     tenant, alerts, seconds, Double(alerts) / seconds, notifications))
        print(String(format: "memory: %d active alerts, %d groups, RSS +%d MiB = %.0f bytes per active alert (groups, timers, correlation state included)",
                     engine.state.open.count, engine.state.groups.count, (rss1 - rss0) / 1024,
                     Double(rss1 - rss0) * 1024 / Double(max(1, engine.state.open.count))))
        // RULELANG_BENCH_ENGINE_ONLY=new stops here (for profiling new alerts alone).
        if ProcessInfo.processInfo.environment["RULELANG_BENCH_ENGINE_ONLY"] == "new" { return }

        // Then every alert is sent again (as Prometheus does each evaluation): all deduplicated.
        let d0 = DispatchTime.now().uptimeNanoseconds
        var repeats = 0
        if direct {
            for (i, a) in inputs.enumerated() { repeats += engine.directAlert(a, at: 1_767_225_600_000 + Int64(alerts + i)) }
        } else {
            for (i, a) in inputs.enumerated() { repeats += engine.handle(.alert(a), at: 1_767_225_600_000 + Int64(alerts + i)).notifications.count }
        }
        let d1 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "repeats: %d alerts sent again in %.2f s = %.0f alerts/s (%d notifications on the way)",
                     alerts, Double(d1 - d0) / 1e9, Double(alerts) / (Double(d1 - d0) / 1e9), repeats))

        // Then every alert is resolved (by name) and, an hour on, forgotten with its group.
        let end = 1_767_225_600_000 + Int64(2 * alerts)
        let r0 = DispatchTime.now().uptimeNanoseconds
        var ended = 0
        for name in names { ended += direct ? engine.directResolve(name, at: end) : engine.handle(.resolve(name), at: end).notifications.count }
        ended += direct ? engine.directTimers(at: end + 2 * 3_600_000) : engine.handle(.timersDue, at: end + 2 * 3_600_000).notifications.count
        let r1 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "resolve and forget: %d alerts in %.2f s = %.0f alerts/s (%d resolution notifications); left: %d alerts, %d groups, %d timers",
                     alerts, Double(r1 - r0) / 1e9, Double(alerts) / (Double(r1 - r0) / 1e9), ended,
                     engine.state.alerts.count, engine.state.groups.count, engine.state.timers.count))

        // The evaluation alone, after the engine's steps: before step 1 its freed buffers were
        // reused by the engine's growth (hiding part of it), between steps its own memory
        // traffic left the engine's tables out of the cache.
        evaluationAlone(compiled, inputs)

        // RULELANG_BENCH_ENGINE_ONLY=1 leaves the other packs and the timer figures out (for
        // profiling the engine on one pack).
        if ProcessInfo.processInfo.environment["RULELANG_BENCH_ENGINE_ONLY"] == "1" { return }
        for (tenant, paths) in packs { packTests(tenant: tenant, paths: paths, alerts: alerts) }
        var q = TimerQueue()
        var rng = SystemRandomNumberGenerator()
        let n = 1_000_000
        let dues = (0..<n).map { _ in Int64.random(in: 0..<86_400_000, using: &rng) }
        let s0 = DispatchTime.now().uptimeNanoseconds
        let keys = ["a", "b"].map { GroupKey(owner: .route(0), name: "r", labels: [GroupLabel(name: "alertname", value: $0)]) }
        for (i, d) in dues.enumerated() { q.schedule(.flush(group: keys[i & 1]), at: d) }
        let s1 = DispatchTime.now().uptimeNanoseconds
        var popped = 0
        while q.popDue(86_400_000) != nil { popped += 1 }
        let s2 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "timers: %d pending deadlines: schedule %.0f ns each, fire in order %.0f ns each",
                     popped, Double(s1 - s0) / Double(n), Double(s2 - s1) / Double(n)))
        // Memory per group in a process of its own: this one has freed memory that a new
        // engine would reuse, hiding part of its growth.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["engine", rulesDir, String(alerts)]
        child.environment = ProcessInfo.processInfo.environment.merging(["RULELANG_BENCH_ENGINE_ONLY": "groups"]) { _, new in new }
        fflush(nil)      // (this process's lines first)
        do {
            try child.run()
            child.waitUntilExit()
        } catch {
            print("memory per group: could not run \(CommandLine.arguments[0]): \(error)")
        }
    }

    /// Memory per group: the same alerts through one route that groups them by every label (a
    /// group each) and by `alertname` (six groups); the difference in RSS growth over the
    /// difference in groups. Both engines and the inputs stay alive until both are measured, so
    /// neither run reuses memory the other freed.
    static func memoryPerGroup(_ inputs: [AlertInput]) {
        func engine(groupBy: String) -> Engine {
            let yaml = "rulelang: 1\nroutes:\n  - {name: all, when: true, group_by: \(groupBy)}\n"
            let (checked, _) = Frontend.check(tenant: "bench", files: [SourceFile(path: "bench.yaml", text: yaml)])
            return Engine(pack: try! PackCompiler.compile(checked))
        }
        func grow(_ e: inout Engine) -> Int {
            let r0 = rssKiB()
            for (i, a) in inputs.enumerated() { _ = e.handle(.alert(a), at: 1_767_225_600_000 + Int64(i)) }
            return rssKiB() - r0
        }
        var few = engine(groupBy: "[alertname]"), each = engine(groupBy: "[...]")
        let fewKiB = grow(&few), eachKiB = grow(&each)
        let groups = each.state.groups.count - few.state.groups.count
        print(String(format: "memory per group: %d alerts in %d groups, RSS +%d MiB; in %d groups, +%d MiB: %.0f bytes per group (its state, key, alert list and timer)",
                     inputs.count, each.state.groups.count, eachKiB / 1024, few.state.groups.count, fewKiB / 1024,
                     Double(eachKiB - fewKiB) * 1024 / Double(max(1, groups))))
        withExtendedLifetime((each, few)) {}
    }
}

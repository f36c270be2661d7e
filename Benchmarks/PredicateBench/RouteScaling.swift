import RuleRuntime
import Foundation
import RuleCompiler
import RuleLang
import RuleVM

/// Time per alert to find its routes in packs of 10, 100, 1,000 and 10,000 generated routes of
/// realistic label tests, with the rule index and with a linear walk (Alertmanager's way).
enum RouteScaling {
    /// A pack of `n` top-level routes like teams write them: a service (or a few) and an
    /// environment, sometimes a severity floor or a regex on the alert name; one catch-all.
    static func pack(_ n: Int) -> String {
        var out = "rulelang: 1\nchannels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/\"}\nroutes:\n"
        for i in 0..<n {
            let cond: String
            switch i % 4 {
            case 0: cond = "service == \"svc\(i)\" && env == \"prod\""
            case 1: cond = "service in [\"svc\(i)\", \"svc\(i)-canary\"] && severity >= error"
            case 2: cond = "service == \"svc\(i)\" && alertname =~ \"High.*\""
            default: cond = "service == \"svc\(i)\" && env != \"dev\" && region startswith \"eu-\""
            }
            out += "  - name: r\(i)\n    when: '\(cond)'\n    notify: [c]\n"
        }
        out += "  - {name: default, when: true, notify: [c]}\n"
        return out
    }

    static func alerts(_ n: Int) -> [AlertInput] {
        (0..<64).map { k in
            let i = (k * 7919) % max(1, n)
            return AlertInput(labels: ["alertname": k % 3 == 0 ? "HighLatency" : "DiskFull", "service": "svc\(i)",
                                       "env": k % 5 == 0 ? "dev" : "prod", "region": k % 2 == 0 ? "eu-west-1" : "us-east-1"],
                              severity: UInt8(k % 4), fingerprint: "f\(k)", tenant: "bench")
        }
    }

    static func run(targetSeconds: Double, runs: Int) {
        print("routes\tindexed ns/alert\tlinear ns/alert")
        var results: [(Int, Double, Double)] = []
        for n in [10, 100, 1_000, 10_000] {
            let (checked, d) = Frontend.check(tenant: "bench", files: [SourceFile(path: "routes.yaml", text: pack(n))])
            precondition(d.filter { $0.severity == .error }.isEmpty)
            let compiled = try! PackCompiler.compile(checked)
            let batch = alerts(n)
            let indexed = PackEvaluator(pack: compiled), linear = PackEvaluator(pack: compiled, indexed: false)
            for a in batch {
                precondition(indexed.evaluate(a, now: 0).routes == linear.evaluate(a, now: 0).routes, "index changed a route")
            }
            func time(_ e: PackEvaluator) -> Double {
                var outer = 1
                func once() -> Double {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<outer { for a in batch { _ = e.evaluate(a, now: 0) } }
                    return Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(outer * batch.count)
                }
                while once() * Double(outer * batch.count) / 1e9 < 0.02 { outer *= 2 }
                outer = max(1, Int(Double(outer) * targetSeconds / (once() * Double(outer * batch.count) / 1e9)))
                return (0..<runs).map { _ in once() }.sorted()[runs / 2]
            }
            let (ti, tl) = (time(indexed), time(linear))
            results.append((n, ti, tl))
            print(String(format: "%d\t%.0f\t%.0f", n, ti, tl))
        }
        if let first = results.first, let last = results.last {
            print(String(format: "growth 10 → 10,000 routes: indexed %.2fx, linear %.1fx", last.1 / first.1, last.2 / first.2))
        }
    }
}

import AlertEngine
import Foundation
import RuleCompiler
import RuleLang

/// What an alert's labels cost the engine, operation by operation (in a loop, so warm): built
/// from the sender's dictionary, enrich sets applied, a look-up, the name comparisons, the
/// fingerprint, group keys of `acme-payments` routes.
enum LabelSetBench {
    static func time(_ what: String, _ n: Int = 2_000_000, _ body: (Int) -> Int) {
        var c = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        for i in 0..<n { c &+= body(i) }
        let t1 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "%@: %.1f ns (%d)", what, Double(t1 - t0) / Double(n), c))
    }

    static func run(rulesDir: String) {
        let base: [String: String] = ["alertname": "CardDeclines", "service": "payments", "env": "prod", "region": "eu-west-1",
                                      "instance": "i-12345", "psp": "adyen", "merchant_id": "m-123"]
        let sets: [(label: String, value: String)] = [("priority", "P2"), ("psp", "adyen"), ("region_code", "EUWEST1")]
        let labels = LabelSet(base)
        time("labels built from a dictionary of 7") { _ in LabelSet(base).count }
        time("a dictionary of 7 walked") { _ in
            var c = 0
            for (k, v) in base { c &+= k.utf8.count &+ v.utf8.count }
            return c
        }
        let array = Array(base)
        time("an array of 7 pairs walked") { _ in
            var c = 0
            for (k, v) in array { c &+= k.utf8.count &+ v.utf8.count }
            return c
        }
        time("labels with 3 enrich sets applied (2 new names)") { _ in labels.applying(sets) { $0 }.count }
        let keys = Array(base.keys) + ["priority", "region_code"]
        time("two names ordered by their bytes") { i in LabelSet.precedes(keys[i % 9], keys[(i / 9) % 9]) ? 1 : 0 }
        time("two names compared with ==") { i in keys[i % 9] == keys[(i / 9) % 9] ? 1 : 0 }
        time("a look-up by name") { _ in labels["region"]?.count ?? 0 }
        let enriched = labels.applying(sets) { $0 }
        time("fingerprint of 9 labels") { _ in Fingerprint.of(enriched).utf8.count }
        let (packs, _) = PackReader.discover(path: rulesDir)
        guard let (tenant, paths) = packs.first(where: { $0.tenant == "acme-payments" }) else { return }
        let (files, _) = PackReader.loadFiles(paths)
        let (checked, _) = Frontend.check(tenant: tenant, files: files)
        let policies = RoutePolicy.table(try! PackCompiler.compile(checked))
        for path in ["payments-prod/payments-errors", "pre-production"] {
            guard let policy = policies[path] else { continue }
            time("group key of \(path) (\(policy.groupBy.map { "\($0.count) labels" } ?? "all labels"))") { _ in policy.groupKey(enriched, route: 0).labels.count }
        }
    }
}

import AlertEngine
import Foundation

/// What an alert's labels cost the engine, operation by operation (in a loop, so warm): built
/// from the sender's dictionary, enrich sets applied, a look-up, the name comparisons.
enum LabelSetBench {
    static func run() {
        let base: [String: String] = ["alertname": "CardDeclines", "service": "payments", "env": "prod", "region": "eu-west-1",
                                      "instance": "i-12345", "psp": "adyen", "merchant_id": "m-123"]
        let sets: [(label: String, value: String)] = [("priority", "P2"), ("psp", "adyen"), ("region_code", "EUWEST1")]
        let ls = LabelSet(base)
        for _ in 0..<3 {
            let n = 2_000_000
            let t0 = DispatchTime.now().uptimeNanoseconds
            var c = 0
            for _ in 0..<n { c &+= ls.applying(sets) { $0 }.count }
            let t1 = DispatchTime.now().uptimeNanoseconds
            print(String(format: "labels with 3 enrich sets applied (2 new names): %.1f ns (%d)", Double(t1 - t0) / Double(n), c))
        }
        let t6 = DispatchTime.now().uptimeNanoseconds
        var m = 0
        for _ in 0..<2_000_000 { m &+= LabelSet(base).count }
        let t7 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "labels built from a dictionary of 7: %.1f ns (%d)", Double(t7 - t6) / 2e6, m))
        let keys = Array(base.keys) + ["priority", "region_code"]
        var c = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        for i in 0..<2_000_000 { if LabelSet.precedes(keys[i % 9], keys[(i / 9) % 9]) { c &+= 1 } }
        let t1 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "two names ordered by their bytes: %.1f ns (%d)", Double(t1 - t0) / 2e6, c))
        let t2 = DispatchTime.now().uptimeNanoseconds
        for i in 0..<2_000_000 { if keys[i % 9] == keys[(i / 9) % 9] { c &+= 1 } }
        let t3 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "two names compared with ==: %.1f ns (%d)", Double(t3 - t2) / 2e6, c))
        let t4 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<2_000_000 { c &+= ls["region"]?.count ?? 0 }
        let t5 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "a look-up by name: %.1f ns (%d)", Double(t5 - t4) / 2e6, c))
    }
}

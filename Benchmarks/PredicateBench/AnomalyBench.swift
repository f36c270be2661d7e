import AlertEngine
import AnomalyStreams
import Foundation

/// `rulelang-bench anomaly OUTDIR [sensitivity]`: every scenario of the anomaly benchmark through
/// the engine (a pack with one seasonal anomaly rule by group), and the baselines on the same
/// minute counts. Writes what Benchmarks/anomaly-score.py scores: scenarios.csv, counts.csv (one
/// line per group: its minute counts), episodes.csv and detections.csv.
enum AnomalyBench {
    static func run(into dir: String, sensitivity: Double?) {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var scenarios = "scenario,groups,minutes,scored_from,summary\n", counts = "", episodes = "scenario,group,start,end,label\n"
        var detections = "scenario,method,group,minute\n"
        let method = "engine" + (sensitivity.map { " (sensitivity \($0))" } ?? " (default)")
        for s in Scenarios.all() {
            scenarios += "\(s.name),\(s.groups.count),\(s.minutes),\(s.scoredFrom),\"\(s.summary)\"\n"
            for (g, c) in s.counts.enumerated() { counts += "\(s.name),\(g)," + c.map(String.init).joined(separator: " ") + "\n" }
            for e in s.episodes { episodes += "\(s.name),\(e.group),\(e.start),\(e.end),\(e.label)\n" }
            var engine = Replay.engine(Replay.pack(sensitivity: sensitivity))
            let alerts = s.counts.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } }
            let t0 = DispatchTime.now().uptimeNanoseconds
            let found = Replay.run(s, engine: &engine, minutes: 0..<s.minutes)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            for d in found { detections += "\(s.name),\(method),\(d.group),\(d.minute)\n" }
            for (name, detect) in Baselines.all {
                for g in s.groups.indices { for m in detect(s, g) { detections += "\(s.name),\(name),\(g),\(m)\n" } }
            }
            print(String(format: "%@: %d groups, %d alerts through the engine in %.1f s (%.0f alerts/s), %d detections",
                         s.name, s.groups.count, alerts, seconds, Double(alerts) / seconds, found.count))
            fflush(nil)
        }
        for (name, text) in [("scenarios.csv", scenarios), ("counts.csv", counts), ("episodes.csv", episodes), ("detections.csv", detections)] {
            FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(text.utf8))
        }
    }
}

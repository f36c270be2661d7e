import Foundation
import HostileInputs

/// Writes the reported hostile packs (Tests/HostileInputs) as tenant folders, for
/// `Benchmarks/hostile-check.sh` to time each `rulec` command on them in its own process.
enum HostileDump {
    static func run(into dir: String) {
        for (i, pack) in HostilePacks.reported.enumerated() {
            let root = URL(fileURLWithPath: dir).appendingPathComponent(String(format: "%02d", i))
            let tenant = root.appendingPathComponent("hostile")
            try? FileManager.default.createDirectory(at: tenant, withIntermediateDirectories: true)
            try? Data(pack.yaml.utf8).write(to: tenant.appendingPathComponent("00-pack.yaml"))
            try? Data((pack.events.joined(separator: "\n") + "\n").utf8).write(to: root.appendingPathComponent("events.jsonl"))
            try? Data(pack.alert.utf8).write(to: root.appendingPathComponent("alert.json"))
            try? Data((pack.name + "\n").utf8).write(to: root.appendingPathComponent("name"))
            try? Data((pack.tail ?? "").utf8).write(to: root.appendingPathComponent("tail"))
        }
    }
}

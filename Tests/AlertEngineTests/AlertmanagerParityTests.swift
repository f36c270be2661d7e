import TestSupport
import RuleRuntime
import Foundation
import Testing
import AlertEngine
import RuleCompiler
import RuleLang

/// `rulec import alertmanager` is held to Alertmanager itself: for generated configurations
/// (nested routes, `continue`, `=`, `!=`, `=~`, `!~` matchers) `amtool config routes test` and
/// the imported pack name the same receivers for every label set.
@Suite struct AlertmanagerParityTests {
    static let amtool = ["/usr/bin/amtool", "/usr/local/bin/amtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[next(xs.count)] }
    }

    static let labels: [String: [String]] = [
        "team": ["a", "b", "c"], "env": ["prod", "staging", "dev"], "service": ["web-1", "db-1", "db-22", "api"],
        "severity": ["critical", "warning"], "region": ["eu-west-1", "us-east-1"],
    ]

    static func matcher(_ g: inout Generator) -> String {
        let name = g.pick(labels.keys.sorted())
        switch g.next(6) {
        case 0: return "\(name)=\"\(g.pick(labels[name]!))\""
        case 1: return "\(name)!=\"\(g.pick(labels[name]!))\""
        case 2: return "\(name)=~\"\(g.pick(["prod|staging", "web.*", "db-[0-9]+", ".*", "eu-.*", "a|b"]))\""
        case 3: return "\(name)!~\"\(g.pick(["prod|staging", "web.*", "db-[0-9]+", "", "us-.*"]))\""
        case 4: return "\(name)=\"\""
        default: return "\(name)!=\"\""
        }
    }

    static func route(_ g: inout Generator, depth: Int, receivers: inout Int, indent: String) -> String {
        var out = ""
        let children = depth >= 3 ? 0 : g.next(depth == 0 ? 4 : 3)
        for _ in 0..<children {
            out += "\(indent)- "
            let ms = (0..<(1 + g.next(2))).map { _ in matcher(&g) }
            out += "matchers: [\(ms.map { "'\($0)'" }.joined(separator: ", "))]\n"
            if g.next(3) > 0 { receivers += 1; out += "\(indent)  receiver: r\(receivers)\n" }
            if g.next(3) == 0 { out += "\(indent)  continue: true\n" }
            let sub = route(&g, depth: depth + 1, receivers: &receivers, indent: indent + "    ")
            if !sub.isEmpty { out += "\(indent)  routes:\n" + sub }
        }
        return out
    }

    static func config(_ seed: UInt64) -> String {
        var g = Generator(state: seed)
        var receivers = 0
        let routes = route(&g, depth: 0, receivers: &receivers, indent: "    ")
        var yaml = "route:\n  receiver: r0\n  group_by: [alertname]\n"
        if !routes.isEmpty { yaml += "  routes:\n" + routes }
        yaml += "receivers:\n" + (0...receivers).map { "  - name: r\($0)\n" }.joined()
        return yaml
    }

    static func amtoolReceivers(_ configPath: String, _ labels: [String: String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: amtool!)
        p.arguments = ["config", "routes", "test", "--config.file=\(configPath)"] + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: amtool != nil)) func importedPacksRouteLikeAlertmanager() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var compared = 0, withContinue = 0
        var distinct: Set<String> = []
        for seed in UInt64(1)...100 {
            let yaml = Self.config(seed)
            let path = dir.appendingPathComponent("am-\(seed).yml").path
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            guard case .success(let text) = AlertmanagerImport.translate(SourceFile(path: path, text: yaml), tenant: "am") else {
                Issue.record("seed \(seed): import failed")
                continue
            }
            let (checked, d) = Frontend.check(tenant: "am", files: [SourceFile(path: "imported.yaml", text: text)])
            let errors = d.filter { $0.severity == .error }
            #expect(errors.isEmpty, "seed \(seed): \(DiagnosticRenderer().text(errors))\n\(text)")
            guard errors.isEmpty else { continue }
            let evaluator = PackEvaluator(pack: TestSupport.compiled(checked))
            let policies = RoutePolicy.table(TestSupport.compiled(checked))
            var g = Generator(state: seed &* 7919)
            for _ in 0..<20 {
                var labels = ["alertname": "A"]
                for (k, vs) in Self.labels where g.next(3) > 0 { labels[k] = g.pick(vs) }
                let ours = evaluator.evaluate(alert(labels), now: 0).routes
                    .map { policies[$0.joined(separator: "/")]?.notify.first ?? "?" }.joined(separator: ",")
                let theirs = try Self.amtoolReceivers(path, labels)
                #expect(ours == theirs, "seed \(seed), labels \(labels)\n\(yaml)\n\(text)")
                compared += 1
                if theirs.contains(",") { withContinue += 1 }
                distinct.insert(theirs)
            }
        }
        #expect(compared == 2_000)
        // The generated trees exercise `continue` (several receivers) and many distinct outcomes.
        #expect(withContinue > 50)
        #expect(distinct.count > 20)
        print("alertmanager parity: \(compared) label sets, \(withContinue) with several receivers, \(distinct.count) distinct receiver lists")
    }
}

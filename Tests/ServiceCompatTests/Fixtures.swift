import Foundation
import RuleCompiler
import RuleLang
import RuleRuntime
import RuleText

/// The recorded fixtures and a small compiled pack, shared by the suites.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// One recorded amtool ↔ Alertmanager exchange.
    /// (Unchecked: its JSON values are read once, never mutated.)
    struct Exchange: @unchecked Sendable {
        let method: String
        let path: String
        let query: [String: [String]]
        let request: Any?
        let status: Int
        let response: Any?

        /// The request body as JSON text.
        var requestText: String { String(decoding: try! JSONSerialization.data(withJSONObject: request!, options: [.sortedKeys]), as: UTF8.self) }

        /// The query as (name, value) pairs, names sorted.
        var parameters: [(name: String, value: String)] {
            query.keys.sorted().flatMap { k in query[k]!.map { (name: k, value: $0) } }
        }
    }

    static let amtool: [Exchange] = {
        let text = try! String(contentsOf: directory.appendingPathComponent("amtool/capture.jsonl"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let o = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Exchange(method: o["method"] as! String, path: o["path"] as! String, query: o["query"] as! [String: [String]],
                            request: o["request"] is NSNull ? nil : o["request"], status: o["status"] as! Int,
                            response: o["response"])
        }
    }()

    /// The exchanges of `method path`, in order.
    static func amtool(_ method: String, _ path: String) -> [Exchange] { amtool.filter { $0.method == method && $0.path == path } }

    static func text(_ name: String) -> String {
        try! String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// A pack with two routed teams, a suppress rule and channels to name as receivers.
    static let packSource = """
        rulelang: 1
        channels:
          team-db: {type: webhook, url: "https://hooks.example.invalid/db"}
          team-web: {type: webhook, url: "https://hooks.example.invalid/web"}
          pd: {type: pagerduty, routing_key: k}
        suppress:
          - {name: maintenance, when: 'env == "maint"'}
        routes:
          - {name: web, when: 'service == "web"', notify: [team-web, pd], group_wait: 0s}
          - {name: db, when: 'service == "db"', notify: [team-db], group_wait: 0s}
        """

    static let pack: (CheckedPack, RuntimePack) = {
        let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: packSource)])
        precondition(d.filter { $0.severity == .error }.isEmpty, DiagnosticRenderer().text(d))
        do throws(CompileError) {
            return (checked, try PackCompiler.compile(checked))
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    static func ms(_ text: String) -> Int64 { parseRFC3339(text)! }
}

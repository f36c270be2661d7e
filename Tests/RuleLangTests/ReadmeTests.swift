import Foundation
import Testing

/// The README's minimal pack and the outputs it shows are what `rulec` makes of them: the pack,
/// the events file and each `$ rulec …` session are read from the README and run.
@Suite struct ReadmeTests {
    /// The fenced blocks of the README with the given info string, in order.
    static func blocks(_ info: String) throws -> [String] {
        let text = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        var out: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(info)" { current = [] }
            else if current != nil, line == "```" { out.append(current!.joined(separator: "\n") + "\n"); current = nil }
            else if current != nil { current!.append(line) }
        }
        return out
    }

    /// A folder holding `my-rules/checkout/pack.yaml` (the README's pack, through `edit`) and
    /// `events.jsonl`, as the README's sessions expect to find them.
    static func workspace(edit: (String) -> String = { $0 }) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-readme-\(UUID().uuidString)")
        let tenant = dir.appendingPathComponent("my-rules/checkout")
        try FileManager.default.createDirectory(at: tenant, withIntermediateDirectories: true)
        try edit(try #require(blocks("yaml").first)).write(to: tenant.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        try #require(blocks("json").first).write(to: dir.appendingPathComponent("events.jsonl"), atomically: true, encoding: .utf8)
        return dir
    }

    /// Runs one `$ [NAME=value…] rulec ARGS` line in `dir`: its status and output.
    static func session(_ command: Substring, in dir: URL) throws -> (Int32, String) {
        var words = command.dropFirst(2).split(separator: " ").map(String.init)
        var env: [String: String] = [:]
        while let first = words.first, let eq = first.firstIndex(of: "=") {
            env[String(first[..<eq])] = String(first[first.index(after: eq)...])
            words.removeFirst()
        }
        #expect(words.first == "rulec")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = Array(words.dropFirst())
        p.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(env) { $1 }
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func sessionsShowWhatRulecPrints() throws {
        let sessions = try Self.blocks("console").filter { $0.contains(" rulec check ") || $0.contains(" rulec test ") || $0.contains(" rulec simulate ") }
        #expect(sessions.count == 4)
        for block in sessions {
            let lines = block.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            let expected = lines.count > 1 ? String(lines[1]) : ""
            // The session with an error shows the pack with the mistake the README names.
            let mistake = expected.contains("production")
            let dir = try Self.workspace { mistake ? $0.replacingOccurrences(of: "env == \"prod\"", with: "env == \"production\"") : $0 }
            let (status, output) = try Self.session(lines[0], in: dir)
            #expect(output == expected, "\(lines[0])")
            #expect(status == (mistake ? 1 : 0), "\(lines[0])")
        }
    }
}

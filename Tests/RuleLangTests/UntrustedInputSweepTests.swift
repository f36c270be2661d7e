import Foundation
import HostileInputs
import Testing
@testable import RuleLang

/// Every `rulec` subcommand on generated hostile packs and Alertmanager files, each run in its
/// own process under a memory limit and a timeout: a pack, an alert or an imported file is
/// untrusted input, so the only acceptable endings are 0 (fine), 1 (diagnostics) and 2 (usage
/// or I/O). A signal, an exit 3 (the verifier rejecting what the checker passed), a timeout or
/// running out of memory fails the test, naming the input and the command.
@Suite struct UntrustedInputSweepTests {
    /// Virtual memory each command may map, in KiB: the 1 GB a check may use, plus the runtime's reservations.
    static let memoryKiB = 1_500_000
    /// Seconds each command may take (a debug build: several times the release figures).
    static let seconds = 60

    struct Ending: CustomStringConvertible {
        let status: Int32
        let signalled: Bool
        let output: String
        var acceptable: Bool { !signalled && (0...2).contains(status) }
        var description: String { (signalled ? "signal \(status)" : "exit \(status)") + ": " + output.prefix(400) }
    }

    /// Runs `rulec args` under the limits, in `dir`.
    static func run(_ args: [String], in dir: URL) throws -> Ending {
        try CLITests.requireBinary()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "ulimit -v \(memoryKiB); exec timeout -k 5 \(seconds) \"$@\"", "sh", CLITests.binary] + args
        p.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        p.environment = environment
        let out = FileHandle(forWritingAtPath: "/dev/null")!
        let log = dir.appendingPathComponent("out-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = out
        try p.run()
        p.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let signalled = p.terminationReason == .uncaughtSignal
        // `timeout` reports 124 on a timeout and 128 + n when the command died of signal n.
        return Ending(status: p.terminationStatus, signalled: signalled, output: text)
    }

    /// Writes `pack` as the tenant folder `hostile` under a fresh directory and runs every
    /// subcommand on it; returns the failures.
    static func sweep(_ pack: HostilePack) throws -> [String] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-sweep-\(UUID().uuidString)")
        let dir = root.appendingPathComponent("hostile")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data(pack.yaml.utf8).write(to: dir.appendingPathComponent("00-pack.yaml"))
        try Data((pack.events.joined(separator: "\n") + "\n").utf8).write(to: root.appendingPathComponent("events.jsonl"))
        let at = pack.at.map { ["--at", $0] } ?? []
        var commands: [[String]] = [
            ["check", "hostile"],
            ["compile", "hostile", "-o", "hostile.rpk"],
            ["eval", "hostile", "--alert", pack.alert] + at,
            ["eval", "hostile", "--explain", "--alert", pack.alert] + at,
            ["eval", "hostile", "--no-optimize", "--alert", pack.alert] + at,
            ["test", "hostile"],
            ["simulate", "hostile", "--alerts", "events.jsonl"] + (pack.at.map { ["--start", $0] } ?? []) + (pack.tail.map { ["--tail", $0] } ?? []),
            ["disasm", "hostile"],
        ]
        var failures: [String] = []
        for (i, args) in commands.enumerated() {
            let ending = try run(args, in: root)
            if !ending.acceptable { failures.append("\(pack.name): rulec \(args.prefix(2).joined(separator: " ")) → \(ending)") }
            if i == 1, ending.status == 0 {
                commands.append(["eval", "hostile.rpk", "--alert", pack.alert] + at)
                commands.append(["disasm", "hostile.rpk"])
            }
        }
        return failures
    }

    /// The reported worst cases, and one draw of every family from a fixed seed (a draw over
    /// 256 KB is drawn again: a debug build takes tens of seconds a command on the megabyte packs,
    /// which the reported cases and `HostilePackTests` already cover).
    static let packs: [HostilePack] = {
        var choices: any Choices = SeededChoices(seed: 0x5EED_0012)
        return HostilePacks.reported + HostilePacks.families.map { family in
            var pack = family.1(&choices)
            while pack.yaml.utf8.count > 256 << 10 { pack = family.1(&choices) }
            return pack
        }
    }()

    @Test(arguments: packs) func everySubcommandEndsCleanly(_ pack: HostilePack) throws {
        try CLITests.requireBinary()
        let failures = try Self.sweep(pack)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Generated Alertmanager files through `import`: it ends cleanly, and what it writes is a
    /// pack that checks and holds no rule the file did not describe (no injected `suppress`).
    @Test func importEndsCleanlyAndInjectsNothing() throws {
        try CLITests.requireBinary()
        var choices: any Choices = SeededChoices(seed: 0x5EED_1012)
        var failures: [String] = []
        for _ in 0..<24 {
            let (name, yaml) = HostileImports.any(&choices)
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("imported"), withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: root) }
            try Data(yaml.utf8).write(to: root.appendingPathComponent("alertmanager.yml"))
            let out = root.appendingPathComponent("imported/00-pack.yaml")
            let ending = try Self.run(["import", "alertmanager", "alertmanager.yml", "-o", out.path], in: root)
            guard ending.acceptable else { failures.append("\(name): \(ending)"); continue }
            guard ending.status == 0, let text = try? String(contentsOf: out, encoding: .utf8) else { continue }
            let (checked, diagnostics) = Frontend.check(tenant: "imported", files: [SourceFile(path: out.path, text: text)])
            let errors = diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty { failures.append("\(name): the imported pack does not check: \(errors.first!.message)") }
            let inhibits = yaml.contains("inhibit_rules") ? 1 : 0
            if checked.pack.suppress.count > inhibits { failures.append("\(name): the import wrote \(checked.pack.suppress.count) suppress rules") }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}

import Foundation
import Testing

/// The runtime commands (`test`, `simulate`, `eval`, `compile`) on hostile input through the
/// built `rulec`: extreme durations and times, timers that fire too often, output files that are
/// not regular files. Each runs under a memory limit; a signal or an exit status 3 fails.
@Suite struct HostileRuntimeCLITests {
    /// Runs `rulec` under `ulimit -v` (4 GB) and a 60 s timeout, in `dir`.
    static func run(_ args: [String], in dir: String? = nil) throws -> (Int32, String) {
        try CLITests.requireBinary()
        let quoted = ([CLITests.binary] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "ulimit -v 4000000; exec timeout 60 \(quoted)"]
        if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let status = p.terminationStatus
        #expect(p.terminationReason == .exit && status != 3 && status < 124, "rulec \(args): status \(status)")
        return (status, String(decoding: data, as: UTF8.self))
    }

    /// A fresh folder `<tmp>/…/<tenant>` holding `files`.
    static func folder(_ files: [String: String], tenant: String = "hostile") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-hostile-\(UUID().uuidString)/\(tenant)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir.path
    }

    static func pack(_ route: String, tests: String = "") -> String {
        """
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - {name: all, when: true, notify: [slack], \(route)}
        \(tests)
        """
    }

    /// A duration at the 64-bit maximum is rejected by every command that reads the pack.
    @Test func maximalDurationsAreRejectedEverywhere() throws {
        let dir = try Self.folder(["p.yaml": Self.pack("group_wait: 106751991167d", tests: """
        tests:
          - name: t
            input:
              - {at: 0s, alert: {labels: {alertname: A}}}
            expect: []
        """)])
        let message = "duration `106751991167d` for `group_wait` is longer than the maximum of 3650d"
        for command in ["check", "test"] {
            let (status, out) = try Self.run([command, dir])
            #expect(status == 1 && out.contains("error[E0012]: " + message), "\(command): \(out)")
        }
        let alerts = try Self.folder(["a.jsonl": #"{"at": "0s", "alert": {"labels": {"alertname": "A"}}}"# + "\n"], tenant: "alerts") + "/a.jsonl"
        let (status, out) = try Self.run(["simulate", dir, "--alerts", alerts])
        #expect(status == 1 && out.contains(message))
        let (evalStatus, evalOut) = try Self.run(["eval", dir, "--alert", #"{"labels": {"alertname": "A"}}"#])
        #expect(evalStatus == 1 && evalOut.contains(message))
    }

    /// A test whose group checks every millisecond for a day stops at the cap (it once tried
    /// to allocate 3 GB); so does a simulation.
    @Test func runsStopAtTheirCaps() throws {
        let dir = try Self.folder(["p.yaml": Self.pack("group_wait: 0s, group_interval: 1ms, repeat_interval: 1ms", tests: """
        tests:
          - name: every millisecond
            until: 1d
            input:
              - {at: 0s, alert: {labels: {alertname: A}}}
            expect: []
        """)])
        let (status, out) = try Self.run(["test", dir])
        #expect(status == 1)
        #expect(out == """
        FAILED  hostile: every millisecond
            stopped after 100,000 timer firings, the most one run may make: the timers (group_interval, repeat_interval, escalations, correlations) fire too often
        0 passed, 1 failed, 0 skipped

        """)
        let alerts = try Self.folder(["a.jsonl": #"{"at": "0s", "alert": {"labels": {"alertname": "A"}}}"# + "\n"], tenant: "alerts") + "/a.jsonl"
        let (simStatus, simOut) = try Self.run(["simulate", dir, "--alerts", alerts, "--tail", "1d"])
        #expect(simStatus == 1)
        #expect(simOut.hasSuffix("\nstopped after 100,000 timer firings, the most one run may make: the timers (group_interval, repeat_interval, escalations, correlations) fire too often\n"))
    }

    /// Command-line durations and times are bounded and strictly parsed: usage errors (2).
    @Test func flagsAreBounded() throws {
        let dir = try Self.folder(["p.yaml": Self.pack("group_wait: 30s")])
        let alerts = try Self.folder(["a.jsonl": #"{"at": "106751991167d", "alert": {"labels": {"alertname": "A"}}}"# + "\n"], tenant: "alerts") + "/a.jsonl"
        let (tail, tailOut) = try Self.run(["simulate", dir, "--alerts", alerts, "--tail", "3650d1ms"])
        #expect(tail == 2 && tailOut.hasPrefix("Error: --tail must be a duration of at most 3650d, such as 1h\n"))
        let (start, startOut) = try Self.run(["simulate", dir, "--alerts", alerts, "--start", "2026-02-30T00:00:00Z"])
        #expect(start == 2 && startOut.hasPrefix("Error: --start must be an RFC 3339 time, such as 2026-01-01T00:00:00Z\n"))
        #expect(try Self.run(["simulate", dir, "--alerts", alerts]) == (1, "line 1: expected an object with `at` (a duration of at most 3650d)\n"))
        let (at, atOut) = try Self.run(["eval", dir, "--at", "2026-01-01T00:00:00+99:99", "--alert", #"{"labels": {"alertname": "A"}}"#])
        #expect(at == 2 && atOut.hasPrefix("Error: --at must be an RFC 3339 time\n"))
        #expect(try Self.run(["eval", dir, "--at", "2026-01-01T00:00:00Z", "--alert", #"{"labels": {"alertname": "A"}, "source": 5}"#])
                == (1, "alert 1: rejected: `source`: must be a string, found a number\n"))
    }

    /// `compile -o`: a device is written in place and its error reported (`/dev/full`); a
    /// folder, or a path in a missing folder, is an error; a regular file is replaced whole.
    @Test func compileOutputIsWrittenSafely() throws {
        let dir = try Self.folder(["p.yaml": Self.pack("group_wait: 30s")])
        if FileManager.default.fileExists(atPath: "/dev/full") {
            #expect(try Self.run(["compile", dir, "-o", "/dev/full"]) == (2, "cannot write `/dev/full`: No space left on device\n"))
            var info = stat()
            #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        }
        let (null, nullOut) = try Self.run(["compile", dir, "-o", "/dev/null"])
        #expect(null == 0 && nullOut.hasSuffix("bytes -> /dev/null\n"))
        #expect(try Self.run(["compile", dir, "-o", dir]) == (2, "cannot write `\(dir)`: it is a folder\n"))
        #expect(try Self.run(["compile", dir, "-o", dir + "/missing/x.rpk"]) == (2, "cannot write `\(dir)/missing/x.rpk`: No such file or directory\n"))
        let target = dir + "/out.rpk"
        try "old".write(toFile: target, atomically: true, encoding: .utf8)
        let (ok, okOut) = try Self.run(["compile", dir, "-o", target])
        #expect(ok == 0 && okOut.hasSuffix("bytes -> \(target)\n"))
        let written = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(written.count > 3 && written.prefix(3) != Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["out.rpk", "p.yaml"])
    }
}

/// `check` compiles the pack without the optimizer too: a limit only optimized code keeps under
/// is warning W0010 (exit 0, exit 1 with `--strict`), and `--no-optimize` then refuses the pack
/// with the error the warning quoted.
@Suite struct UnoptimizedLimitCLITests {
    @Test func checkAnnouncesWhatNoOptimizeRefuses() throws {
        let list = "[" + (0..<300).map { "0 + \($0)" }.joined(separator: ", ") + "]"
        let dir = try HostileRuntimeCLITests.folder(["p.yaml": HostileRuntimeCLITests.pack("", tests: "")
            .replacingOccurrences(of: "when: true, notify: [slack], }", with: "when: 'len(alertname) in \(list)', notify: [slack]}\n  - {name: default, when: true, notify: [slack]}")])
        let (status, out) = try HostileRuntimeCLITests.run(["check", dir])
        #expect(status == 0, "\(out)")
        #expect(out.hasPrefix("warning[W0010]: without the optimizer, rule `all` needs 302 stack values, more than the 256 the vm has\n"), "\(out)")
        #expect(try HostileRuntimeCLITests.run(["check", "--strict", dir]).0 == 1)
        let alert = #"{"labels":{"alertname":"c"}}"#
        let (optimized, routed) = try HostileRuntimeCLITests.run(["eval", dir, "--alert", alert])
        #expect(optimized == 0, "\(routed)")
        let (plain, refused) = try HostileRuntimeCLITests.run(["eval", dir, "--alert", alert, "--no-optimize"])
        #expect(plain == 1)
        #expect(refused.contains("error[E0311]: rule `all` needs 302 stack values"), "\(refused)")
    }
}

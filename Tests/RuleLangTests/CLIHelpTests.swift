import Foundation
import Testing

/// The built `rulec`'s help and usage errors: every subcommand's help carries examples and its
/// exit statuses, and a usage error names the subcommand it belongs to.
@Suite struct CLIHelpTests {
    /// The lines of `section` (`EXAMPLES`, `EXIT STATUS`) in a help text, header included, up to
    /// the blank line that ends it; nil when the help has no such section.
    static func section(_ name: String, of help: String) -> String? {
        guard let start = help.range(of: "\n\(name):\n") else { return nil }
        let rest = help[help.index(after: start.lowerBound)...]
        let end = rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// Each subcommand's exit statuses, as its help states them.
    static let exitStatuses: [(command: [String], section: String)] = [
        (["check"], """
        EXIT STATUS:
          0  every pack accepted (warnings allowed unless --strict)
          1  a pack has an error, or a warning with --strict
          2  usage error, or a path or file that cannot be read
          3  internal error: the verifier rejected a compiled pack
        """),
        (["test"], """
        EXIT STATUS:
          0  every test passed or was skipped
          1  a test failed, or a pack has errors
          2  usage error, or a path or file that cannot be read
        """),
        (["simulate"], """
        EXIT STATUS:
          0  the timeline was printed
          1  the pack has errors, an event line is malformed, or the run hit a limit
          2  usage error, an unreadable file, or a malformed environment variable
        """),
        (["compile"], """
        EXIT STATUS:
          0  the artifact was written
          1  the pack has errors
          2  usage error, or a path that cannot be read or written
          3  internal error: the verifier rejected a compiled pack
        """),
        (["eval"], """
        EXIT STATUS:
          0  every alert was evaluated
          1  an alert was rejected, the pack has errors, or the artifact is invalid
          2  usage error, or a file that cannot be read
          3  internal error: the verifier rejected a compiled pack
        """),
        (["disasm"], """
        EXIT STATUS:
          0  the bytecode was printed
          1  the pack has errors, or the artifact is invalid
          2  usage error, or a path that cannot be read
          3  internal error: the verifier rejected a compiled pack
        """),
        (["import", "alertmanager"], """
        EXIT STATUS:
          0  the pack was written
          1  the configuration cannot be translated (diagnostics say why)
          2  usage error, or a file that cannot be read or written
        """),
    ]

    @Test(arguments: exitStatuses)
    func helpStatesExitStatuses(command: [String], section: String) throws {
        let (code, help) = try CLITests.run(command + ["--help"])
        #expect(code == 0)
        #expect(Self.section("EXIT STATUS", of: help) == section)
    }

    /// Every example starts with the subcommand it documents, and fits the 80 columns the help
    /// is wrapped to (a longer one would be broken mid-command).
    @Test(arguments: ["check", "test", "simulate", "compile", "eval", "disasm", "import alertmanager"])
    func helpHasExamples(command: String) throws {
        let (_, help) = try CLITests.run(command.split(separator: " ").map(String.init) + ["--help"])
        let examples = try #require(Self.section("EXAMPLES", of: help)).split(separator: "\n").dropFirst()
        #expect(examples.count >= 2)
        for line in examples {
            #expect(line.hasPrefix("  rulec \(command) "))
            #expect(line.count <= 80)
        }
    }

    @Test func checkExamplesAreExact() throws {
        let (_, help) = try CLITests.run(["check", "--help"])
        #expect(Self.section("EXAMPLES", of: help) == """
        EXAMPLES:
          rulec check rules/                        every tenant under rules/
          rulec check rules/acme-payments --strict  warnings fail too
          rulec check rules/ --format sarif > rulelang.sarif
          rulec check rules/ --format github        annotations in GitHub Actions
        """)
        #expect(help.contains("""
          --color <color>         Colour text output: auto (when standard output is a
                                  terminal and NO_COLOR is unset), always or never.
                                  (values: auto, always, never; default: auto)
        """))
    }

    /// A bad `--color` is rejected with the values it takes, then the subcommand's usage.
    @Test func colourRejectsOtherValues() throws {
        let (code, out) = try CLITests.run(["check", "--color", "purple", "Cases/formats"])
        #expect(code == 2)
        #expect(out == """
        Error: The value 'purple' is invalid for '--color <color>'. Please provide one of 'auto', 'always' or 'never'.
        Help:  --color <color>  Colour text output: auto (when standard output is a terminal and NO_COLOR is unset), always or never.
        Usage: rulec check [<paths> ...] [--format <format>] [--strict] [--dump <dump>] [--color <color>] [--explain-index]
          See 'rulec check --help' for more information.

        """)
        #expect(try CLITests.run(["check", "--color", "never", "Cases/formats"]).0 == 1)
    }

    /// Checks made after parsing (one alert source, a valid time) still print the usage of the
    /// subcommand at fault, not the root's.
    @Test func usageErrorsPrintTheSubcommandsUsage() throws {
        let rules = Repo.root.appendingPathComponent("rules/initech").path
        #expect(try CLITests.run(["eval", rules]) == (2, """
        Error: give exactly one of --alert and --alerts
        Usage: rulec eval <pack> [--alert <alert>] [--alerts <alerts>] [--at <at>] [--trace] [--explain] [--no-optimize]
          See 'rulec eval --help' for more information.

        """))
        #expect(try CLITests.run(["eval", rules, "--alert", "{}", "--at", "noon"]) == (2, """
        Error: --at must be an RFC 3339 time
        Usage: rulec eval <pack> [--alert <alert>] [--alerts <alerts>] [--at <at>] [--trace] [--explain] [--no-optimize]
          See 'rulec eval --help' for more information.

        """))
        #expect(try CLITests.run(["simulate", rules, "--alerts", "x.jsonl", "--tail", "forever"]) == (2, """
        Error: --tail must be a duration of at most 3650d, such as 1h
        Usage: rulec simulate <pack> --alerts <alerts> [--start <start>] [--tail <tail>] [--format <format>]
          See 'rulec simulate --help' for more information.

        """))
        #expect(try CLITests.run(["simulate", rules, "--alerts", "x.jsonl", "--format", "yaml"]) == (2, """
        Error: The value 'yaml' is invalid for '--format <format>'. Please provide one of 'text' and 'json'.
        Help:  --format <format>  Output: the timeline as text, or one JSON object.
        Usage: rulec simulate <pack> --alerts <alerts> [--start <start>] [--tail <tail>] [--format <format>]
          See 'rulec simulate --help' for more information.

        """))
        #expect(try CLITests.run(["test", "--junit"]) == (2, """
        Error: Missing value for '--junit <junit>'
        Help:  --junit <junit>  Also write the results as JUnit XML to this file.
        Usage: rulec test [<paths> ...] [--junit <junit>]
          See 'rulec test --help' for more information.

        """))
    }
}

import ArgumentParser
import Foundation

/// The `rulec` command line: thin; parses flags and calls the libraries.
@main
struct Rulec: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "rulec",
        abstract: "The RuleLang compiler: check tenant rule packs for critical-alert routing.",
        discussion: """
        A rule author checks a pack, runs its tests and replays alert streams through it:

          rulec check rules/
          rulec test rules/
          rulec simulate rules/acme-payments --alerts events.jsonl
          rulec import alertmanager alertmanager.yml -o pack.yaml

        EXIT STATUS (each subcommand's help has its own):
          0  success
          1  errors in a pack, failed tests or rejected alerts
          2  usage error, or a path or file that cannot be read
        """,
        version: version,
        subcommands: [CheckCommand.self, TestCommand.self, SimulateCommand.self, CompileCommand.self, EvalCommand.self, DisasmCommand.self, ImportCommand.self, ServeCommand.self, KeysCommand.self, AuditCommand.self]
    )

    /// Exit status for usage and I/O errors (ArgumentParser's default is 64).
    static let usageExit: Int32 = 2

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(usageExit)
        }
    }
}

import ArgumentParser
import Foundation
import RuleLang

/// `rulec import alertmanager alertmanager.yml`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Translate other tools' configurations into rule packs.",
        discussion: """
        EXAMPLES:
          rulec import alertmanager alertmanager.yml --tenant payments -o pack.yaml
        """,
        subcommands: [AlertmanagerImportCommand.self]
    )
}

struct AlertmanagerImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alertmanager",
        abstract: "Translate an Alertmanager configuration (routes, inhibit rules, time intervals, receivers) into a pack.",
        discussion: """
        The pack is written as one YAML file; run rulec check on its folder afterwards.

        EXAMPLES:
          rulec import alertmanager alertmanager.yml
          rulec import alertmanager alertmanager.yml --tenant payments -o pack.yaml

        EXIT STATUS:
          0  the pack was written
          1  the configuration cannot be translated (diagnostics say why)
          2  usage error, or a file that cannot be read or written
        """
    )

    @Argument(help: "The Alertmanager configuration file.")
    var file: String

    @Option(help: "The tenant id of the pack.")
    var tenant = "imported"

    @Option(name: .shortAndLong, help: "Write the pack here instead of standard output.")
    var output: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("cannot read `\(file)`\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
        switch AlertmanagerImport.translate(SourceFile(path: file, bytes: [UInt8](data)), tenant: tenant) {
        case .failure(let f):
            FileHandle.standardError.write(Data(DiagnosticRenderer().text(f.diagnostics).utf8))
            throw ExitCode(1)
        case .success(let text):
            if let output {
                try OutputFile.write(Array(text.utf8), to: output)
            } else {
                print(text, terminator: "")
            }
        }
    }
}

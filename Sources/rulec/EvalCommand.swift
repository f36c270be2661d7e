import RuleRuntime
import AlertEngine
import ArgumentParser
import Foundation
import RuleCompiler
import RuleLang
import RuleText
import RuleVM

/// `rulec eval PACKDIR --alert JSON | --alerts FILE.jsonl [--trace]`.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate alerts against a compiled pack: matched rules and routes for each.",
        discussion: """
        An alert is a JSON object: {"labels": {...}, "annotations": {...}, "severity": "critical"}. \
        Without --explain each alert is evaluated on its own; with --explain the alerts go \
        through the engine in order, so deduplication, suppression and grouping show.

        EXAMPLES:
          rulec eval rules/acme-payments --alert '{"labels":{"alertname":"PSPDown"}}'
          rulec eval acme-payments.rpk --alerts alerts.jsonl --trace
          rulec eval rules/acme-payments --alerts alerts.jsonl --explain

        EXIT STATUS:
          0  every alert was evaluated
          1  an alert was rejected, the pack has errors, or the artifact is invalid
          2  usage error, or a file that cannot be read
          3  internal error: the verifier rejected a compiled pack
        """
    )

    @Argument(help: "The tenant pack folder, or a compiled .rpk artifact.")
    var pack: String

    @Option(help: "One alert as JSON.")
    var alert: String?

    @Option(help: "A file of alerts, one JSON object per line.")
    var alerts: String?

    @Option(help: "Evaluation time (RFC 3339; default: now).")
    var at: String?

    @Flag(help: "Print every rule evaluated and its result.")
    var trace = false

    @Flag(help: "Run the alerts through the engine (in order, at --at) and explain each: rules matched, route path, group key, what suppressed it.")
    var explain = false

    @Flag(help: "Compile without the optimizer passes.")
    var noOptimize = false

    /// Rejects a missing or doubled alert source and a malformed `--at` while parsing, so the
    /// error shows this subcommand's usage.
    func validate() throws {
        guard (alert == nil) != (alerts == nil) else {
            throw ValidationError("give exactly one of --alert and --alerts")
        }
        if let at, parseRFC3339(at) == nil { throw ValidationError("--at must be an RFC 3339 time") }
    }

    func run() throws {
        var lines: [String] = []
        if let alert { lines = [alert] }
        if let alerts {
            guard let text = try? String(contentsOfFile: alerts, encoding: .utf8) else {
                FileHandle.standardError.write(Data("cannot read `\(alerts)`\n".utf8))
                throw ExitCode(Rulec.usageExit)
            }
            lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
        let now: Int64
        if let at {
            guard let t = parseRFC3339(at) else { throw ExitCode(Rulec.usageExit) }      // validate() has accepted it
            now = t
        } else {
            now = Int64(Date().timeIntervalSince1970 * 1000)
        }
        if explain { return try runExplained(lines, now: now) }
        let (compiled, tier, files) = try loadPackOrArtifact(pack, options: CompileOptions(optimize: !noOptimize))
        let evaluator = PackEvaluator(pack: compiled)
        var failed = false
        for (i, line) in lines.enumerated() {
            switch AlertJSON.parse(line, tenant: compiled.tenant, tier: tier) {
            case .failure(let problem):
                failed = true
                print("alert \(i + 1): rejected: \(problem)")
            case .success(let input):
                let d = evaluator.evaluate(input, now: now, trace: trace)
                print("alert \(i + 1) (\(input.alertname)):")
                if trace { for (rule, result) in d.trace { print("  · \(rule): \(result)") } }
                for (kind, names) in [("enrich", d.enrich), ("suppress", d.suppress), ("inhibited while another alert is active", d.inhibitions),
                                      ("correlate", d.correlate), ("anomalies", d.anomalies)] where !names.isEmpty {
                    print("  \(kind): \(names.joined(separator: ", "))")
                }
                print("  routes: " + (d.routes.isEmpty ? "(unrouted)" : d.routes.map { $0.joined(separator: "/") }.joined(separator: ", ")))
                for (rule, error) in d.errors {
                    let ref = compiled.program.span(at: error.pc)
                    let path = ref.map { compiled.program.files[Int($0.file)] }
                    let file = files.first { $0.path == path }
                    let span = ref.flatMap { r in file.map { SourceSpan(file: $0, start: Int(r.start), end: Int(r.end)) } }
                    print(DiagnosticRenderer().text(Diagnostic.runtime(error.description, rule: rule, at: span, path: path)), terminator: "")
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

extension EvalCommand {
    /// `--explain`: the engine's view of each alert, fed in order at `now`.
    func runExplained(_ lines: [String], now: Int64) throws {
        let (compiled, checked, _) = try loadCompiledPack(pack, options: CompileOptions(optimize: !noOptimize))
        var engine = Engine(pack: compiled)
        try EngineEnvironment.read().apply(to: &engine)
        let evaluator = PackEvaluator(pack: compiled)
        var failed = false
        for (i, line) in lines.enumerated() {
            var input: AlertInput
            switch AlertJSON.parse(line, tenant: compiled.tenant, tier: compiled.tier) {
            case .success(let parsed): input = parsed
            case .failure(let p):
                print("alert \(i + 1): rejected: \(p)")
                failed = true
                continue
            }
            if input.fingerprint.isEmpty { input.fingerprint = Fingerprint.of(input.labels) }
            let d = evaluator.evaluate(input, now: now)
            let wasOpen = engine.alertID(fingerprint: input.fingerprint).flatMap { engine.state.alerts[$0] }?.status
            _ = engine.handle(.alert(input), at: now)
            guard let id = engine.alertID(fingerprint: input.fingerprint), let x = engine.explain(id, arrivedWith: input.labels) else { continue }
            print("alert \(i + 1) (\(input.alertname)), fingerprint \(input.fingerprint):")
            if wasOpen == .firing || wasOpen == .acknowledged {
                print("  an update of open alert #\(id): deduplicated")
                continue
            }
            if !d.enrich.isEmpty { print("  enrich: \(d.enrich.joined(separator: ", "))" + (x.enriched.isEmpty ? "" : " (set \(x.enriched.map { "\($0.label)=\($0.value)" }.joined(separator: ", ")))")) }
            if let s = x.alert.suppressedBy {
                let kind = d.suppress.contains(s) ? "silence" : "inhibition, while another active alert satisfies its while_active"
                print("  suppressed by \(s) (\(kind)): stored, notifies nobody")
            }
            if !d.correlate.isEmpty { print("  correlations fed: \(d.correlate.joined(separator: ", "))") }
            if !d.anomalies.isEmpty { print("  anomaly rules fed: \(d.anomalies.joined(separator: ", "))") }
            print("  route: " + (x.alert.routes.isEmpty ? "(unrouted)" : x.alert.routes.joined(separator: ", ")))
            for key in x.groupKeys { print("  group: \(key)") }
            let derived = engine.state.alerts.values.filter { $0.derivedBy != nil && $0.startsAt == now }.sorted { $0.id < $1.id }
            for a in derived where a.id > id { print("  derived: \(a.alertname) by \(a.derivedBy!)") }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `rulec disasm PACKDIR [--rule NAME]`.
struct DisasmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disasm",
        abstract: "Print a pack's bytecode: offset, source line, mnemonic, operands and a comment.",
        discussion: """
        EXAMPLES:
          rulec disasm rules/acme-payments
          rulec disasm rules/acme-payments --rule checkout
          rulec disasm acme-payments.rpk --no-optimize

        EXIT STATUS:
          0  the bytecode was printed
          1  the pack has errors, or the artifact is invalid
          2  usage error, or a path that cannot be read
          3  internal error: the verifier rejected a compiled pack
        """
    )

    @Argument(help: "The tenant pack folder, or a compiled .rpk artifact.")
    var pack: String

    @Option(help: "Only entries whose name contains this.")
    var rule: String?

    @Flag(help: "Compile without the optimizer passes.")
    var noOptimize = false

    func run() throws {
        let (compiled, _, files) = try loadPackOrArtifact(pack, options: CompileOptions(optimize: !noOptimize))
        print(Disassembler.text(compiled.program, sources: files, only: rule), terminator: "")
    }
}

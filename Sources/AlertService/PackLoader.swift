import Crypto
import Foundation
import RuleCompiler
import RuleLang
import RuleRuntime
import ServiceStore

/// A tenant's pack, checked and compiled from its folder: what a tenant's engine runs and the
/// store keeps (artifact, hash, source).
public struct LoadedPack: Sendable {
    public let tenant: TenantID
    public let runtime: RuntimePack
    /// The artifact (`Artifact.encode`) and its SHA-256 in hex.
    public let artifact: Data
    public let hash: String
    /// The pack folder's files as JSON (`{path: text}`), kept with each stored version.
    public let source: Data
    /// Secrets the pack names that are unset (only when unset secrets are allowed).
    public let unsetSecrets: [String]
}

/// A tenant's pack that was refused, with why.
public struct RefusedPack: Error, Sendable {
    public let tenant: TenantID
    public let diagnostics: [Diagnostic]

    /// The diagnostics as `rulec check --format json` prints each.
    public var json: [JSONObject] { diagnostics.map { LoadedPacks.object(DiagnosticRenderer().json($0)) } }
    /// The first error's code (`E0405`, …).
    public var firstCode: String { diagnostics.first { $0.severity == .error }?.code.id ?? "error" }
}

/// Every tenant pack of the rules directory, loaded or refused.
public struct LoadedPacks: Sendable {
    public var loaded: [LoadedPack] = []
    public var refused: [RefusedPack] = []
    /// Problems with the folder itself (unreadable, not a pack).
    public var errors: [Diagnostic] = []

    /// Finds each tenant folder under `rulesDir` (as `rulec check` does), checks it with
    /// `secrets` (an unset one is E0405 for that tenant only, unless `allowUnsetSecrets`) and
    /// compiles it.
    public static func load(rulesDir: String, secrets: [String: String], allowUnsetSecrets: Bool) -> LoadedPacks {
        var out = LoadedPacks()
        let (packs, errors) = PackReader.discover(path: rulesDir)
        out.errors = errors
        for (tenant, paths) in packs.sorted(by: { $0.tenant < $1.tenant }) {
            switch loadOne(tenant: tenant, paths: paths, secrets: secrets, allowUnsetSecrets: allowUnsetSecrets) {
            case .success(let p): out.loaded.append(p)
            case .failure(let r): out.refused.append(r)
            }
        }
        return out
    }

    static func loadOne(tenant: String, paths: [String], secrets: [String: String], allowUnsetSecrets: Bool) -> Result<LoadedPack, RefusedPack> {
        let id = TenantID(tenant)
        let (files, readErrors) = PackReader.loadFiles(paths)
        var options = CheckOptions.fromEnvironment(secrets, secretMode: allowUnsetSecrets ? .warn : .require)
        options.secrets = secrets
        let (checked, diagnostics) = Frontend.check(tenant: tenant, files: files, options: options)
        let all = readErrors + diagnostics
        let errors = all.filter { $0.severity == .error }
        guard errors.isEmpty else { return .failure(RefusedPack(tenant: id, diagnostics: errors)) }
        let runtime: RuntimePack
        do throws(CompileError) {
            runtime = try PackCompiler.compile(checked)
        } catch {
            switch error {
            case .limits(let problems): return .failure(RefusedPack(tenant: id, diagnostics: problems))
            case .rejected(let why):
                return .failure(RefusedPack(tenant: id, diagnostics: [.runtime("compiled program rejected by the verifier: \(why)", rule: "(pack)", at: nil)]))
            }
        }
        let artifact = Data(Artifact.encode(runtime))
        let hash = SHA256.hash(data: artifact).map { String(format: "%02x", $0) }.joined()
        var sources: [String: String] = [:]
        for f in files { sources[URL(fileURLWithPath: f.path).lastPathComponent] = String(decoding: f.bytes, as: UTF8.self) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let source = (try? encoder.encode(sources)) ?? Data()
        let unset = all.filter { $0.code.id == "W0007" }.map(\.message)
        return .success(LoadedPack(tenant: id, runtime: runtime, artifact: artifact, hash: hash, source: source, unsetSecrets: unset))
    }

    /// A diagnostic's JSON (RuleLang's ordered value) as the service's.
    static func object(_ v: JSONValue) -> JSONObject {
        if case .object = v, case .object(let o) = out(v) { return o }
        return [:]
    }

    static func out(_ v: JSONValue) -> JSONOut {
        switch v {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .number(let d): .double(d)
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(out))
        case .object(let fields): .object(Dictionary(fields.map { ($0.0, out($0.1)) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// `NAME=value` lines of a secrets file (`#` comments and blank lines skipped).
    public static func readSecrets(_ path: String) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw KeyError("cannot read the secrets file `\(path)`") }
        var out: [String: String] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else {
                throw KeyError("`\(path)` line \(i + 1): expected `NAME=value`")
            }
            out[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }
}

import Foundation

/// Reads a tenant's YAML files into one `Pack` (spec section 1), reporting every problem of
/// every file: a bad rule is skipped and reading goes on at the next one.
public enum PackReader {
    static let topLevelKeys = ["rulelang", "tenant", "timezone", "tier", "labels", "lists", "macros", "time_windows",
                               "channels", "escalations", "sla", "enrich", "suppress", "correlate", "anomalies",
                               "routes", "tests"]

    /// Whether `name` is a valid tenant id: `[a-z0-9][a-z0-9-]{0,62}`.
    public static func isValidTenant(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard (1...63).contains(b.count) else { return false }
        func ok(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        return ok(b[0]) && b.dropFirst().allSatisfy { ok($0) || $0 == 45 }
    }

    /// Reads files already in memory as the pack of `tenant` (in the given order).
    public static func read(tenant: String, files: [SourceFile]) -> (Pack, [Diagnostic]) {
        var pack = Pack(tenant: tenant)
        pack.files = files
        var reader = NodeReader()
        var tierFile: SourceSpan?
        var timezoneSeen = false
        for file in files {
            let (root, yamlDiagnostics) = YamlLoader.load(file)
            reader.diagnostics += yamlDiagnostics
            // A file the loader refused in part is still read: its refused values are `.invalid`.
            guard let root else {
                guard yamlDiagnostics.isEmpty else { continue }
                reader.report(YamlCodes.version, "missing `rulelang: 1` in an empty file",
                              at: SourceSpan(file: file, start: 0, end: 0), help: ["start the file with `rulelang: 1`"])
                continue
            }
            guard let top = reader.mapping(root, "a rule file") else { continue }
            reader.checkKeys(top, allowed: topLevelKeys, context: "a rule file")
            readHeader(top, file: file, tenant: tenant, pack: &pack, reader: &reader,
                       tierFile: &tierFile, timezoneSeen: &timezoneSeen)
            readDeclarations(top, pack: &pack, reader: &reader)
            readRules(top, pack: &pack, reader: &reader)
            if let t = top["tests"] { pack.tests += readTests(t, reader: &reader) }
        }
        return (pack, reader.diagnostics)
    }

    private static func readHeader(_ top: YamlMapping, file: SourceFile, tenant: String, pack: inout Pack,
                                   reader: inout NodeReader, tierFile: inout SourceSpan?, timezoneSeen: inout Bool) {
        if let v = top["rulelang"] {
            if let s = reader.scalar(v, "`rulelang`"), s.value != "1" {
                reader.report(YamlCodes.version, "unsupported language version `\(s.value)`", at: s.span,
                              label: "this compiler reads version 1", help: ["write `rulelang: 1`"])
            }
        } else {
            reader.report(YamlCodes.version, "missing `rulelang: 1`", at: top.entries.first?.key.span ?? top.span,
                          label: "file starts here", help: ["add `rulelang: 1` at the top of the file"])
        }
        if let v = top["tenant"], let s = reader.scalar(v, "`tenant`"), s.value != tenant {
            reader.report(PackCodes.badTenant, "tenant `\(s.value)` does not match the folder `\(tenant)`", at: s.span,
                          label: "declared here",
                          help: [isValidTenant(tenant) ? "rename the folder or write `tenant: \(tenant)`"
                                                       : "rename the folder to the tenant id `\(s.value)`"])
        }
        if let v = top["timezone"], let s = reader.scalar(v, "`timezone`") {
            if !isKnownTimeZone(s.value) {
                reader.report(PackCodes.badTimezone, "unknown time zone `\(PackReader.shownZoneName(s.value))`", at: s.span, label: "not an IANA zone",
                              help: timeZoneHelp(s.value))
            } else if timezoneSeen && s.value != pack.timezone {
                reader.report(YamlCodes.invalidValue, "pack time zone set twice with different values", at: s.span,
                              label: "`\(pack.timezone)` elsewhere")
            } else {
                pack.timezone = s.value
                timezoneSeen = true
            }
        }
        if let v = top["tier"], let s = reader.scalar(v, "`tier`") {
            if let first = tierFile {
                reader.diagnostics.append(Diagnostic(PackCodes.tierTwice, "tier set in more than one file", at: s.span,
                                                     label: "set again here",
                                                     notes: [DiagnosticNote(span: first, label: "first set here")],
                                                     help: ["keep `tier:` in one file of the pack"]))
            } else if let t = Tier(rawValue: s.value) {
                pack.tier = t
                tierFile = s.span
            } else {
                reader.report(YamlCodes.invalidValue, "unknown tier `\(s.value)`", at: s.span, label: "not a tier",
                              help: didYouMean(s.value, in: Tier.allCases.map(\.rawValue)) + ["tiers are platinum, gold, silver and bronze"])
            }
        }
    }

    static func timeZoneHelp(_ name: String) -> [String] {
        let candidates = TimeZone.knownTimeZoneIdentifiers
        if let c = closest(to: name, in: candidates) { return ["did you mean `\(c)`?"] }
        return ["use an IANA zone name such as `UTC`, `Europe/Paris` or `America/New_York`"]
    }

    /// Reads every tenant pack under `path`: a folder of `*.yaml` files is one tenant; a folder of
    /// such folders is a rules root; a single file is a one-file pack of its folder's tenant.
    public static func discover(path: String) -> (packs: [(tenant: String, files: [String])], errors: [Diagnostic]) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            return ([], [Diagnostic(YamlCodes.io, "no such file or folder `\(path)`", at: nil, path: path)])
        }
        let standardized = URL(fileURLWithPath: path).standardizedFileURL
        if !isDir.boolValue {
            return ([(standardized.deletingLastPathComponent().lastPathComponent, [path])], [])
        }
        let entries = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
        let yaml = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        let join = { (a: String, b: String) in a.hasSuffix("/") ? a + b : a + "/" + b }
        if !yaml.isEmpty {
            return ([(standardized.lastPathComponent, yaml.map { join(path, $0) })], [])
        }
        var packs: [(String, [String])] = []
        for e in entries where !e.hasPrefix(".") {
            let sub = join(path, e)
            var d: ObjCBool = false
            guard fm.fileExists(atPath: sub, isDirectory: &d), d.boolValue else { continue }
            let files = ((try? fm.contentsOfDirectory(atPath: sub)) ?? []).sorted()
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            if !files.isEmpty { packs.append((e, files.map { join(sub, $0) })) }
        }
        if packs.isEmpty {
            return ([], [Diagnostic(PackCodes.noFiles, "no `*.yaml` or `*.yml` rule files under `\(path)`", at: nil,
                                    help: ["a pack is a folder `rules/<tenant>/` of `*.yaml` files"], path: path)])
        }
        return (packs, [])
    }

    /// Loads the files of one tenant from disk.
    public static func loadFiles(_ paths: [String]) -> ([SourceFile], [Diagnostic]) {
        var files: [SourceFile] = []
        var errors: [Diagnostic] = []
        for p in paths {
            if let attrs = try? FileManager.default.attributesOfItem(atPath: p),
               let size = attrs[.size] as? Int, size > YamlLoader.maxFileBytes {
                errors.append(Diagnostic(YamlCodes.tooLarge, "file is \(size) bytes, over the limit of \(YamlLoader.maxFileBytes) bytes (10 MiB)",
                                         at: nil, help: ["split the pack into several files"], path: p))
                continue
            }
            guard let data = FileManager.default.contents(atPath: p) else {
                errors.append(Diagnostic(YamlCodes.io, "cannot read `\(p)`", at: nil, path: p))
                continue
            }
            files.append(SourceFile(path: p, bytes: [UInt8](data)))
        }
        return (files, errors)
    }
}

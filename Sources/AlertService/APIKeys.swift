import Crypto
import Foundation
import ServiceStore

/// Who is calling: a tenant's key or an admin key, named by a short prefix of its hash (what
/// logs and the audit trail show; never the key).
public struct Caller: Sendable, Equatable {
    /// The tenant the key belongs to; nil for an admin key.
    public let tenant: TenantID?
    public let admin: Bool
    /// `key:` and the first 12 hex digits of the key's SHA-256.
    public let actor: String
}

/// One line of the keys file: a key's SHA-256 and what it may do.
public struct KeyEntry: Sendable, Equatable {
    /// SHA-256 of the key, 32 bytes.
    public let hash: [UInt8]
    public let tenant: TenantID?
    public let admin: Bool

    /// As the keys file writes it: `<sha256 hex> tenant <T>` or `<sha256 hex> admin`.
    public var line: String { hex(hash) + (admin ? " admin" : " tenant \(tenant?.name ?? "")") }
}

/// The keys file: one key per line, `<sha256 hex> tenant <name>` or `<sha256 hex> admin`;
/// blank lines and `#` comments are skipped. Only hashes are kept: a key is shown once, when
/// `rulec keys new` makes it.
public struct APIKeys: Sendable {
    public let entries: [KeyEntry]

    public init(entries: [KeyEntry]) { self.entries = entries }

    /// The keys in `path` (none when the file is missing); a malformed line is an error naming
    /// the file and the line.
    public static func load(_ path: String) throws -> APIKeys {
        guard FileManager.default.fileExists(atPath: path) else { return APIKeys(entries: []) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw KeyError("cannot read the keys file `\(path)`") }
        var entries: [KeyEntry] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let hash = unhex(parts[0]), hash.count == 32 else {
                throw KeyError("`\(path)` line \(i + 1): expected a SHA-256 in hex (64 digits) first")
            }
            if parts.count == 2 && parts[1] == "admin" {
                entries.append(KeyEntry(hash: hash, tenant: nil, admin: true))
            } else if parts.count == 3 && parts[1] == "tenant" && !parts[2].isEmpty {
                entries.append(KeyEntry(hash: hash, tenant: TenantID(parts[2]), admin: false))
            } else {
                throw KeyError("`\(path)` line \(i + 1): expected `<sha256> tenant <name>` or `<sha256> admin`")
            }
        }
        return APIKeys(entries: entries)
    }

    /// A new random key (32 bytes from the system's secure generator, base64url, `rlk_` first)
    /// and its entry.
    public static func generate(tenant: TenantID?, admin: Bool) -> (key: String, entry: KeyEntry) {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let key = "rlk_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (key, KeyEntry(hash: Array(SHA256.hash(data: Array(key.utf8))), tenant: tenant, admin: admin))
    }

    /// Appends `entry` to the keys file at `path`, creating it (mode 0600) and its folder if missing.
    public static func append(_ entry: KeyEntry, to path: String) throws {
        let fm = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: Data("# rulelang API keys: SHA-256 of each key, and its tenant (or admin)\n".utf8),
                                attributes: [.posixPermissions: 0o600]) else {
                throw KeyError("cannot create the keys file `\(path)`")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw KeyError("cannot write the keys file `\(path)`") }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data((entry.line + "\n").utf8))
    }

    /// The caller a presented key identifies, or nil. The key's hash is compared with every
    /// entry's in constant time, and every entry is compared (no early exit), so the time taken
    /// tells nothing of which bytes or which entry matched.
    public func caller(for key: String) -> Caller? {
        let presented = Array(SHA256.hash(data: Array(key.utf8)))
        var found: KeyEntry?
        for e in entries {
            var diff: UInt8 = 0
            for i in 0..<32 { diff |= e.hash[i] ^ presented[i] }
            if diff == 0 && found == nil { found = e }
        }
        guard let found else { return nil }
        return Caller(tenant: found.tenant, admin: found.admin, actor: "key:" + String(hex(found.hash).prefix(12)))
    }
}

/// A problem with the keys file.
public struct KeyError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func unhex(_ s: String) -> [UInt8]? {
    let u = Array(s.utf8)
    guard u.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(u.count / 2)
    var i = 0
    while i < u.count {
        guard let hi = hexDigit(u[i]), let lo = hexDigit(u[i + 1]) else { return nil }
        out.append(hi << 4 | lo)
        i += 2
    }
    return out
}

private func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}

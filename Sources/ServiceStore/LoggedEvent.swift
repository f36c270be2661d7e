import AlertEngine
import Foundation
import RuleRuntime
import RuleVM

/// An event as the tenant's log keeps it: `EngineEvent` with the pack named by its stored
/// version (the log never holds a pack) and a silence by its text and compiled program. Replay
/// turns each back into the engine event it was.
public enum LoggedEvent: Sendable {
    case alert(AlertInput)
    /// Acknowledge, resolve or escalate the open alert of this fingerprint.
    case acknowledge(fingerprint: String)
    case resolve(fingerprint: String)
    case escalate(fingerprint: String)
    case timersDue
    /// The pack of this stored version comes into force: the first one creates the engine.
    case pack(version: Int)
    case silenceAdded(id: String, expression: String, program: Data, expiresAt: Int64)
    case silenceRemoved(id: String)

    /// The format `encoded()` writes; `decode` reads this one only.
    public static let format = 1

    /// Its kind as the log names it.
    public var kind: String {
        switch self {
        case .alert: "alert"
        case .acknowledge: "acknowledge"
        case .resolve: "resolve"
        case .escalate: "escalate"
        case .timersDue: "timers_due"
        case .pack: "pack"
        case .silenceAdded: "silence_added"
        case .silenceRemoved: "silence_removed"
        }
    }

    /// The engine event it stands for, given the packs by version and silences' programs.
    /// Throws `StoreError.corrupt` when a program does not load, `.missingPack` when a version
    /// is not stored.
    public func engineEvent(pack: (Int) throws -> RuntimePack) throws -> EngineEvent {
        switch self {
        case .alert(let a): return .alert(a)
        case .acknowledge(let f): return .acknowledge(f)
        case .resolve(let f): return .resolve(f)
        case .escalate(let f): return .escalate(f)
        case .timersDue: return .timersDue
        case .pack(let v): return .packSwapped(try pack(v))
        case .silenceAdded(let id, let expression, let program, let expiresAt):
            switch CompiledSilence.load(id: id, expression: expression, bytes: program) {
            case .success(let s): return .silenceAdded(s, expiresAt: expiresAt)
            case .failure(let e): throw StoreError.corrupt("silence `\(id)` in the log does not load: \(e)")
            }
        case .silenceRemoved(let id): return .silenceRemoved(id: id)
        }
    }

    /// The event as bytes: JSON with sorted keys, `{"v": 1, "kind": …, …}`.
    public func encoded() -> Data {
        var w = Wire(v: Self.format, kind: kind)
        switch self {
        case .alert(let a):
            w.labels = a.labels
            w.annotations = a.annotations.isEmpty ? nil : a.annotations
            w.severity = Int(a.severity)
            w.value = a.value
            w.startsAt = a.startsAt
            w.endsAt = a.endsAt
            w.source = a.source
            w.fingerprint = a.fingerprint.isEmpty ? nil : a.fingerprint
            w.tenant = a.tenant
            w.tier = a.tier
        case .acknowledge(let f), .resolve(let f), .escalate(let f): w.fingerprint = f
        case .timersDue: break
        case .pack(let v): w.version = v
        case .silenceAdded(let id, let expression, let program, let expiresAt):
            w.id = id
            w.expression = expression
            w.program = program
            w.expiresAt = expiresAt
        case .silenceRemoved(let id): w.id = id
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Every field is a string, number or bytes: encoding cannot fail.
        return (try? encoder.encode(w)) ?? Data()
    }

    /// The event `data` holds; `StoreError.corrupt` names what is wrong.
    public static func decode(_ data: Data) throws -> LoggedEvent {
        let w: Wire
        do { w = try JSONDecoder().decode(Wire.self, from: data) } catch {
            throw StoreError.corrupt("an event in the log is not readable: \(error)")
        }
        guard w.v == format else { throw StoreError.corrupt("an event of format \(w.v) in the log; this build reads format \(format)") }
        func need<T>(_ x: T?, _ field: String) throws -> T {
            guard let x else { throw StoreError.corrupt("a logged `\(w.kind)` event without `\(field)`") }
            return x
        }
        switch w.kind {
        case "alert":
            var a = AlertInput(labels: try need(w.labels, "labels"), annotations: w.annotations ?? [:],
                               severity: UInt8(clamping: try need(w.severity, "severity")), value: w.value,
                               startsAt: w.startsAt ?? 0, source: w.source, fingerprint: w.fingerprint ?? "",
                               tenant: w.tenant ?? "", tier: w.tier ?? "silver")
            a.endsAt = w.endsAt
            return .alert(a)
        case "acknowledge": return .acknowledge(fingerprint: try need(w.fingerprint, "fingerprint"))
        case "resolve": return .resolve(fingerprint: try need(w.fingerprint, "fingerprint"))
        case "escalate": return .escalate(fingerprint: try need(w.fingerprint, "fingerprint"))
        case "timers_due": return .timersDue
        case "pack": return .pack(version: try need(w.version, "version"))
        case "silence_added":
            return .silenceAdded(id: try need(w.id, "id"), expression: try need(w.expression, "expression"),
                                 program: try need(w.program, "program"), expiresAt: try need(w.expiresAt, "expires_at"))
        case "silence_removed": return .silenceRemoved(id: try need(w.id, "id"))
        default: throw StoreError.corrupt("an event of unknown kind `\(w.kind)` in the log")
        }
    }

    /// The encoded form: one flat record, the fields each kind needs.
    private struct Wire: Codable {
        var v: Int
        var kind: String
        var labels: [String: String]?
        var annotations: [String: String]?
        var severity: Int?
        var value: Double?
        var startsAt: Int64?
        var endsAt: Int64?
        var source: String?
        var fingerprint: String?
        var tenant: String?
        var tier: String?
        var version: Int?
        var id: String?
        var expression: String?
        var program: Data?
        var expiresAt: Int64?

        init(v: Int, kind: String) {
            self.v = v
            self.kind = kind
        }

        enum CodingKeys: String, CodingKey {
            case v, kind, labels, annotations, severity, value, source, fingerprint, tenant, tier, version, id, expression, program
            case startsAt = "starts_at", endsAt = "ends_at", expiresAt = "expires_at"
        }
    }
}

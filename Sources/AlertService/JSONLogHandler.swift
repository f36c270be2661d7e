import Foundation
import Logging

/// swift-log's handler for the service: one JSON object per line on standard error
/// (`{"ts", "level", "label", "msg", …metadata}`). Callers never put a key or a secret in a
/// message or metadata; this handler writes what it is given.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let sink: LogSink

    /// A handler for `label` writing to `sink` (standard error by default).
    public init(label: String, sink: LogSink = .standardError) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        var object: JSONObject = [
            "ts": .string(Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            "level": .string(level.rawValue), "label": .string(label), "msg": .string(message.description),
        ]
        for (k, v) in metadata.merging(extra ?? [:], uniquingKeysWith: { _, b in b }) { object[k] = Self.json(v) }
        var line = JSONOut.render(object)
        line.append(UInt8(ascii: "\n"))
        sink.write(line)
    }

    static func json(_ v: Logger.Metadata.Value) -> JSONOut {
        switch v {
        case .string(let s): .string(s)
        case .stringConvertible(let s): .string(s.description)
        case .array(let a): .array(a.map(json))
        case .dictionary(let d): .object(d.mapValues(json))
        }
    }
}

/// Where log lines go: standard error, or a buffer (tests).
public final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle?
    private var buffer = Data()

    init(handle: FileHandle?) { self.handle = handle }

    /// Standard error.
    public static let standardError = LogSink(handle: .standardError)

    /// A sink that keeps the lines in memory.
    public static func memory() -> LogSink { LogSink(handle: nil) }

    func write(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        if let handle { handle.write(data) } else { buffer.append(data) }
    }

    /// The lines written so far (memory sinks).
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffer, as: UTF8.self)
    }
}

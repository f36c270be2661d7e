import RuleRuntime
import Foundation

/// Snapshots: the engine state as bytes (JSON) for the service to persist, and back. The
/// restored state is equal to the saved one (dictionaries may list their entries in another
/// order, so equal states need not give equal bytes). A snapshot names its format; an engine
/// restores only the format it writes.
extension Engine {
    /// The format `snapshot()` writes and `restore(_:)` reads; a change to what the state holds
    /// or how it encodes is a new number. Format 2: runtime silences carry their program; group
    /// keys are structured (`GroupKey`) and rules are named by number (`RuleID`).
    public static let snapshotFormat = 2

    /// The state as JSON: `{"format": N, "state": {…}}`.
    public func snapshot() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Snapshot(format: Self.snapshotFormat, state: state))
    }

    /// Replaces the state with the one `data` holds; throws `SnapshotError.unknownFormat` for
    /// a snapshot of another format (its state is not read), and the decoder's error for bytes
    /// that are not a snapshot.
    public mutating func restore(_ data: Data) throws {
        let decoder = JSONDecoder()
        let format = try decoder.decode(SnapshotHeader.self, from: data).format
        guard format == Self.snapshotFormat else { throw SnapshotError.unknownFormat(format, supported: Self.snapshotFormat) }
        state = try decoder.decode(Snapshot.self, from: data).state
        silenceVMs = [:]
        vm.bindTag = nil
        evaluator.vm.bindTag = nil
    }
}

/// Why a snapshot could not be restored.
public enum SnapshotError: Error, Equatable, CustomStringConvertible {
    /// The snapshot's format (nil: it names none) is not the one this engine reads.
    case unknownFormat(Int?, supported: Int)

    public var description: String {
        switch self {
        case .unknownFormat(let found, let supported):
            "engine snapshot of format \(found.map(String.init) ?? "(none)"), but this engine reads format \(supported) only"
        }
    }
}

/// A snapshot as it is written.
private struct Snapshot: Codable {
    let format: Int
    let state: EngineState
}

/// A snapshot's format alone, read before its state.
private struct SnapshotHeader: Decodable {
    let format: Int?
}

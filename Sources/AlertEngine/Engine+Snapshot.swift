import Foundation

/// Snapshots: the engine state as bytes (JSON) for the service to persist, and back. The
/// restored state is equal to the saved one (dictionaries may list their entries in another
/// order, so equal states need not give equal bytes).
extension Engine {
    public func snapshot() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(state)
    }

    public mutating func restore(_ data: Data) throws {
        state = try JSONDecoder().decode(EngineState.self, from: data)
    }
}

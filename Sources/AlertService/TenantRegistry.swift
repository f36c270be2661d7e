import Foundation
import ServiceStore

/// The service's tenants: each one's engine, and the packs refused at the last load.
final class TenantRegistry: @unchecked Sendable {
    // Guards the fields below: read on every request, written at start and reload.
    private let lock = NSLock()
    private var engines: [TenantID: TenantEngine] = [:]
    private var refusals: [TenantID: RefusedPack] = [:]
    private var isReady = false

    func engine(_ tenant: TenantID) -> TenantEngine? {
        lock.withLock { engines[tenant] }
    }

    var all: [TenantEngine] { lock.withLock { engines.keys.sorted().compactMap { engines[$0] } } }

    func add(_ engine: TenantEngine) { lock.withLock { engines[engine.tenant] = engine } }

    func refused(_ tenant: TenantID) -> RefusedPack? { lock.withLock { refusals[tenant] } }

    func setRefused(_ tenant: TenantID, _ r: RefusedPack?) { lock.withLock { refusals[tenant] = r } }

    /// Whether the store is open and every loadable pack loaded (`/readyz`).
    var ready: Bool {
        get { lock.withLock { isReady } }
        set { lock.withLock { isReady = newValue } }
    }
}

/// The engine's alerts by id: ids are handed out in increasing order, so an alert is a slot of
/// an array (`id - base`) — no hashing on the many look-ups per event, and one slot of memory per
/// alert instead of a hash table's spare capacity. Forgotten alerts at the front are dropped
/// (`base` moves up), so the table holds the open alerts and the recent past. Reads like the
/// `[Int: EngineAlert]` it replaces, and is encoded in snapshots as the same JSON object.
public struct AlertTable: Sendable, Equatable {
    private var slots = ChunkedArray<EngineAlert?>()
    /// The id of `slots[0]`.
    private var base = 1
    /// How many slots at the front are known to be empty.
    private var leading = 0
    public private(set) var count = 0

    public init() {}

    public subscript(id: Int) -> EngineAlert? {
        get {
            let i = id - base
            return i >= 0 && i < slots.count ? slots[i] : nil
        }
        _modify {
            if slots.isEmpty { base = min(base, id) }
            if id < base {
                // A dropped (forgotten) id: there is nothing to change, and nothing new is stored
                // there (ids only grow).
                var none: EngineAlert? = nil
                yield &none
                precondition(none == nil, "alert \(id) is below the table's first id \(base)")
                return
            }
            let i = id - base
            while i >= slots.count { slots.append(nil) }
            let had = Self.holds(slots[i])
            yield &slots[i]
            let has = Self.holds(slots[i])
            count += (has ? 1 : 0) - (had ? 1 : 0)
            guard had, !has, i == leading else { return }
            // The slot right after the empty front emptied: the empty front grows, and its whole
            // chunks are dropped.
            while leading < slots.count && !Self.holds(slots[leading]) { leading += 1 }
            let chunks = leading / ChunkedArray<EngineAlert?>.chunkSize
            if chunks > 0 {
                slots.removeFirstChunks(chunks)
                base += chunks * ChunkedArray<EngineAlert?>.chunkSize
                leading -= chunks * ChunkedArray<EngineAlert?>.chunkSize
            }
        }
    }

    /// Stores a new alert in its slot, as `self[alert.id] = alert` does, without the subscript's
    /// coroutine (whose frame is allocated on the heap on every call).
    mutating func insert(_ alert: consuming EngineAlert) {
        let id = alert.id
        if slots.isEmpty { base = min(base, id) }
        precondition(id >= base, "alert \(id) is below the table's first id \(base)")
        let i = id - base
        while i >= slots.count { slots.append(nil) }
        // (A slot already held — a restored state whose next id lags its alerts — is replaced,
        // as the subscript would.)
        if !Self.holds(slots[i]) { count += 1 }
        // Moved in (a plain assignment copied it: every field retained, then released).
        slots[i] = consume alert
    }

    /// The array index of alert `id`'s slot, when the table has one.
    private func slot(_ id: Int) -> Int? {
        let i = id - base
        return i >= 0 && i < slots.count ? i : nil
    }

    // Read and update in place: none of these copies the alert.

    /// The status of alert `id`, nil when the table does not hold it.
    public func status(of id: Int) -> AlertStatus? { slot(id).flatMap { slots[$0]?.status } }

    /// Runs `body` on alert `id` in place; nil when the table does not hold it.
    mutating func update<T>(_ id: Int, _ body: (inout EngineAlert) -> T) -> T? {
        guard let i = slot(id), Self.holds(slots[i]) else { return nil }
        return body(&slots[i]!)
    }

    /// The `alertname` of alert `id` ("" without one).
    func alertname(of id: Int) -> String { slot(id).flatMap { slots[$0]?.alertname } ?? "" }

    /// The labels of alert `id`, nil when the table does not hold it.
    func labels(of id: Int) -> LabelSet? { slot(id).flatMap { slots[$0]?.labels } }

    /// The group that derived alert `id` (`EngineAlert.derivedGroup`).
    func derivedGroup(of id: Int) -> GroupKey? { slot(id).flatMap { slots[$0]?.derivedGroup } }

    /// Whether alert `id` is named `name` (its `alertname`) or has that fingerprint.
    func isNamed(_ id: Int, _ name: String) -> Bool {
        guard let i = slot(id), Self.holds(slots[i]) else { return false }
        return alertname(of: id) == name || slots[i]?.fingerprint == name
    }

    /// Whether a slot holds an alert, without copying it (`!= nil` copied the whole alert).
    @inline(__always)
    static func holds(_ slot: borrowing EngineAlert?) -> Bool {
        switch slot {
        case .some: true
        case .none: false
        }
    }

    public var isEmpty: Bool { count == 0 }
    /// Slots held, empty ones included (what the table costs).
    public var capacity: Int { slots.count }
    /// The alerts in id order.
    public var values: [EngineAlert] { slots.elements.compactMap { $0 } }
    public var keys: [Int] { values.map(\.id) }

    public var dictionary: [Int: EngineAlert] { Dictionary(uniqueKeysWithValues: values.map { ($0.id, $0) }) }

    public static func == (a: AlertTable, b: AlertTable) -> Bool { a.count == b.count && a.values == b.values }
}

extension AlertTable: Codable {
    public init(from decoder: Decoder) throws {
        self.init()
        let alerts = try [Int: EngineAlert](from: decoder).sorted(by: { $0.key < $1.key })
        // A restored table starts at its oldest alert.
        if let first = alerts.first { base = first.key }
        for (id, var alert) in alerts {
            alert.alertname = alert.labels["alertname"] ?? ""
            self[id] = alert
        }
    }

    public func encode(to encoder: Encoder) throws { try dictionary.encode(to: encoder) }
}

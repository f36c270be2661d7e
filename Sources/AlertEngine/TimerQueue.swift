/// One structure for every deadline of the engine (group flushes, escalation levels): a binary
/// min-heap ordered by (due time, insertion order), so timers due at the same instant fire in the
/// order they were set. Cancellation is lazy: the owner keeps the token of its live timer and
/// ignores a popped timer whose token is stale.
public struct TimerQueue<Payload: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    public struct Timer: Sendable, Codable, Equatable {
        public let due: Int64
        public let sequence: UInt64
        public let payload: Payload
    }

    private var heap: [Timer] = []
    private var nextSequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var nextDue: Int64? { heap.first?.due }

    /// Adds a timer; returns its sequence number (a token for lazy cancellation).
    @discardableResult
    public mutating func schedule(_ payload: Payload, at due: Int64) -> UInt64 {
        let t = Timer(due: due, sequence: nextSequence, payload: payload)
        nextSequence += 1
        heap.append(t)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
        return t.sequence
    }

    /// The earliest timer due at or before `now`, removed.
    public mutating func popDue(_ now: Int64) -> Timer? {
        guard let first = heap.first, first.due <= now else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, Self.before(heap[l], heap[m]) { m = l }
                if r < heap.count, Self.before(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return first
    }

    private static func before(_ a: Timer, _ b: Timer) -> Bool {
        a.due != b.due ? a.due < b.due : a.sequence < b.sequence
    }
}

/// One structure for every deadline of the engine (group flushes, escalation steps, SLA
/// deadlines, correlation windows, heartbeats): a binary min-heap ordered by (due time,
/// insertion order), so timers due at the same instant fire in the order they were set. The heap
/// holds small plain entries; payloads sit in a slot array reused through a free list.
/// A timer due at `Int64.max` (a deadline that saturated past the end of time) never fires.
/// Cancellation is lazy: the owner keeps the token (sequence) of its live timer and ignores a
/// popped timer whose token is stale.
public struct TimerQueue: Sendable, Codable, Equatable {
    public struct Timer: Sendable, Codable, Equatable {
        public let due: Int64
        public let sequence: UInt64
        public let payload: EngineTimer
    }

    struct Entry: Sendable, Codable, Equatable {
        let due: Int64
        let sequence: UInt64
        let slot: Int32
    }

    private var heap: [Entry] = []
    private var payloads: [EngineTimer?] = []
    private var free: [Int32] = []
    private var nextSequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var nextDue: Int64? { heap.first?.due }

    /// A sequence number for a timer scheduled later (`schedule(_:at:sequence:)`): it fires in
    /// the order it would have, had it been scheduled now.
    public mutating func reserveSequence() -> UInt64 {
        defer { nextSequence += 1 }
        return nextSequence
    }

    /// Adds a timer; returns its sequence number (a token for lazy cancellation): a new one, or
    /// `sequence` reserved before.
    @discardableResult
    public mutating func schedule(_ payload: EngineTimer, at due: Int64, sequence reserved: UInt64? = nil) -> UInt64 {
        let slot: Int32
        if let f = free.popLast() {
            slot = f
            payloads[Int(f)] = payload
        } else {
            slot = Int32(payloads.count)
            payloads.append(payload)
        }
        let e = Entry(due: due, sequence: reserved ?? nextSequence, slot: slot)
        if reserved == nil { nextSequence += 1 }
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(e, heap[parent]) else { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = e
        return e.sequence
    }

    /// Replaces each timer's payload with `body`'s (nil: the timer goes), keeping its due time
    /// and order (a pack swap renumbers the keys the timers carry).
    mutating func rewrite(_ body: (EngineTimer) -> EngineTimer?) {
        var kept: [Entry] = []
        for e in heap {
            if let payload = body(payloads[Int(e.slot)]!) {
                payloads[Int(e.slot)] = payload
                kept.append(e)
            } else {
                payloads[Int(e.slot)] = nil
                free.append(e.slot)
            }
        }
        // A sorted array is a heap.
        heap = kept.sorted(by: Self.before)
    }

    /// The earliest timer due at or before `now`, removed; never one due at `Int64.max`.
    public mutating func popDue(_ now: Int64) -> Timer? {
        guard let first = heap.first, first.due <= now, first.due < .max else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            var i = 0
            let n = heap.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = l
                guard l < n else { break }
                if r < n, Self.before(heap[r], heap[l]) { m = r }
                guard Self.before(heap[m], last) else { break }
                heap[i] = heap[m]
                i = m
            }
            heap[i] = last
        }
        let payload = payloads[Int(first.slot)]!
        payloads[Int(first.slot)] = nil
        free.append(first.slot)
        return Timer(due: first.due, sequence: first.sequence, payload: payload)
    }

    @inline(__always)
    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.due != b.due ? a.due < b.due : a.sequence < b.sequence
    }
}

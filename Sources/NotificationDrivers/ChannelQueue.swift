/// One channel's queue behind its rate limit: messages wait in order while the bucket is empty,
/// and what waits is merged per group (`Backlog.merge`) before anything is sent, so a burst
/// reaches the channel as few messages as its groups, none dropped. Pure: the caller's clock.
public struct ChannelQueue: Sendable {
    /// nil: no limit (everything queued is due at once).
    public private(set) var bucket: TokenBucket?
    /// The messages waiting, oldest first (merged per group).
    public private(set) var waiting: [OutgoingMessage] = []

    public init(bucket: TokenBucket?) {
        self.bucket = bucket
    }

    public mutating func enqueue(_ message: OutgoingMessage) {
        waiting.append(message)
    }

    /// The messages to send at `now`, as many as the bucket allows, and when to ask again
    /// (nil: nothing waits).
    public mutating func due(now: Int64) -> (send: [OutgoingMessage], next: Int64?) {
        waiting = Backlog.merge(waiting)
        var send: [OutgoingMessage] = []
        while !waiting.isEmpty {
            let wait = bucket?.take(now: now) ?? 0
            guard wait == 0 else { return (send, now + wait) }
            send.append(waiting.removeFirst())
        }
        return (send, nil)
    }
}

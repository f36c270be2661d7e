import Foundation

/// Group commit: events' writes are enqueued in order (synchronously, so a tenant's engine
/// enqueues them in the order it handled them), and one writer task commits everything queued
/// in one transaction; each caller then awaits its own commit before answering. Under load a
/// transaction carries many events, so the cost of a durable commit is shared.
public final class GroupCommitter: @unchecked Sendable {
    /// A place in the queue, to wait on.
    public struct Ticket: Sendable, Hashable {
        let number: Int
    }

    let backend: any StoreBackend
    // Guards everything below. (A lock, not an actor: `enqueue` must be synchronous.)
    private let lock = NSLock()
    private var pending: [(Int, EventWrite)] = []
    private var next = 0
    private var writing = false
    private var results: [Int: Result<Void, any Error>] = [:]
    private var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    /// How many transactions were committed, and how many events they carried.
    public private(set) var transactions = 0
    public private(set) var committedEvents = 0

    /// A committer writing to `backend`.
    public init(backend: any StoreBackend) {
        self.backend = backend
    }

    /// Queues `write` after everything queued before it; the writer task commits it soon.
    public func enqueue(_ write: EventWrite) -> Ticket {
        let (n, start) = lock.withLock {
            let n = next
            next += 1
            pending.append((n, write))
            let start = !writing
            writing = true
            return (n, start)
        }
        if start { Task.detached { await self.drain() } }
        return Ticket(number: n)
    }

    /// Returns once the write of `ticket` is committed; throws the commit's error if it failed.
    public func wait(_ ticket: Ticket) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let ready: Result<Void, any Error>? = lock.withLock {
                if let r = results.removeValue(forKey: ticket.number) { return r }
                waiters[ticket.number] = c
                return nil
            }
            if let ready { c.resume(with: ready) }
        }
    }

    /// `enqueue` then `wait`.
    public func commit(_ write: EventWrite) async throws {
        try await wait(enqueue(write))
    }

    /// The writer: takes everything queued, commits it in one transaction, reports to each
    /// waiter, until the queue is empty.
    private func drain() async {
        while let batch = takeBatch() {
            let result: Result<Void, any Error>
            do {
                try await backend.commit(batch.map(\.1))
                result = .success(())
            } catch {
                result = .failure(error)
            }
            for c in finish(batch.map(\.0), result) { c.resume(with: result) }
        }
    }

    /// Everything queued, or nil (and the writer stops) when nothing is.
    private func takeBatch() -> [(Int, EventWrite)]? {
        lock.withLock {
            let batch = pending
            pending = []
            if batch.isEmpty { writing = false }
            return batch.isEmpty ? nil : batch
        }
    }

    /// Records the outcome of tickets `numbers`; returns the waiters to resume.
    private func finish(_ numbers: [Int], _ result: Result<Void, any Error>) -> [CheckedContinuation<Void, any Error>] {
        lock.withLock {
            if case .success = result {
                transactions += 1
                committedEvents += numbers.count
            }
            var resume: [CheckedContinuation<Void, any Error>] = []
            for n in numbers {
                if let c = waiters.removeValue(forKey: n) { resume.append(c) } else { results[n] = result }
            }
            return resume
        }
    }
}

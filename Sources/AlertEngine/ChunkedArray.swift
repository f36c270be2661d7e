/// An array kept in chunks of a fixed size: appending never moves what is already there (a
/// plain array doubling copies every element, and an alert is a large struct) and never holds
/// twice the room it needs; whole chunks drop off the front. Reads borrow in place.
struct ChunkedArray<Element> {
    static var chunkBits: Int { 10 }
    static var chunkSize: Int { 1 << chunkBits }

    private var chunks: [ContiguousArray<Element>] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    subscript(i: Int) -> Element {
        _read { yield chunks[i >> Self.chunkBits][i & (Self.chunkSize - 1)] }
        _modify { yield &chunks[i >> Self.chunkBits][i & (Self.chunkSize - 1)] }
    }

    mutating func append(_ element: Element) {
        if count & (Self.chunkSize - 1) == 0 {
            var chunk = ContiguousArray<Element>()
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(element)
        count += 1
    }

    /// Drops the first `n` chunks (`n * chunkSize` elements).
    mutating func removeFirstChunks(_ n: Int) {
        chunks.removeFirst(n)
        count -= n * Self.chunkSize
    }

    /// Every element, in order.
    var elements: FlattenSequence<[ContiguousArray<Element>]> { chunks.joined() }
}

extension ChunkedArray: Sendable where Element: Sendable {}

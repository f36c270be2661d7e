/// One file of source text, kept as UTF-8 bytes. Line and column are computed only when
/// rendering a diagnostic; everything else carries byte offsets (`SourceSpan`).
public final class SourceFile: Sendable {
    /// The path as the user named it (shown in diagnostics).
    public let path: String
    /// The file's bytes, exactly as read.
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    let lineStarts: [Int]
    /// Unicode scalars before byte `k * ScalarCounts.stride`, for every `k`; empty when every
    /// byte is ASCII (a scalar's index is then its byte offset). Columns and libyaml's marks
    /// count scalars, and this keeps both conversions constant-time however long a line is.
    let scalarCounts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        var ascii = true
        bytes.withUnsafeBufferPointer { buf in
            for i in 0..<buf.count {
                let b = buf[i]
                if b == UInt8(ascii: "\n") { starts.append(i + 1) } else if b >= 0x80 { ascii = false }
            }
        }
        self.lineStarts = starts
        self.scalarCounts = ascii ? [] : ScalarCounts.table(bytes)
    }

    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// 0-based line index containing byte `offset`.
    func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// 1-based line and column (in Unicode scalars) of byte `offset`.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        let line = lineIndex(of: clamped)
        return (line + 1, scalarIndex(of: clamped) - scalarIndex(of: lineStarts[line]) + 1)
    }

    /// Byte range of 0-based line `index`, without its line break.
    func lineRange(_ index: Int) -> Range<Int> {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<end
    }

    /// Text of 0-based line `index`.
    func lineText(_ index: Int) -> String {
        String(decoding: bytes[lineRange(index)], as: UTF8.self)
    }

    var lineCount: Int { lineStarts.count }

    /// Number of Unicode scalars that start before byte `offset` (which is clamped to the file).
    func scalarIndex(of offset: Int) -> Int {
        let o = max(0, min(offset, bytes.count))
        guard !scalarCounts.isEmpty else { return o }
        let block = o / ScalarCounts.stride
        var n = scalarCounts[block]
        for i in (block * ScalarCounts.stride)..<o where bytes[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Byte offset where the Unicode scalar of 0-based index `index` starts (the end of the
    /// file past the last one).
    func offset(ofScalar index: Int) -> Int {
        guard index > 0 else { return 0 }
        guard !scalarCounts.isEmpty else { return min(index, bytes.count) }
        // The last block that starts at or before the scalar, then a walk of at most one block.
        var lo = 0, hi = scalarCounts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if scalarCounts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        var i = lo * ScalarCounts.stride, n = scalarCounts[lo]
        while i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 {
                if n == index { return i }
                n += 1
            }
            i += 1
        }
        return bytes.count
    }
}

/// The table behind `SourceFile.scalarCounts`.
enum ScalarCounts {
    /// Bytes per table entry: a look-up walks at most this many bytes.
    static let stride = 64

    /// Scalars before each multiple of `stride` (UTF-8 continuation bytes do not start one).
    static func table(_ bytes: [UInt8]) -> [Int] {
        var table: [Int] = []
        table.reserveCapacity(bytes.count / stride + 1)
        var n = 0
        bytes.withUnsafeBufferPointer { buf in
            for i in 0..<buf.count {
                if i % stride == 0 { table.append(n) }
                if buf[i] & 0xC0 != 0x80 { n += 1 }
            }
        }
        if bytes.count % stride == 0 { table.append(n) }
        return table
    }
}

/// A byte range in one source file. The file travels with the span so any phase, down to
/// a VM runtime error, can render an excerpt.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    public static func == (a: SourceSpan, b: SourceSpan) -> Bool {
        a.file === b.file && a.start == b.start && a.end == b.end
    }

    public func hash(into h: inout Hasher) {
        h.combine(ObjectIdentifier(file)); h.combine(start); h.combine(end)
    }

    /// One byte at `offset`, enough for a caret; at or past the end of the file, the empty span
    /// at its end (a problem found at the end of input, such as an unclosed mapping).
    public static func point(_ file: SourceFile, at offset: Int) -> SourceSpan {
        let at = max(0, min(offset, file.bytes.count))
        return SourceSpan(file: file, start: at, end: min(at + 1, file.bytes.count))
    }

    /// The smallest span covering both.
    public func merged(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String {
        let l = file.location(of: start)
        return "\(file.path):\(l.line):\(l.column)"
    }
}

/// One file of source text, kept as UTF-8 bytes. Line and column are computed only when
/// rendering a diagnostic; everything else carries byte offsets (`SourceSpan`).
public final class SourceFile: Sendable {
    /// The path as the user named it (shown in diagnostics).
    public let path: String
    /// The file's bytes, exactly as read.
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
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
        var column = 1
        var i = lineStarts[line]
        while i < clamped {
            // Count scalars: skip UTF-8 continuation bytes.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line + 1, column)
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

    /// Byte offset of a 0-based line and 0-based scalar column (libyaml's marks).
    func offset(line: Int, scalarColumn: Int) -> Int {
        guard line < lineStarts.count else { return bytes.count }
        var i = lineStarts[line]
        var col = 0
        while col < scalarColumn, i < bytes.count {
            i += 1
            while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
            col += 1
        }
        return i
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

    /// The smallest span covering both.
    public func merged(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String {
        let l = file.location(of: start)
        return "\(file.path):\(l.line):\(l.column)"
    }
}

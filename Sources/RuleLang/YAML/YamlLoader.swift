import CYaml

/// Reads one YAML file into a `YamlNode` tree on libyaml's event API, keeping exact positions.
/// Rejects what a rule file must never hold: invalid UTF-8, files over the size limit,
/// anchors and aliases, duplicate keys, more than one document, collections nested deeper
/// than `maxDepth`.
public enum YamlLoader {
    /// Files larger than this are refused before parsing.
    public static let maxFileBytes = 10 * 1024 * 1024
    /// Sequences and mappings nested deeper than this are refused (E0013) where the first one
    /// too deep starts. Every walk over the node tree, and its release, recurses once per level,
    /// so the limit is what bounds them; a pack needs a dozen levels, a route tree 60 deep 121.
    public static let maxDepth = 128
    /// Anchors, aliases and tags reported per file: past it (an alias bomb, say) more are still
    /// refused, in silence, so a hostile file's diagnostics stay in proportion to the limit.
    public static let maxRefusedReports = 100

    /// Parses `file`; the node is nil for an empty file or when the file could not be read.
    public static func load(_ file: SourceFile) -> (YamlNode?, [Diagnostic]) {
        if file.bytes.count > maxFileBytes {
            return (nil, [Diagnostic(YamlCodes.tooLarge,
                                     "file is \(file.bytes.count) bytes, over the limit of \(maxFileBytes) bytes (10 MiB)",
                                     at: nil, help: ["split the pack into several files"], path: file.path)])
        }
        if let bad = firstInvalidUTF8(file.bytes) {
            let span = SourceSpan(file: file, start: bad, end: bad + 1)
            return (nil, [Diagnostic(YamlCodes.notUTF8, "file is not valid UTF-8", at: span,
                                     label: "invalid byte 0x\(String(file.bytes[bad], radix: 16))",
                                     help: ["save the file as UTF-8"])])
        }
        var builder = TreeBuilder(file: file)
        builder.run()
        return (builder.root, builder.diagnostics)
    }

    /// Offset of the first byte that is not part of valid UTF-8, if any.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let len: Int
            var minScalar: UInt32
            if b & 0xE0 == 0xC0 { len = 2; minScalar = 0x80 } else if b & 0xF0 == 0xE0 { len = 3; minScalar = 0x800 } else if b & 0xF8 == 0xF0 { len = 4; minScalar = 0x10000 } else { return i }
            guard i + len <= n else { return i }
            var scalar = UInt32(b) & (0xFF >> (len + 1))
            for k in 1..<len {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            minScalar = 0
            i += len
        }
        return nil
    }
}

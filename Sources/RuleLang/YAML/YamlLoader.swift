import CYaml

/// Reads one YAML file into a `YamlNode` tree on libyaml's event API, keeping exact positions.
/// Rejects what a rule file must never hold: invalid UTF-8, files over the size limit,
/// anchors and aliases, duplicate keys, more than one document.
public enum YamlLoader {
    /// Files larger than this are refused before parsing.
    public static let maxFileBytes = 10 * 1024 * 1024

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

/// Consumes libyaml events and assembles the node tree.
private struct TreeBuilder {
    let file: SourceFile
    var root: YamlNode?
    var diagnostics: [Diagnostic] = []
    /// Open collections: a sequence's items, or a mapping's entries with a pending key.
    private var stack: [Frame] = []
    private var documents = 0

    private enum Frame {
        case sequence(items: [YamlNode], start: Int)
        case mapping(entries: [(key: YamlScalar, value: YamlNode)], pendingKey: YamlScalar?, start: Int, keys: [String: SourceSpan])
    }

    init(file: SourceFile) { self.file = file }

    mutating func run() {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        file.bytes.withUnsafeBufferPointer { buf in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    reportParserError(parser)
                    return
                }
                let type = event.type
                let keepGoing = handle(&event)
                yaml_event_delete(&event)
                if type == YAML_STREAM_END_EVENT || !keepGoing { return }
            }
        }
    }

    private func offset(_ mark: yaml_mark_t) -> Int {
        file.offset(line: Int(mark.line), scalarColumn: Int(mark.column))
    }

    private mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let at = offset(parser.problem_mark)
        var notes: [DiagnosticNote] = []
        if let ctx = parser.context, parser.context_mark.index != parser.problem_mark.index {
            let c = offset(parser.context_mark)
            notes.append(DiagnosticNote(span: SourceSpan(file: file, start: c, end: c + 1), label: String(cString: ctx)))
        }
        let tabHere = at < file.bytes.count && file.bytes[at] == 0x09
        let help = problem.contains("tab") || tabHere ? ["indent with spaces: YAML does not allow tabs for indentation"] : []
        diagnostics.append(Diagnostic(YamlCodes.syntax, "YAML syntax error: \(problem)",
                                      at: SourceSpan(file: file, start: at, end: at + 1), label: problem, notes: notes, help: help))
    }

    /// Explicit tags (`!x`, `!!str`) change how YAML reads a value; an expression starting
    /// with `!` is read as a tag by YAML, so say so.
    private mutating func rejectTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, _ event: yaml_event_t) -> Bool {
        guard let tag else { return false }
        let s = offset(event.start_mark)
        let name = String(cString: tag)
        var end = s
        while end < file.bytes.count, ![0x20, 0x0A, 0x0D, 0x09].contains(file.bytes[end]) { end += 1 }
        let shown = String(decoding: file.bytes[s..<end], as: UTF8.self)
        diagnostics.append(Diagnostic(YamlCodes.shape, "YAML tag `\(shown.isEmpty ? name : shown)` is not allowed",
                                      at: SourceSpan(file: file, start: s, end: max(end, s + 1)), label: "read by YAML as a tag",
                                      help: ["an expression that starts with `!` must be quoted, e.g. `when: '!exists(team)'`"]))
        return true
    }

    private mutating func rejectAnchor(_ anchor: UnsafeMutablePointer<yaml_char_t>?, _ event: yaml_event_t) -> Bool {
        guard let anchor else { return false }
        let name = String(cString: anchor)
        let s = offset(event.start_mark)
        diagnostics.append(Diagnostic(YamlCodes.alias, "YAML anchor `&\(name)` is not allowed",
                                      at: SourceSpan(file: file, start: s, end: s + name.utf8.count + 1),
                                      label: "anchor", help: ["write the value out, or use a macro or a list to share it"]))
        return true
    }

    /// Handles one event; returns false to stop parsing.
    private mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let start = offset(event.start_mark), end = offset(event.end_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                diagnostics.append(Diagnostic(YamlCodes.shape, "a rule file holds one YAML document",
                                              at: SourceSpan(file: file, start: start, end: max(end, start + 1)),
                                              label: "second document starts here", help: ["move this document into a file of its own"]))
                return false
            }
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            diagnostics.append(Diagnostic(YamlCodes.alias, "YAML alias `*\(name)` is not allowed",
                                          at: SourceSpan(file: file, start: start, end: end), label: "alias",
                                          help: ["write the value out, or use a macro or a list to share it"]))
            return false
        case YAML_SCALAR_EVENT:
            if rejectAnchor(event.data.scalar.anchor, event) { return false }
            if event.data.scalar.plain_implicit == 0 && event.data.scalar.quoted_implicit == 0,
               rejectTag(event.data.scalar.tag, event) { return false }
            let s = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let scalar = YamlScalar(value: value, style: style, span: SourceSpan(file: file, start: start, end: end))
            return add(.scalar(scalar))
        case YAML_SEQUENCE_START_EVENT:
            if rejectAnchor(event.data.sequence_start.anchor, event) { return false }
            if event.data.sequence_start.implicit == 0, rejectTag(event.data.sequence_start.tag, event) { return false }
            stack.append(.sequence(items: [], start: start))
        case YAML_MAPPING_START_EVENT:
            if rejectAnchor(event.data.mapping_start.anchor, event) { return false }
            if event.data.mapping_start.implicit == 0, rejectTag(event.data.mapping_start.tag, event) { return false }
            stack.append(.mapping(entries: [], pendingKey: nil, start: start, keys: [:]))
        case YAML_SEQUENCE_END_EVENT:
            guard case .sequence(let items, let s)? = stack.popLast() else { return false }
            return add(.sequence(items, SourceSpan(file: file, start: s, end: end)))
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(let entries, _, let s, _)? = stack.popLast() else { return false }
            return add(.mapping(YamlMapping(entries: entries, span: SourceSpan(file: file, start: s, end: end))))
        default:
            break
        }
        return true
    }

    /// Adds a finished node to the innermost open collection (or makes it the root).
    private mutating func add(_ node: YamlNode) -> Bool {
        guard let top = stack.popLast() else {
            root = node
            return true
        }
        switch top {
        case .sequence(var items, let s):
            items.append(node)
            stack.append(.sequence(items: items, start: s))
        case .mapping(var entries, let pending, let s, var keys):
            if let key = pending {
                entries.append((key, node))
                stack.append(.mapping(entries: entries, pendingKey: nil, start: s, keys: keys))
            } else {
                guard case .scalar(let key) = node else {
                    diagnostics.append(Diagnostic(YamlCodes.shape, "mapping keys must be plain names",
                                                  at: node.span, label: "\(node.kindName) used as a key"))
                    return false
                }
                if let first = keys[key.value] {
                    diagnostics.append(Diagnostic(YamlCodes.duplicateKey, "duplicate key `\(key.value)`", at: key.span,
                                                  label: "repeated here",
                                                  notes: [DiagnosticNote(span: first, label: "first defined here")],
                                                  help: ["remove one of them; YAML keeps only one value per key"]))
                } else {
                    keys[key.value] = key.span
                }
                stack.append(.mapping(entries: entries, pendingKey: key, start: s, keys: keys))
            }
        }
        return true
    }
}

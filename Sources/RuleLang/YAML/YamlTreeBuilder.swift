import CYaml

/// Consumes libyaml events and assembles the node tree. Linear in the file: each collection
/// grows in place on the stack of open ones, and keys are checked against a hash set.
struct TreeBuilder {
    let file: SourceFile
    var root: YamlNode?
    var diagnostics: [Diagnostic] = []
    /// Open collections, innermost last; never more than `YamlLoader.maxDepth`.
    private var stack: [Frame] = []
    private var documents = 0
    /// libyaml skips a UTF-8 byte order mark and does not count it in its marks' `index`.
    private let bomScalars: Int

    /// A sequence's items, or a mapping's entries with a pending key.
    private struct Frame {
        let isMapping: Bool
        let start: Int
        var items: [YamlNode] = []
        var entries: [(key: YamlScalar, value: YamlNode)] = []
        var pendingKey: YamlScalar?
        var keys: [String: SourceSpan] = [:]
    }

    init(file: SourceFile) {
        self.file = file
        bomScalars = file.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 1 : 0
    }

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

    /// The one conversion of libyaml marks. A mark's line and column follow YAML 1.1, where
    /// U+0085, U+2028 and U+2029 break lines as CR and LF do, which is not how `SourceFile`
    /// (or an editor) counts lines; its `index` counts scalars from the start of the text, so
    /// only the index is used.
    private func offset(_ mark: yaml_mark_t) -> Int {
        file.offset(ofScalar: Int(mark.index) + bomScalars)
    }

    private mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        // A reader error (a control character, say) has no mark, only a byte offset.
        let at = parser.error == YAML_READER_ERROR ? min(Int(parser.problem_offset), file.bytes.count)
                                                   : offset(parser.problem_mark)
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
            return open(mapping: false, at: start)
        case YAML_MAPPING_START_EVENT:
            if rejectAnchor(event.data.mapping_start.anchor, event) { return false }
            if event.data.mapping_start.implicit == 0, rejectTag(event.data.mapping_start.tag, event) { return false }
            return open(mapping: true, at: start)
        case YAML_SEQUENCE_END_EVENT:
            guard let frame = stack.popLast(), !frame.isMapping else { return false }
            return add(.sequence(frame.items, SourceSpan(file: file, start: frame.start, end: end)))
        case YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast(), frame.isMapping else { return false }
            return add(.mapping(YamlMapping(entries: frame.entries, span: SourceSpan(file: file, start: frame.start, end: end))))
        default:
            break
        }
        return true
    }

    /// Opens a collection, unless it would be nested deeper than the limit: then parsing stops
    /// there, so no tree deeper than the limit is ever built.
    private mutating func open(mapping: Bool, at start: Int) -> Bool {
        guard stack.count < YamlLoader.maxDepth else {
            diagnostics.append(Diagnostic(YamlCodes.tooDeep,
                                          "YAML nested more than \(YamlLoader.maxDepth) levels deep",
                                          at: SourceSpan(file: file, start: start, end: start + 1),
                                          label: "\(mapping ? "mapping" : "list") at depth \(YamlLoader.maxDepth + 1)",
                                          help: ["flatten the structure; lists and mappings may nest at most \(YamlLoader.maxDepth) deep"]))
            return false
        }
        stack.append(Frame(isMapping: mapping, start: start))
        return true
    }

    /// Adds a finished node to the innermost open collection (or makes it the root), in place.
    private mutating func add(_ node: YamlNode) -> Bool {
        guard !stack.isEmpty else {
            root = node
            return true
        }
        let top = stack.count - 1
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return true
        }
        if let key = stack[top].pendingKey {
            stack[top].entries.append((key, node))
            stack[top].pendingKey = nil
            return true
        }
        guard case .scalar(let key) = node else {
            diagnostics.append(Diagnostic(YamlCodes.shape, "mapping keys must be plain names",
                                          at: node.span, label: "\(node.kindName) used as a key"))
            return false
        }
        if let first = stack[top].keys[key.value] {
            diagnostics.append(Diagnostic(YamlCodes.duplicateKey, "duplicate key `\(key.value)`", at: key.span,
                                          label: "repeated here",
                                          notes: [DiagnosticNote(span: first, label: "first defined here")],
                                          help: ["remove one of them; YAML keeps only one value per key"]))
        } else {
            stack[top].keys[key.value] = key.span
        }
        stack[top].pendingKey = key
        return true
    }
}

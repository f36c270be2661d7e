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
    private var refusedReports = 0
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
        /// Refused and reported where it opened: read to its end, then stands as `.invalid`.
        var refused = false
        /// The entry's key was refused: its value is read and dropped.
        var dropValue = false
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
            notes.append(DiagnosticNote(span: .point(file, at: c), label: String(cString: ctx)))
        }
        let tabHere = at < file.bytes.count && file.bytes[at] == 0x09
        var help = problem.contains("tab") || tabHere ? ["indent with spaces: YAML does not allow tabs for indentation"] : []
        if help.isEmpty, valueNeedsQuotes(onLineOf: at) { help = [Self.quoteHelp] }
        diagnostics.append(Diagnostic(YamlCodes.syntax, "YAML syntax error: \(problem)",
                                      at: .point(file, at: at), label: problem, notes: notes, help: help))
    }

    /// Keys whose values are expressions or templates: `&` or `*` at the start of one is more
    /// likely an unquoted `&&` or `*` than an anchor or an alias.
    static let expressionKeys: Set<String> = ["when", "condition", "while_active", "title", "text"]

    /// Whether the line holding `offset` is `key: value` (or `- key: value`) with an expression key.
    private func expressionKey(onLineOf offset: Int) -> Bool {
        let b = file.bytes
        var start = min(offset, b.count)
        while start > 0, b[start - 1] != 0x0A { start -= 1 }
        var i = start
        while i < b.count, b[i] == 0x20 || b[i] == UInt8(ascii: "-") { i += 1 }
        var end = i
        while end < b.count, b[end] != UInt8(ascii: ":"), b[end] != 0x0A { end += 1 }
        return Self.expressionKeys.contains(String(decoding: b[i..<end], as: UTF8.self))
    }

    /// Whether the value on the line holding `offset` (after `key:` or `-`) starts as an
    /// unquoted expression or template that YAML reads as syntax: `{{`, `!`, `&` or `*`.
    private func valueNeedsQuotes(onLineOf offset: Int) -> Bool {
        let b = file.bytes
        var start = min(offset, b.count)
        while start > 0, b[start - 1] != 0x0A { start -= 1 }
        var end = start
        while end < b.count, b[end] != 0x0A { end += 1 }
        let line = b[start..<end]
        var i = line.startIndex
        while i < line.endIndex, line[i] == 0x20 || line[i] == UInt8(ascii: "-") { i += 1 }
        if let colon = line[i...].firstIndex(where: { $0 == UInt8(ascii: ":") }) { i = colon + 1 }
        while i < line.endIndex, line[i] == 0x20 || line[i] == UInt8(ascii: "-") { i += 1 }
        guard i < line.endIndex else { return false }
        switch line[i] {
        case UInt8(ascii: "!"), UInt8(ascii: "&"), UInt8(ascii: "*"): return true
        case UInt8(ascii: "{"): return i + 1 < line.endIndex && line[i + 1] == UInt8(ascii: "{")
        default: return false
        }
    }

    /// Explicit tags (`!x`, `!!str`) change how YAML reads a value; an expression starting
    /// with `!` is read as a tag by YAML, so say so. The value stays in the tree as `.invalid`.
    private mutating func rejectTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, _ event: yaml_event_t) -> Bool {
        guard let tag else { return false }
        guard reportRefused() else { return true }
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
        guard reportRefused() else { return true }
        let name = String(cString: anchor)
        let s = offset(event.start_mark)
        diagnostics.append(Diagnostic(YamlCodes.alias, "YAML anchor `&\(name)` is not allowed",
                                      at: SourceSpan(file: file, start: s, end: s + name.utf8.count + 1),
                                      label: "anchor", help: ["write the value out, or use a macro or a list to share it"]
                                        + (expressionKey(onLineOf: s) ? [Self.quoteHelp] : [])))
        return true
    }

    /// Counts one refused value; false once `maxRefusedReports` have been reported.
    private mutating func reportRefused() -> Bool {
        refusedReports += 1
        return refusedReports <= YamlLoader.maxRefusedReports
    }

    /// An expression or template that YAML reads as something else (a tag, an anchor, an alias,
    /// a flow mapping) is mended by quoting the whole value.
    static let quoteHelp = "if this is an expression or a template, quote the whole value, e.g. `when: '!exists(team)'` or `text: \"{{ labels.team }} is down\"`"

    /// A flow mapping that opens with `{{` is an unquoted template, not data.
    private mutating func rejectTemplateMapping(at start: Int) -> Bool {
        let b = file.bytes
        guard start + 1 < b.count, b[start] == UInt8(ascii: "{"), b[start + 1] == UInt8(ascii: "{") else { return false }
        var end = start
        while end < b.count, b[end] != 0x0A, b[end] != 0x0D { end += 1 }
        diagnostics.append(Diagnostic(YamlCodes.shape, "unquoted template `{{ … }}` is read by YAML as a mapping",
                                      at: SourceSpan(file: file, start: start, end: end), label: "read by YAML as a mapping",
                                      help: ["quote the whole value, e.g. `text: \"{{ labels.team }} is down\"`"]))
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
                                              at: SourceSpan(file: file, start: start, end: max(end, SourceSpan.point(file, at: start).end)),
                                              label: "second document starts here", help: ["move this document into a file of its own"]))
                return false
            }
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            if reportRefused() { diagnostics.append(Diagnostic(YamlCodes.alias, "YAML alias `*\(name)` is not allowed",
                                          at: SourceSpan(file: file, start: start, end: end), label: "alias",
                                          help: ["write the value out, or use a macro or a list to share it"]
                                            + (expressionKey(onLineOf: start) ? [Self.quoteHelp] : []))) }
            return add(.invalid(SourceSpan(file: file, start: start, end: end)))
        case YAML_SCALAR_EVENT:
            _ = rejectAnchor(event.data.scalar.anchor, event)
            if event.data.scalar.plain_implicit == 0 && event.data.scalar.quoted_implicit == 0,
               rejectTag(event.data.scalar.tag, event) { return add(.invalid(SourceSpan(file: file, start: start, end: end))) }
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
            _ = rejectAnchor(event.data.sequence_start.anchor, event)
            let tagged = event.data.sequence_start.implicit == 0 && rejectTag(event.data.sequence_start.tag, event)
            return open(mapping: false, at: start, refused: tagged)
        case YAML_MAPPING_START_EVENT:
            _ = rejectAnchor(event.data.mapping_start.anchor, event)
            let tagged = event.data.mapping_start.implicit == 0 && rejectTag(event.data.mapping_start.tag, event)
            return open(mapping: true, at: start, refused: tagged || rejectTemplateMapping(at: start))
        case YAML_SEQUENCE_END_EVENT:
            guard let frame = stack.popLast(), !frame.isMapping else { return false }
            let span = SourceSpan(file: file, start: frame.start, end: end)
            return add(frame.refused ? .invalid(span) : .sequence(frame.items, span))
        case YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast(), frame.isMapping else { return false }
            let span = SourceSpan(file: file, start: frame.start, end: end)
            return add(frame.refused ? .invalid(span) : .mapping(YamlMapping(entries: frame.entries, span: span)))
        default:
            break
        }
        return true
    }

    /// Opens a collection, unless it would be nested deeper than the limit: then parsing stops
    /// there, so no tree deeper than the limit is ever built.
    private mutating func open(mapping: Bool, at start: Int, refused: Bool) -> Bool {
        guard stack.count < YamlLoader.maxDepth else {
            diagnostics.append(Diagnostic(YamlCodes.tooDeep,
                                          "YAML nested more than \(YamlLoader.maxDepth) levels deep",
                                          at: .point(file, at: start),
                                          label: "\(mapping ? "mapping" : "list") at depth \(YamlLoader.maxDepth + 1)",
                                          help: ["flatten the structure; lists and mappings may nest at most \(YamlLoader.maxDepth) deep"]))
            return false
        }
        // Inside a refused collection everything is refused with it, and reported once.
        stack.append(Frame(isMapping: mapping, start: start, refused: refused || stack.last?.refused == true))
        return true
    }

    /// Adds a finished node to the innermost open collection (or makes it the root), in place.
    private mutating func add(_ node: YamlNode) -> Bool {
        guard !stack.isEmpty else {
            root = node
            return true
        }
        let top = stack.count - 1
        if stack[top].refused { return true }
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return true
        }
        if let key = stack[top].pendingKey {
            stack[top].entries.append((key, node))
            stack[top].pendingKey = nil
            return true
        }
        if stack[top].dropValue {
            stack[top].dropValue = false
            return true
        }
        guard case .scalar(let key) = node else {
            // Reported once (a refused key already was); its value is then read and dropped.
            if case .invalid = node {} else {
                diagnostics.append(Diagnostic(YamlCodes.shape, "mapping keys must be plain names",
                                              at: node.span, label: "\(node.kindName) used as a key"))
            }
            stack[top].dropValue = true
            return true
        }
        if let first = stack[top].keys[key.value] {
            diagnostics.append(Diagnostic(YamlCodes.duplicateKey, "duplicate key `\(key.value)`", at: key.span,
                                          label: "repeated here",
                                          notes: [DiagnosticNote(span: first, label: "first defined here")],
                                          help: ["remove one of them; YAML keeps only one value per key"]))
            // The first value is kept, so the repeat is not read again as a second declaration.
            stack[top].dropValue = true
            return true
        }
        stack[top].keys[key.value] = key.span
        stack[top].pendingKey = key
        return true
    }
}

import CPCRE2

/// Compiles regex literals with PCRE2 at check time, so a bad pattern is reported at the exact
/// character inside the pattern, in the YAML file.
enum RegexValidator {
    /// nil when the pattern compiles; else the diagnostic.
    static func validate(_ literal: StringLiteral, span: SourceSpan, anchored: Bool) -> Diagnostic? {
        guard let (text, at) = problem(literal.value, anchored: anchored) else { return nil }
        let bytes = Array(literal.value.utf8)
        let fileStart: Int, fileEnd: Int
        if at < bytes.count, at < literal.offsets.count {
            fileStart = literal.offsets[at]
            fileEnd = fileStart + 1
        } else {
            // Error at the end of the pattern: point at the closing quote.
            fileStart = max(span.start, span.end - 1)
            fileEnd = span.end
        }
        return Diagnostic(TypeCodes.badRegex, "invalid regular expression: \(text)",
                          at: SourceSpan(file: span.file, start: fileStart, end: fileEnd),
                          label: text, help: ["patterns use PCRE2 syntax (https://www.pcre.org/current/doc/html/pcre2pattern.html)"])
    }

    /// PCRE2's message and the byte offset it names when `pattern` does not compile; nil when it does.
    static func problem(_ pattern: String, anchored: Bool) -> (message: String, offset: Int)? {
        let bytes = Array(pattern.utf8)
        var errorCode: Int32 = 0
        var errorOffset = 0
        var options = UInt32(PCRE2_UTF)
        if anchored { options |= UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED) }
        let code = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress ?? UnsafePointer(bitPattern: 1), buf.count, options, &errorCode, &errorOffset, nil)
        }
        if let code {
            pcre2_code_free_8(code)
            return nil
        }
        var message = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(errorCode, &message, message.count)
        let text = n > 0 ? String(decoding: message[0..<Int(n)], as: UTF8.self) : "invalid pattern"
        return (text, min(errorOffset, bytes.count))
    }
}

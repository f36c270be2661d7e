/// A channel in the artifact: name, kind, its fields as text and secret references (a value is
/// never written: the loader resolves the references), template entries, rate limit and retry
/// budget.
extension ByteWriter {
    mutating func channel(_ c: RuntimeChannel) {
        string(c.name); u8(c.kind.code)
        let options = c.options.sorted { $0.key < $1.key }
        u32(UInt32(options.count))
        for (option, text) in options {
            string(option.rawValue)
            u32(UInt32(text.parts.count))
            for p in text.parts {
                switch p {
                case .text(let s): u8(0); string(s)
                case .secret(let n): u8(1); string(n)
                }
            }
        }
        u32(c.titleEntry.map { UInt32($0) } ?? UInt32.max)
        u32(c.textEntry.map { UInt32($0) } ?? UInt32.max)
        if let r = c.rateLimit { u8(1); u32(UInt32(clamping: r.count)); i64(r.periodMs) } else { u8(0) }
        i64(c.giveUpAfterMs)
    }
}

extension ByteReader {
    /// A channel, checked: a known kind and fields, entries in range, a positive rate and
    /// retry budget, secret names as the reader accepts them.
    mutating func channel(entries: Int) throws -> RuntimeChannel {
        let name = try string()
        guard let kind = ChannelKind(code: try u8()) else { throw Artifact.LoadError(message: "unknown channel kind for `\(name)` in artifact") }
        var options: [ChannelOption: SecretText] = [:]
        for _ in 0..<(try count(8)) {
            let field = try string()
            guard let option = ChannelOption(rawValue: field), options[option] == nil else {
                throw Artifact.LoadError(message: "unknown or repeated field `\(field)` of channel `\(name)` in artifact")
            }
            var parts: [SecretText.Part] = []
            for _ in 0..<(try count(5)) {
                switch try u8() {
                case 0: parts.append(.text(try string()))
                case 1:
                    let secret = try string()
                    guard Self.isSecretName(secret) else { throw Artifact.LoadError(message: "bad secret name in channel `\(name)` in artifact") }
                    parts.append(.secret(secret))
                default: throw Artifact.LoadError(message: "bad field part in channel `\(name)` in artifact")
                }
            }
            options[option] = SecretText(parts: parts)
        }
        func entry() throws -> Int? {
            let v = try u32()
            if v == UInt32.max { return nil }
            guard Int(v) < entries else { throw Artifact.LoadError(message: "channel `\(name)` names entry \(v), out of range") }
            return Int(v)
        }
        let title = try entry(), text = try entry()
        var rate: RateLimit?
        if try u8() == 1 {
            let n = Int(try u32()), period = try duration()
            guard n > 0, period > 0 else { throw Artifact.LoadError(message: "channel `\(name)` has an empty rate limit in artifact") }
            rate = RateLimit(count: n, periodMs: period)
        }
        let giveUp = try duration()
        guard giveUp > 0 else { throw Artifact.LoadError(message: "channel `\(name)` gives up after 0ms in artifact") }
        return RuntimeChannel(name: name, kind: kind, options: options, titleEntry: title, textEntry: text, rateLimit: rate, giveUpAfterMs: giveUp)
    }

    /// `[A-Z_][A-Z0-9_]*`, as the pack reader accepts.
    static func isSecretName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(48...57).contains(first) else { return false }
        return s.utf8.allSatisfy { (65...90).contains($0) || (48...57).contains($0) || $0 == 95 }
    }
}

extension ChannelKind {
    var code: UInt8 {
        switch self {
        case .slack: 0
        case .teams: 1
        case .pagerduty: 2
        case .webhook: 3
        }
    }

    init?(code: UInt8) {
        switch code {
        case 0: self = .slack
        case 1: self = .teams
        case 2: self = .pagerduty
        case 3: self = .webhook
        default: return nil
        }
    }
}

/// A channel with its secrets resolved: what the shell builds when a pack loads and hands to the
/// drivers. It holds secret values, so its description names the channel only (never printed,
/// logged or stored with them).
public struct ResolvedChannel: Sendable, Equatable, CustomStringConvertible {
    public let channel: RuntimeChannel
    /// Each field's value, secrets substituted.
    public let values: [ChannelOption: String]

    public var name: String { channel.name }
    public var kind: ChannelKind { channel.kind }

    /// A field's value, when the pack sets it.
    public subscript(_ option: ChannelOption) -> String? { values[option] }

    public var description: String { "\(channel.kind.rawValue) channel `\(channel.name)`" }

    /// `channel` with every `${secret:NAME}` replaced by `secrets(NAME)`; an error naming the
    /// channel, the field and the secret (never a value) when one is not set.
    public static func resolve(_ channel: RuntimeChannel, secrets: (String) -> String?) -> Result<ResolvedChannel, UnresolvedSecret> {
        var values: [ChannelOption: String] = [:]
        for (option, text) in channel.options.sorted(by: { $0.key < $1.key }) {
            switch text.resolved(secrets) {
            case .success(let v): values[option] = v
            case .failure(let missing):
                return .failure(UnresolvedSecret(channel: channel.name, field: option, secret: missing.name))
            }
        }
        return .success(ResolvedChannel(channel: channel, values: values))
    }

    /// Every channel of `channels` resolved, by name; the first failure otherwise.
    public static func resolveAll(_ channels: [RuntimeChannel], secrets: (String) -> String?) -> Result<[String: ResolvedChannel], UnresolvedSecret> {
        var out: [String: ResolvedChannel] = [:]
        for c in channels {
            switch resolve(c, secrets: secrets) {
            case .success(let r): out[c.name] = r
            case .failure(let e): return .failure(e)
            }
        }
        return .success(out)
    }
}

/// A channel field refers to a secret the loading environment does not set.
public struct UnresolvedSecret: Error, Sendable, Equatable, CustomStringConvertible {
    public let channel: String
    public let field: ChannelOption
    public let secret: String

    public init(channel: String, field: ChannelOption, secret: String) {
        self.channel = channel
        self.field = field
        self.secret = secret
    }

    public var description: String {
        "secret `\(secret)` is not set (field `\(field.rawValue)` of channel `\(channel)`)"
    }
}

/// How a scalar was written; positions inside it are mapped back per style.
public enum ScalarStyle: String, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A YAML scalar: its decoded value and where its raw text lies in the file.
public struct YamlScalar: Sendable {
    public let value: String
    public let style: ScalarStyle
    /// From libyaml's start mark (the first character, opening quote or block indicator)
    /// to its end mark.
    public let span: SourceSpan

    /// A quoted or block scalar is always a string; a plain one may be a number or bool.
    public var isPlain: Bool { style == .plain }
}

/// A YAML mapping with its keys in source order (duplicates already rejected).
public struct YamlMapping: Sendable {
    public let entries: [(key: YamlScalar, value: YamlNode)]
    public let span: SourceSpan

    /// The value of `key`, if present.
    public subscript(_ key: String) -> YamlNode? {
        entries.first { $0.key.value == key }?.value
    }

    /// The key scalar of `key`, if present.
    func keyScalar(_ key: String) -> YamlScalar? {
        entries.first { $0.key.value == key }?.key
    }
}

/// A YAML node as read by the loader: scalars, sequences and mappings only (no aliases).
public indirect enum YamlNode: Sendable {
    case scalar(YamlScalar)
    case sequence([YamlNode], SourceSpan)
    case mapping(YamlMapping)
    /// What the loader refused and already reported (an alias, a tagged value, an unquoted
    /// template read as a mapping): it stands in for the value so that the rest of the file is
    /// still read, and whoever reads it stays silent about it.
    case invalid(SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .scalar(let s): s.span
        case .sequence(_, let span): span
        case .mapping(let m): m.span
        case .invalid(let span): span
        }
    }

    /// What the author wrote, for "expected X, found Y" messages.
    var kindName: String {
        switch self {
        case .scalar: "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .invalid: "a refused value"
        }
    }
}

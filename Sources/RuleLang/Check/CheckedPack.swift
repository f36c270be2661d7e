import RuleText
/// One rule after checking: its typed expressions (by role: `when`, `condition`, `set.x`, …)
/// and its worst-case cost.
public struct TypedRule: Sendable {
    public let kind: RuleKind
    public let name: Name
    public let expressions: [(role: String, expr: TypedExpr)]
    public let cost: Int
}

/// A pack that passed (or at least went through) checking.
public struct CheckedPack: Sendable {
    public let pack: Pack
    public let rules: [TypedRule]
    /// Each channel's template holes, typed, in the order of `pack.channels`.
    public let channelTemplates: [TypedChannelTemplate]
}

/// A channel's `template` after checking: the typed holes of its `title` and `text`, in the
/// order they appear (the compiler fills them into the templates' text parts).
public struct TypedChannelTemplate: Sendable {
    public let channel: String
    public let title: [TypedExpr]
    public let text: [TypedExpr]
}

/// The front end in one call: read a tenant's files and check them.
public enum Frontend {
    /// Reads and checks the pack of `tenant` from files in memory (on a deep stack: `DeepStack`).
    public static func check(tenant: String, files: [SourceFile], options: CheckOptions = CheckOptions()) -> (CheckedPack, [Diagnostic]) {
        DeepStack.run { checkHere(tenant: tenant, files: files, options: options) }
    }

    static func checkHere(tenant: String, files: [SourceFile], options: CheckOptions) -> (CheckedPack, [Diagnostic]) {
        var (pack, diagnostics) = PackReader.read(tenant: tenant, files: files)
        if !PackReader.isValidTenant(tenant) {
            diagnostics.append(Diagnostic(PackCodes.badTenant, "invalid tenant id `\(tenant)`", at: nil,
                                          help: ["a tenant folder name is 1 to 63 of `a-z`, `0-9` and `-`, starting with a letter or digit"],
                                          path: files.first?.path))
        }
        let (checked, more) = PackChecker.check(pack, options: options)
        pack = checked.pack
        return (checked, (diagnostics + more).sortedByPosition())
    }
}

/// The one label-name rule of the checker, the alert reader and the runtime.
public enum LabelNames {
    /// Whether `name` is a valid label name `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isValid(_ name: String) -> Bool {
        guard let f = name.utf8.first, f == 95 || (f | 0x20 >= 97 && f | 0x20 <= 122) else { return false }
        return name.utf8.allSatisfy { $0 == 95 || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || ($0 >= 48 && $0 <= 57) }
    }
}

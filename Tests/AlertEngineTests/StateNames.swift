import AlertEngine
import RuleRuntime

extension Collection where Element == GroupKey {
    /// The keys as the timelines render them, sorted: what the tests compare.
    var texts: [String] { map(\.description).sorted() }
}

extension Engine {
    /// The names of the inhibitions the state's index holds, sorted (the state names them by
    /// number).
    var inhibitionNames: [String] { state.inhibitors.keys.map { pack.suppress[$0.index].name }.sorted() }
}

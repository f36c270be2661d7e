/// What the engine did with one alert, for `rulec eval --explain`.
public struct Explanation: Sendable {
    public let alert: EngineAlert
    /// Labels the enrich rules set (the alert's labels now, against what arrived).
    public let enriched: [(label: String, value: String)]
    /// The keys of the groups it is in, in the order of their text.
    public let groupKeys: [GroupKey]
}

extension Engine {
    /// The explanation of the alert with `id`, given the labels it arrived with.
    public func explain(_ id: Int, arrivedWith labels: [String: String]) -> Explanation? {
        guard let alert = state.alerts[id] else { return nil }
        let enriched = alert.labels.filter { labels[$0.key] != $0.value }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return Explanation(alert: alert, enriched: enriched, groupKeys: groupKeys(of: id))
    }

    /// The id of the open alert with `fingerprint` (or the newest one with it).
    public func alertID(fingerprint: String) -> Int? {
        state.open[fingerprint] ?? state.alerts.values.filter { $0.fingerprint == fingerprint }.map(\.id).max()
    }
}

import AlertEngine
import RuleRuntime

extension Alertmanager {
    /// The `gettableAlert` of an alert the engine holds. Unresolved alerts only: Alertmanager
    /// never lists a resolved one, so a resolved alert gives nil.
    ///
    /// - `fingerprint` is ours (FNV-1a of the sorted labels; see `Fingerprint`), not
    ///   Alertmanager's: the same labels always give the same one here.
    /// - `status`: suppressed with `silencedBy: [id]` when a runtime silence muted it, with
    ///   `inhibitedBy: [rule]` when a suppress rule did, else active (acknowledged alerts too:
    ///   Alertmanager has no acknowledgement). Never unprocessed: an alert is evaluated before
    ///   its POST is answered.
    /// - `receivers`: the channels (`notify`) of the routes that handle it, in route order,
    ///   each once; none when it is unrouted.
    /// - `endsAt`: the end the sender gave; without one, Go's zero time.
    /// - `generatorURL`: the alert's `source`.
    public static func gettable(_ alert: EngineAlert, updatedAt: Int64, endsAt: Int64?, pack: RuntimePack) -> GettableAlert? {
        guard alert.status != .resolved else { return nil }
        var silencedBy: [String] = [], inhibitedBy: [String] = []
        if let by = alert.suppressedBy {
            if by.hasPrefix(silencePrefix) { silencedBy = [String(by.dropFirst(silencePrefix.count))] } else { inhibitedBy = [by] }
        }
        let state: AlertStatus.State = silencedBy.isEmpty && inhibitedBy.isEmpty ? .active : .suppressed
        return GettableAlert(labels: alert.labels.dictionary, annotations: alert.annotations.dictionary, generatorURL: alert.source,
                             startsAt: CompatTime.format(alert.startsAt), updatedAt: CompatTime.format(updatedAt),
                             endsAt: CompatTime.format(endsAt ?? CompatTime.goZero), fingerprint: alert.fingerprint,
                             receivers: receivers(of: alert.routes, in: pack),
                             status: AlertStatus(state: state, silencedBy: silencedBy, inhibitedBy: inhibitedBy))
    }

    /// How the engine names a runtime silence in `suppressedBy` (`silence:<id>`).
    static let silencePrefix = "silence:"

    /// The channels of the routes at `paths` (`a/b`), in order, each once.
    public static func receivers(of paths: [String], in pack: RuntimePack) -> [Receiver] {
        var seen: Set<String> = []
        var out: [Receiver] = []
        for path in paths {
            guard let settings = pack.routeSettings.first(where: { $0.path.joined(separator: "/") == path }) else { continue }
            for channel in settings.notify where seen.insert(channel).inserted { out.append(Receiver(name: channel)) }
        }
        return out
    }
}

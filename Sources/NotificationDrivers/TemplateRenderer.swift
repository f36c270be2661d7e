import RuleRuntime
import RuleVM

/// Renders channels' compiled `template`s (`title`, `text`) against the alert a message is
/// about, with the pack's program: the same VM and canonical text as `set` and `emit`. It owns
/// a VM (registers, scratch): one renderer per thread.
public final class TemplateRenderer {
    private let pack: RuntimePack
    private let vm: VM

    public init(pack: RuntimePack) {
        self.pack = pack
        self.vm = VM(program: pack.verified)
    }

    /// The channel's title and text for `alert` at `now` (nil where the channel has no such
    /// template); a run-time error of one template is returned in place of its text.
    public func render(_ channel: RuntimeChannel, alert: MessageAlert, now: Int64) -> (title: Result<String, RuntimeError>?, text: Result<String, RuntimeError>?) {
        var input = AlertInput(labels: alert.labels, annotations: alert.annotations, severity: alert.severity, value: alert.value,
                               startsAt: alert.startsAt, source: alert.source, fingerprint: alert.fingerprint,
                               tenant: pack.tenant, tier: pack.tier)
        input.endsAt = alert.status == .resolved ? now : nil
        vm.bind(input, now: now)
        func run(_ entry: Int?) -> Result<String, RuntimeError>? {
            guard let entry else { return nil }
            return vm.run(entry: entry).map { v in
                let plain = vm.plain(v)
                if case .string(let s) = plain { return s }
                return CanonicalText.text(plain)
            }
        }
        return (run(channel.titleEntry), run(channel.textEntry))
    }

    /// `message` with the channel's templates rendered against its first alert, and for
    /// PagerDuty (one event per alert) the title against each alert; a template that fails
    /// leaves the driver's default in place.
    public func apply(_ channel: RuntimeChannel, to message: OutgoingMessage) -> OutgoingMessage {
        guard let first = message.alerts.first else { return message }
        let (title, text) = render(channel, alert: first, now: message.at)
        var out = message
        if case .success(let t)? = title { out.title = t }
        if case .success(let t)? = text { out.text = t }
        if channel.kind == .pagerduty && channel.titleEntry != nil {
            for a in message.alerts {
                if case .success(let t)? = render(channel, alert: a, now: message.at).title { out.alertTitles[a.id] = t }
            }
        }
        return out
    }
}

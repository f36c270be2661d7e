import RuleRuntime

/// An HTTP request a driver asks to be sent: no I/O here, the shell's client sends it.
public struct DeliveryRequest: Sendable, Equatable {
    public let method: String
    public let url: String
    /// In the order they are sent.
    public let headers: [HTTPHeader]
    public let body: [UInt8]
    /// The body as built (for goldens and logs without secrets: the URL and key are not in it
    /// except PagerDuty's `routing_key`).
    public let json: JSONValue

    public init(method: String = "POST", url: String, headers: [HTTPHeader], json: JSONValue) {
        self.method = method
        self.url = url
        self.headers = headers
        self.json = json
        self.body = json.bytes
    }

    /// The value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One HTTP header.
public struct HTTPHeader: Sendable, Equatable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    static let json = HTTPHeader("Content-Type", "application/json")
}

/// A channel a driver cannot build a request for.
public struct DriverError: Error, Sendable, Equatable, CustomStringConvertible {
    public let channel: String
    public let message: String

    public init(channel: String, message: String) {
        self.channel = channel
        self.message = message
    }

    public var description: String { "channel `\(channel)`: \(message)" }
}

/// The drivers by channel kind.
public enum Drivers {
    /// The requests that deliver `message` through `channel` (empty: the channel does not send
    /// this kind of message, e.g. a webhook with `send_resolved: false`).
    public static func requests(for message: OutgoingMessage, channel: ResolvedChannel) -> Result<[DeliveryRequest], DriverError> {
        switch channel.kind {
        case .slack: SlackDriver.requests(message, channel)
        case .teams: TeamsDriver.requests(message, channel)
        case .pagerduty: PagerDutyDriver.requests(message, channel)
        case .webhook: WebhookDriver.requests(message, channel)
        }
    }

    /// The channel's `url`, checked to be an http(s) URL.
    static func endpoint(_ channel: ResolvedChannel, default fallback: String? = nil) -> Result<String, DriverError> {
        guard let url = channel[.url] ?? fallback else {
            return .failure(DriverError(channel: channel.name, message: "no `url`"))
        }
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            // (The URL may hold a secret: the message names the field, never its value.)
            return .failure(DriverError(channel: channel.name, message: "`url` is not an http(s) URL"))
        }
        return .success(url)
    }
}

/// Alertmanager API v2's alert documents (`api/v2/openapi.yaml`: `postableAlert`,
/// `gettableAlert`, `alertStatus`, `receiver`), field for field. Times are RFC 3339 text.
public enum Alertmanager {}

extension Alertmanager {
    /// One item of `POST /api/v2/alerts` (what Prometheus and `amtool alert add` send).
    public struct PostableAlert: Codable, Sendable, Equatable {
        public var labels: [String: String]
        public var annotations: [String: String]?
        public var startsAt: String?
        public var endsAt: String?
        public var generatorURL: String?

        public init(labels: [String: String], annotations: [String: String]? = nil, startsAt: String? = nil, endsAt: String? = nil,
                    generatorURL: String? = nil) {
            self.labels = labels
            self.annotations = annotations
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.generatorURL = generatorURL
        }
    }

    /// One item of `GET /api/v2/alerts`.
    public struct GettableAlert: Codable, Sendable, Equatable {
        public var labels: [String: String]
        public var annotations: [String: String]
        public var generatorURL: String?
        public var startsAt: String
        public var updatedAt: String
        public var endsAt: String
        public var fingerprint: String
        public var receivers: [Receiver]
        public var status: AlertStatus
    }

    /// A receiver by name (`{"name": "team-db"}`): here, a channel of a route that handles the alert.
    public struct Receiver: Codable, Sendable, Equatable, Hashable {
        public var name: String

        public init(name: String) { self.name = name }
    }

    /// `alertStatus`: the state and what mutes the alert.
    public struct AlertStatus: Codable, Sendable, Equatable {
        /// Alertmanager's three states.
        public enum State: String, Codable, Sendable {
            case unprocessed, active, suppressed
        }

        public var state: State
        /// Ids of the silences that mute it.
        public var silencedBy: [String]
        /// Names of the suppress (inhibition) rules that mute it.
        public var inhibitedBy: [String]

        public init(state: State, silencedBy: [String], inhibitedBy: [String]) {
            self.state = state
            self.silencedBy = silencedBy
            self.inhibitedBy = inhibitedBy
        }
    }
}

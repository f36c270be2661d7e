extension Alertmanager {
    /// `matcher`: a label test of a silence. `isEqual` false negates it (`!=`, `!~`); absent
    /// means true, as in Alertmanager.
    public struct Matcher: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
        public var isRegex: Bool
        public var isEqual: Bool?

        public init(name: String, value: String, isRegex: Bool, isEqual: Bool? = true) {
            self.name = name
            self.value = value
            self.isRegex = isRegex
            self.isEqual = isEqual
        }
    }

    /// `postableSilence`: the body of `POST /api/v2/silences` (`id` set: replace that silence).
    public struct PostableSilence: Codable, Sendable, Equatable {
        public var id: String?
        public var matchers: [Matcher]
        public var startsAt: String
        public var endsAt: String
        public var createdBy: String
        public var comment: String

        public init(id: String? = nil, matchers: [Matcher], startsAt: String, endsAt: String, createdBy: String, comment: String) {
            self.id = id
            self.matchers = matchers
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.createdBy = createdBy
            self.comment = comment
        }
    }

    /// `gettableSilence`: a silence as `GET /api/v2/silences` and `/api/v2/silence/{id}` answer.
    public struct GettableSilence: Codable, Sendable, Equatable {
        public var id: String
        public var status: SilenceStatus
        public var updatedAt: String
        public var matchers: [Matcher]
        public var startsAt: String
        public var endsAt: String
        public var createdBy: String
        public var comment: String
    }

    /// `silenceStatus`.
    public struct SilenceStatus: Codable, Sendable, Equatable {
        /// By time: before `startsAt` pending, until `endsAt` active, then expired.
        public enum State: String, Codable, Sendable {
            case expired, active, pending
        }

        public var state: State
    }

    /// The answer to `POST /api/v2/silences`.
    public struct SilenceCreated: Codable, Sendable, Equatable {
        public var silenceID: String

        public init(silenceID: String) { self.silenceID = silenceID }
    }
}

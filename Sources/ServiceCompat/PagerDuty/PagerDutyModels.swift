/// PagerDuty Events API v2 (`POST /v2/enqueue`) documents, field for field.
public enum PagerDuty {}

extension PagerDuty {
    /// An event as PagerDuty's clients send it.
    public struct Event: Codable, Sendable, Equatable {
        public var routingKey: String
        public var eventAction: String
        public var dedupKey: String?
        public var payload: Payload?
        public var links: [Link]?
        public var images: [Image]?
        public var client: String?
        public var clientURL: String?

        enum CodingKeys: String, CodingKey {
            case routingKey = "routing_key", eventAction = "event_action", dedupKey = "dedup_key", payload, links, images, client
            case clientURL = "client_url"
        }

        public init(routingKey: String, eventAction: String, dedupKey: String? = nil, payload: Payload? = nil, links: [Link]? = nil,
                    images: [Image]? = nil, client: String? = nil, clientURL: String? = nil) {
            self.routingKey = routingKey
            self.eventAction = eventAction
            self.dedupKey = dedupKey
            self.payload = payload
            self.links = links
            self.images = images
            self.client = client
            self.clientURL = clientURL
        }
    }

    /// A trigger's `payload`; `custom_details` is any JSON object.
    public struct Payload: Codable, Sendable, Equatable {
        public var summary: String
        public var source: String
        public var severity: String
        public var timestamp: String?
        public var component: String?
        public var group: String?
        public var eventClass: String?
        public var customDetails: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case summary, source, severity, timestamp, component, group, eventClass = "class", customDetails = "custom_details"
        }

        public init(summary: String, source: String, severity: String, timestamp: String? = nil, component: String? = nil,
                    group: String? = nil, eventClass: String? = nil, customDetails: [String: JSONValue]? = nil) {
            self.summary = summary
            self.source = source
            self.severity = severity
            self.timestamp = timestamp
            self.component = component
            self.group = group
            self.eventClass = eventClass
            self.customDetails = customDetails
        }
    }

    /// A link attached to the alert.
    public struct Link: Codable, Sendable, Equatable {
        public var href: String
        public var text: String?

        public init(href: String, text: String? = nil) {
            self.href = href
            self.text = text
        }
    }

    /// An image attached to the alert.
    public struct Image: Codable, Sendable, Equatable {
        public var src: String
        public var href: String?
        public var alt: String?

        public init(src: String, href: String? = nil, alt: String? = nil) {
            self.src = src
            self.href = href
            self.alt = alt
        }
    }

    /// The 202 answer: `{"status": "success", "message": "Event processed", "dedup_key": …}`.
    public struct Accepted: Codable, Sendable, Equatable {
        public var status = "success"
        public var message = "Event processed"
        public var dedupKey: String

        enum CodingKeys: String, CodingKey {
            case status, message, dedupKey = "dedup_key"
        }

        public init(dedupKey: String) { self.dedupKey = dedupKey }
    }

    /// The 400 answer: `{"status": "invalid event", "message": "Event object is invalid",
    /// "errors": [...]}`, one line per problem.
    public struct Invalid: Error, Codable, Sendable, Equatable {
        public var status = "invalid event"
        public var message = "Event object is invalid"
        public var errors: [String]

        public init(errors: [String]) { self.errors = errors }
    }
}

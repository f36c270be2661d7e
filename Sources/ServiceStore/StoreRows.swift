import Foundation

/// One logged event: its tenant-scoped sequence number, time and encoded form.
public struct EventRow: Sendable, Equatable {
    public let seq: Int64
    /// Milliseconds since the Unix epoch: the `now` the engine handled it at.
    public let at: Int64
    public let body: Data

    public init(seq: Int64, at: Int64, body: Data) {
        self.seq = seq
        self.at = at
        self.body = body
    }
}

/// An engine snapshot taken after event `seq`, with the pack version then in force.
public struct SnapshotRow: Sendable, Equatable {
    public let seq: Int64
    public let packVersion: Int
    public let body: Data

    public init(seq: Int64, packVersion: Int, body: Data) {
        self.seq = seq
        self.packVersion = packVersion
        self.body = body
    }
}

/// A stored pack version: its hash, its source (the pack folder's files, for people) and its
/// artifact (what replay loads).
public struct PackRow: Sendable, Equatable {
    public let version: Int
    /// SHA-256 of the artifact, hex.
    public let hash: String
    public let source: Data
    public let artifact: Data
    public let loadedAt: Int64

    public init(version: Int, hash: String, source: Data, artifact: Data, loadedAt: Int64) {
        self.version = version
        self.hash = hash
        self.source = source
        self.artifact = artifact
        self.loadedAt = loadedAt
    }
}

/// An alert as the read model keeps it (the engine's `store` action).
public struct AlertRow: Sendable, Equatable {
    public let id: Int
    public let fingerprint: String
    public let alertname: String
    /// `firing`, `acknowledged` or `resolved`.
    public let status: String
    /// 0 info … 3 critical.
    public let severity: Int
    /// The labels as a JSON object (sorted keys).
    public let labels: String
    /// The engine's whole record of the alert as JSON (`EngineAlert`).
    public let record: String
    public let updatedAt: Int64

    public init(id: Int, fingerprint: String, alertname: String, status: String, severity: Int, labels: String, record: String, updatedAt: Int64) {
        self.id = id
        self.fingerprint = fingerprint
        self.alertname = alertname
        self.status = status
        self.severity = severity
        self.labels = labels
        self.record = record
        self.updatedAt = updatedAt
    }
}

/// One entry of an alert's timeline: what happened (`received`, `routed`, `notified`, …), when,
/// with its details.
public struct TimelineRow: Sendable, Equatable {
    public let alertID: Int
    /// The event that made it, and its place among that event's entries.
    public let seq: Int64
    public let index: Int
    public let at: Int64
    public let kind: String
    public let detail: String

    public init(alertID: Int, seq: Int64, index: Int, at: Int64, kind: String, detail: String) {
        self.alertID = alertID
        self.seq = seq
        self.index = index
        self.at = at
        self.kind = kind
        self.detail = detail
    }
}

/// A notification to deliver. Its id is deterministic (`OutboxID`): the same event replayed
/// makes the same id, and the id is unique, so nothing is recorded (or sent) twice.
public struct OutboxRow: Sendable, Equatable {
    public let id: OutboxID
    public let at: Int64
    public let channel: String
    public let alertID: Int
    /// `firing`, `acknowledged` or `resolved`.
    public let kind: String
    public let level: Int?
    public let group: String
    /// `pending` until delivered.
    public let status: String

    public init(id: OutboxID, at: Int64, channel: String, alertID: Int, kind: String, level: Int?, group: String, status: String = "pending") {
        self.id = id
        self.at = at
        self.channel = channel
        self.alertID = alertID
        self.kind = kind
        self.level = level
        self.group = group
        self.status = status
    }
}

/// A notification's identity: its tenant, the event that made it and its place among that
/// event's notifications.
public struct OutboxID: Sendable, Hashable, CustomStringConvertible {
    public let tenant: TenantID
    public let seq: Int64
    public let index: Int

    public init(tenant: TenantID, seq: Int64, index: Int) {
        self.tenant = tenant
        self.seq = seq
        self.index = index
    }

    /// As the API and the delivery log show it: `tenant-seq-index`.
    public var description: String { "\(tenant.name)-\(seq)-\(index)" }
}

/// What the alert list returns: a page, newest first, and where the next one starts.
public struct AlertPage: Sendable, Equatable {
    public let alerts: [AlertRow]
    /// The id to pass as `before` for the next page; nil on the last one.
    public let next: Int?

    public init(alerts: [AlertRow], next: Int?) {
        self.alerts = alerts
        self.next = next
    }
}

/// The alert list's filters (all optional) and page.
public struct AlertQuery: Sendable, Equatable {
    public var status: String?
    public var severity: Int?
    /// Labels that must have these values.
    public var labels: [(String, String)] = []
    public var limit = 50
    /// Only alerts with a lower id (the previous page's `next`).
    public var before: Int?

    public init() {}

    public static func == (a: AlertQuery, b: AlertQuery) -> Bool {
        a.status == b.status && a.severity == b.severity && a.labels.elementsEqual(b.labels, by: ==) && a.limit == b.limit && a.before == b.before
    }
}

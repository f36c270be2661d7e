extension Alertmanager {
    /// `alertmanagerStatus`: the body of `GET /api/v2/status`, which `amtool` reads before
    /// every command.
    public struct Status: Codable, Sendable, Equatable {
        public var cluster: ClusterStatus
        public var versionInfo: VersionInfo
        public var config: Config
        public var uptime: String
    }

    /// `clusterStatus`. RuleLang has no gossip cluster: one process is "ready" with no peers.
    public struct ClusterStatus: Codable, Sendable, Equatable {
        public var name: String?
        public var status: String
        public var peers: [Peer]
    }

    /// `peerStatus` (always an empty list here).
    public struct Peer: Codable, Sendable, Equatable {
        public var name: String
        public var address: String
    }

    /// `versionInfo`: all six fields are required by Alertmanager's document.
    public struct VersionInfo: Codable, Sendable, Equatable {
        public var branch: String
        public var buildDate: String
        public var buildUser: String
        public var goVersion: String
        public var revision: String
        public var version: String
    }

    /// `alertmanagerConfig`: the configuration text. Here, the tenant's active pack source.
    public struct Config: Codable, Sendable, Equatable {
        public var original: String
    }

    /// The Alertmanager release whose API v2 these routes implement. `versionInfo.version`
    /// says this, not the service's own version: amtool compares its major and minor version
    /// with its own and prints a warning before every command when they differ.
    public static let apiVersion = "0.25.0"

    /// The status of a RuleLang service started at `startedAt`, with the tenant's pack source
    /// as its configuration. `version` is `apiVersion`; the service's own version and revision
    /// are in `branch` (`rulelang-<version>`) and `revision`; `goVersion` names the Swift
    /// toolchain instead (amtool only prints it).
    public static func status(serviceVersion: String, revision: String, startedAt: Int64, packSource: String) -> Status {
        Status(cluster: ClusterStatus(name: nil, status: "ready", peers: []),
               versionInfo: VersionInfo(branch: "rulelang-\(serviceVersion)", buildDate: "", buildUser: "rulelang", goVersion: "swift",
                                        revision: revision, version: apiVersion),
               config: Config(original: packSource), uptime: CompatTime.format(startedAt))
    }
}

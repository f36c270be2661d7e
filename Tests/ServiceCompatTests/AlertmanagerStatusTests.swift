import Foundation
import ServiceCompat
import Testing

/// `GET /api/v2/status`, which amtool reads before each command.
@Suite struct AlertmanagerStatusTests {
    @Test func statusHasAlertmanagersShapeAndAReadyClusterOfOne() throws {
        let status = Alertmanager.status(serviceVersion: "0.1.0", revision: "abc123", startedAt: Fixtures.ms("2026-12-07T23:36:03Z"),
                                         packSource: "rulelang: 1\n")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(status), as: UTF8.self)
        #expect(json == """
            {"cluster":{"peers":[],"status":"ready"},"config":{"original":"rulelang: 1\\n"},"uptime":"2026-12-07T23:36:03.000Z",\
            "versionInfo":{"branch":"rulelang-0.1.0","buildDate":"","buildUser":"rulelang","goVersion":"swift","revision":"abc123","version":"0.25.0"}}
            """)
        let real = try #require(Fixtures.amtool("GET", "/api/v2/status").first?.response)
        let ours = try JSONSerialization.jsonObject(with: Data(json.utf8))
        #expect(keyPaths(ours) == keyPaths(real))
    }
}

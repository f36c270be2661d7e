import Testing
import RuleVM

/// The VM's cached zone offsets answer exactly as asking the zone database each time.
@Suite struct ZoneClockTests {
    /// Every 7 minutes over two years, forwards and then backwards (a cached span must not be
    /// trusted before its start), in zones with DST, half-hour DST, odd offsets and none.
    @Test(arguments: ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC", "Not/AZone"])
    func cachedOffsetsMatchTheZoneDatabase(zone: String) {
        let clock = ZoneClock(zone)
        let start: Int64 = 1_735_689_600_000            // 2025-01-01T00:00:00Z
        let step: Int64 = 7 * 60_000
        let steps = 2 * 365 * 24 * 60 / 7
        var mismatches = 0
        for i in Array(0..<steps) + Array((0..<steps).reversed()) {
            let ms = start + Int64(i) * step
            if clock.local(ms)! != TimeMath.local(ms, zone: zone)! { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// Around London's spring transition (2026-03-29T01:00:00Z) to the millisecond.
    @Test func theTransitionInstant() {
        let clock = ZoneClock("Europe/London")
        let t: Int64 = 1_774_746_000_000
        #expect(clock.offsetMs(at: t - 1) == 0)
        #expect(clock.offsetMs(at: t) == 3_600_000)
        #expect(clock.offsetMs(at: t - 1) == 0)
        #expect(clock.local(t)! == (weekday: 7, minute: 120))
    }
}

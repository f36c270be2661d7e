import Testing
import RuleVM
import RuleText

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

    /// A name outside the IANA alphabet is no zone, whatever Foundation makes of it: the VM, the
    /// artifact loader and the checker share `ZoneNames`.
    @Test func zoneNamesAreSpeltInTheIANAAlphabet() {
        let summer: Int64 = 1_782_864_000_000           // 2026-07-01T00:00:00Z
        #expect(ZoneClock("Europe/Paris").offsetMs(at: summer) == 7_200_000)
        for name in ["Europe/Paris\0garbage", "Europe/Paris ", "", String(repeating: "A", count: 65), "Europe/Paris\n"] {
            #expect(ZoneNames.zone(name) == nil, "\(name.debugDescription)")
            #expect(ZoneClock(name).offsetMs(at: summer) == 0, "\(name.debugDescription)")
            #expect(TimeMath.local(summer, zone: name)! == (weekday: 3, minute: 0), "\(name.debugDescription)")
        }
        #expect(ZoneNames.zone("America/Argentina/Buenos_Aires") != nil && ZoneNames.zone("Etc/GMT+5") != nil)
    }

    /// The ends of time (and years 0 and 9999) in zones ahead of and behind UTC: an answer or
    /// nil (past the range of a time once the offset is added), never a trap.
    @Test(arguments: ["UTC", "Asia/Tokyo", "America/New_York", "Australia/Lord_Howe", "Not/AZone"])
    func extremeTimesNeverTrap(zone: String) {
        let clock = ZoneClock(zone)
        let year0: Int64 = -62_167_219_200_000, year9999: Int64 = 253_402_300_799_999
        var answers: [String] = []
        for ms in [Int64.min, Int64.min + 1, year0, year9999, Int64.max - 1, Int64.max, year0, Int64.min] {
            let offset = clock.offsetMs(at: ms)
            #expect(abs(offset) <= 14 * 3_600_000)
            answers.append(clock.local(ms).map { "\($0.weekday)/\($0.minute)" } ?? "nil")
            _ = clock.inWindow(ms, WindowSpec(name: "w", weekdays: 0xFE, startMinute: 0, endMinute: 1440, zone: zone).times)
        }
        let ahead = zone == "Asia/Tokyo", behind = zone == "America/New_York"
        #expect(answers[0] == (behind ? "nil" : answers[7]))
        #expect(answers[5] == (ahead ? "nil" : answers[5]))
        #expect(answers[2] == answers[6])
        #expect(CanonicalText.text(.time(Int64.max)) == "292278994-08-17T07:12:55.807Z")
        #expect(CanonicalText.text(.time(Int64.min)) == "-292275055-05-16T16:47:04.192Z")
        #expect(CanonicalText.text(.time(year9999)) == "9999-12-31T23:59:59.999Z")
        #expect(CanonicalText.text(.time(year0)) == "0000-01-01T00:00:00Z")
        #expect(CanonicalText.text(.duration(Int64.min)) == "-106751991167d7h12m55s808ms")
    }
}

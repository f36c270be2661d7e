import Testing
@testable import RuleLang

/// A duration literal in an expression has the maximum every duration of a pack has (3650d):
/// longer is E0012 at the literal when the pack is checked, not a value near the 64-bit limit.
@Suite struct DurationLiteralTests {
    @Test(arguments: [
        ("age() > 3651d", "6:20 E0012 duration `3651d` is longer than the maximum of 3650d"),
        ("age() > 3650d1ms", "6:20 E0012 duration `3650d1ms` is longer than the maximum of 3650d"),
        ("age() > 106751991167d", "6:20 E0012 duration `106751991167d` is longer than the maximum of 3650d"),
        ("age() > 106751991168d", "6:20 E0012 duration `106751991168d` is out of range"),
        ("age() < 0s - 3651d", "6:25 E0012 duration `3651d` is longer than the maximum of 3650d"),
    ])
    func overTheMaximum(_ expression: String, _ expected: String) {
        let d = check(routePack(Quote.single(expression))).filter { $0.severity == .error }
        #expect(d.map { "\(position($0)) \($0.code.id) \($0.message)" } == [expected])
    }

    @Test(arguments: ["age() > 3650d", "age() > 87600h", "age() > 3649d23h59m59s999ms", "age() > 3650d + 3650d"])
    func atTheMaximum(_ expression: String) {
        #expect(check(routePack(Quote.single(expression))).filter { $0.severity == .error }.isEmpty, "\(expression)")
    }
}

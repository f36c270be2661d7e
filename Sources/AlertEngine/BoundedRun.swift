/// A run of events through an engine (`rulec test`, `rulec simulate`) within a budget: at most
/// `maxTimerFirings` timers fired and `maxNotifications` notifications made. A pack whose timers
/// fire too often (a `1ms` `group_interval` for a day is 86 million checks) stops the run at the
/// cap, with a message naming it, instead of exhausting time and memory.
public struct BoundedRun {
    /// The most timers (group checks, escalation steps, deadlines, correlation timers) one run fires.
    public static let maxTimerFirings = 100_000
    /// The most notifications one run makes.
    public static let maxNotifications = 100_000

    /// The notifications made so far, in the order the events returned them.
    public private(set) var notifications: [Notification] = []
    /// The audit entries made so far, in order.
    public private(set) var audit: [AuditEntry] = []
    private var fired = 0

    public init() {}

    /// Has the engine handle `event` at `now` within what is left of the budget; returns why
    /// the run must stop here, or nil.
    public mutating func step(_ engine: inout Engine, _ event: EngineEvent, at now: Int64) -> String? {
        engine.maxTimersPerEvent = Self.maxTimerFirings - fired
        for action in engine.handle(event, at: now) {
            switch action {
            case .notify(let n): notifications.append(n)
            case .audit(let entry): audit.append(entry)
            case .store, .forget, .schedule: break
            }
        }
        fired += engine.timersFired
        if engine.overdue(at: now) {
            return "stopped after \(Self.grouped(Self.maxTimerFirings)) timer firings, the most one run may make: "
                + "the timers (group_interval, repeat_interval, escalations, correlations) fire too often"
        }
        if notifications.count > Self.maxNotifications {
            return "stopped after \(Self.grouped(Self.maxNotifications)) notifications, the most one run may make"
        }
        return nil
    }

    /// `n` with a comma every three digits, as messages print counts.
    static func grouped(_ n: Int) -> String {
        var digits = Array(String(n)), out = ""
        while digits.count > 3 {
            out = "," + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return String(digits) + out
    }
}

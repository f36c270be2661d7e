import Testing
import AlertEngine

/// An alert's labels as the engine keeps them: sorted by the bytes of their names, and enrich
/// sets applied as `labels[name] = value` in order.
@Suite struct LabelSetTests {
    @Test func namesAreSortedByTheirBytes() {
        let labels = LabelSet(["b": "2", "a": "1", "Z": "0", "ab": "3", "é": "4", "_": "5"])
        #expect(labels.keys == ["Z", "_", "a", "ab", "b", "é"])
    }

    @Test func setsApplyInOrderLikeAssignments() {
        let labels = LabelSet(["alertname": "Down", "service": "api", "env": "prod"])
        let sets: [(label: String, value: String)] = [
            ("priority", "P2"),          // new
            ("service", "api-gw"),       // replaces
            ("annotations.x", "skip"),   // not a label here
            ("aaa", "first"),            // new, sorts first
            ("priority", "P1"),          // the same new name again: the later value wins
            ("service", "edge"),         // the same existing name again
        ]
        let applied = labels.applying(sets) { $0.hasPrefix("annotations.") ? nil : $0 }
        #expect(applied.keys == ["aaa", "alertname", "env", "priority", "service"])
        #expect(applied.dictionary == ["aaa": "first", "alertname": "Down", "env": "prod", "priority": "P1", "service": "edge"])
        // Built at its final size: as many pairs as names, the original untouched.
        #expect(applied.count == 5 && labels.count == 3)
        #expect(labels.applying([("annotations.x", "y")]) { $0.hasPrefix("annotations.") ? nil : $0 } == labels)
        // The same result as assigning one set after another.
        var assigned = labels
        for (name, value) in sets where !name.hasPrefix("annotations.") { assigned[name] = value }
        #expect(applied == assigned && applied.keys == assigned.keys)
    }

    /// In place with room reserved, in a copy without it or when the array is shared: the same
    /// labels either way, and a shared copy stays as it was.
    @Test func applyingInPlaceOrInACopy() {
        let sets: [(label: String, value: String)] = [("zone", "a"), ("env", "staging"), ("b", "1")]
        let expected = ["alertname": "Down", "b": "1", "env": "staging", "zone": "a"]
        for room in [0, 1, 2, 5] {
            var labels = LabelSet(["alertname": "Down", "env": "prod"], reserving: room)
            let shared = labels
            labels.apply(sets) { $0 }
            #expect(labels.dictionary == expected && labels.keys == ["alertname", "b", "env", "zone"], "room \(room)")
            #expect(shared.dictionary == ["alertname": "Down", "env": "prod"], "room \(room)")
            var alone = LabelSet(["alertname": "Down", "env": "prod"], reserving: room)
            alone.apply(sets) { $0 }
            #expect(alone == labels, "room \(room)")
        }
    }

    /// Room reserved and not used is dropped when it is more than one pair; the labels stay.
    @Test func unusedRoomIsDropped() {
        var labels = LabelSet(["alertname": "Down", "env": "prod"], reserving: 4)
        labels.apply([("zone", "a")]) { $0 }
        labels.dropSpareRoom()
        #expect(labels.dictionary == ["alertname": "Down", "env": "prod", "zone": "a"])
        #expect(labels.keys == ["alertname", "env", "zone"])
    }
}


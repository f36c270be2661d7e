import Foundation
import Testing
import AlertEngine

/// The engine's string-keyed table (open alerts, groups) against `Dictionary` as the oracle.
@Suite struct ByteKeyedMapTests {
    /// Random inserts, updates and removals (removal shifts entries back: no tombstones) keep
    /// the table equal to a dictionary doing the same, through several growths.
    @Test func behavesLikeADictionary() {
        var rng = WindowAggregateTests.Rng(s: 7)
        var table = ByteKeyedMap<Int>()
        var oracle: [String: Int] = [:]
        for step in 0..<20_000 {
            // Few distinct keys early (collisions, updates), more later (growth).
            let key = "fp-\(rng.next(50 + step / 4))"
            if rng.next(3) == 0 {
                if let i = table.index(forKey: key) {
                    #expect(table.remove(at: i) == (key: key, value: oracle[key]!))
                } else {
                    #expect(oracle[key] == nil)
                }
                oracle[key] = nil
            } else {
                table[key] = step
                oracle[key] = step
            }
        }
        #expect(table.count == oracle.count)
        for (k, v) in oracle { #expect(table[k] == v) }
        #expect(Set(table.keys) == Set(oracle.keys))
        #expect(table.values.sorted() == oracle.values.sorted())
        #expect(table["absent"] == nil)
    }

    @Test func copiesAreIndependent() {
        var a = ByteKeyedMap<[Int]>()
        a["g"] = [1]
        var b = a
        b[at: b.index(forKey: "g")!].append(2)
        b["h"] = [3]
        #expect(a["g"] == [1] && a["h"] == nil && a.count == 1)
        #expect(b["g"] == [1, 2] && b["h"] == [3])
        #expect(a != b)
        a["g"] = [1, 2]
        a["h"] = [3]
        #expect(a == b)
    }

    /// Keys are compared by their bytes: canonically equivalent spellings are two keys (two
    /// alerts' fingerprints, two groups), and both survive a JSON round trip.
    @Test func keysAreBytes() throws {
        var t = ByteKeyedMap<Int>()
        t["caf\u{E9}"] = 1
        t["cafe\u{301}"] = 2
        #expect(t.count == 2)
        #expect(t["caf\u{E9}"] == 1 && t["cafe\u{301}"] == 2)
        let back = try JSONDecoder().decode(ByteKeyedMap<Int>.self, from: JSONEncoder().encode(t))
        #expect(back == t)
        #expect(back["cafe\u{301}"] == 2)
        // Only the flat list decodes: a JSON object (as `[String: Value]` encodes) is not one.
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ByteKeyedMap<Int>.self, from: Data(#"{"a": 1, "b{x=1}": 2}"#.utf8)) }
    }
}

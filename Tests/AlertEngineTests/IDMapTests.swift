import Foundation
import Testing
@testable import AlertEngine

/// The id map reads, compares and encodes as the dictionary it replaces, whatever the order of
/// its stores and removals (ids landing on one bucket, runs wrapping past the table's end).
@Suite struct IDMapTests {
    @Test func behavesAsADictionaryThroughStoresAndRemovals() {
        var map = IDMap<Int>(), reference: [Int: Int] = [:]
        // A fixed pseudo-random sequence (Knuth's MMIX linear congruential step), the same on every run.
        var x: UInt64 = 7
        func next() -> UInt64 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return x >> 33
        }
        // Ids in a sliding range (as the engine's), some far apart, some sharing low bits.
        for step in 0..<20_000 {
            let id: Int
            switch next() % 4 {
            case 0: id = step
            case 1: id = Int(next() % 64) * 1024 + 3
            case 2: id = -Int(next() % 100)
            default: id = step - Int(next() % 500)
            }
            let value: Int? = next() % 3 == 0 ? nil : Int(next() % 1000)
            map[id] = value
            reference[id] = value
            if step % 997 == 0 {
                #expect(map.dictionary == reference)
                #expect(map.count == reference.count)
            }
        }
        for (id, value) in reference { #expect(map[id] == value) }
        #expect(map.dictionary == reference)
        for id in reference.keys { map[id] = nil }
        #expect(map.isEmpty && map.dictionary.isEmpty)
    }

    @Test func encodesAsTheDictionaryItReplaces() throws {
        var map = IDMap<UInt64>()
        map[3] = 30
        map[1_027] = 40      // the same low bits as 3 in a small table
        map[1] = 10
        let reference: [Int: UInt64] = [3: 30, 1_027: 40, 1: 10]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(map) == encoder.encode(reference))
        let decoded = try JSONDecoder().decode(IDMap<UInt64>.self, from: encoder.encode(reference))
        #expect(decoded == map)
        #expect(decoded[1_027] == 40 && decoded[2] == nil)
    }
}

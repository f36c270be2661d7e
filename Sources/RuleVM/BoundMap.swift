/// The bound alert's labels (or annotations) as the enrich rules left them: the alert's own
/// dictionary and the sets made since, in order. The dictionary is never copied to apply a set
/// (binding shares it with the alert); `dictionary` applies the sets when the whole map is asked
/// for.
struct BoundMap {
    private(set) var base: [String: String] = [:]
    /// Each key at most once (a later set of an equal key replaces the value), spelled as the
    /// map keeps it.
    private var sets: [(key: String, value: String)] = []
    /// Whether every key of `base` is ASCII (nil: not known yet; the first set looks): then an
    /// ASCII name's spelling in the map is itself (two ASCII strings are canonically equivalent
    /// only when equal; a non-ASCII one may equal an ASCII one, as the Kelvin sign equals `K`).
    private var asciiKeys: Bool?

    /// `asciiKeys`: true when the binder saw that every key of `map` is ASCII (nil: not known).
    mutating func bind(_ map: [String: String], asciiKeys: Bool? = nil) {
        base = map
        // (Emptying an empty array with `keepingCapacity` allocates a buffer.)
        if !sets.isEmpty { sets.removeAll(keepingCapacity: true) }
        self.asciiKeys = asciiKeys
    }

    /// `map[name] = value`, returning the key the map keeps: an existing key keeps its spelling
    /// (Swift's canonical equivalence), a new one is `name`.
    mutating func set(_ name: String, _ value: String) -> String {
        for i in sets.indices where sets[i].key == name {
            sets[i].value = value
            return sets[i].key
        }
        if asciiKeys == nil { asciiKeys = base.keys.allSatisfy(Self.isASCII) }
        let key = asciiKeys == true && Self.isASCII(name) ? name : base.index(forKey: name).map { base.keys[$0] } ?? name
        sets.append((key, value))
        return key
    }

    static func isASCII(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? s.utf8.allSatisfy { $0 < 0x80 }
    }

    /// `map[name]` (Swift's String equality).
    subscript(name: String) -> String? {
        for s in sets where s.key == name { return s.value }
        return base[name]
    }

    /// The entry whose key has exactly these bytes (RuleLang compares bytes; Swift's String
    /// equality would also match canonically equivalent keys). A set key has the spelling of
    /// the base key it replaces, so a set found here hides exactly that entry.
    func value(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        for s in sets where s.key.utf8.elementsEqual(bytes) { return s.value }
        let k = String(decoding: bytes, as: UTF8.self)
        if let i = base.index(forKey: k), base[i].key.utf8.elementsEqual(bytes) { return base[i].value }
        return base.first { $0.key.utf8.elementsEqual(bytes) }?.value
    }

    /// The whole map, sets applied.
    var dictionary: [String: String] {
        guard !sets.isEmpty else { return base }
        var map = base
        map.reserveCapacity(base.count + sets.count)
        for s in sets { map[s.key] = s.value }
        return map
    }
}

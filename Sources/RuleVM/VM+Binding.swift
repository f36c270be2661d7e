// Binding an alert: its labels, annotations and fields copied into the VM's slots and input
// pool once, before any entry runs; and the engine's aggregates of the current window.
extension VM {
    /// Copies `s` into the input pool.
    func intern(_ s: String) -> Value {
        // Read where it is (`withUTF8` needs a mutable copy: a retain and a release each).
        if let v = s.utf8.withContiguousStorageIfAvailable({ intern(bytes: $0) }) { return v }
        var s = s
        return s.withUTF8 { intern(bytes: $0) }
    }

    private func intern(bytes b: UnsafeBufferPointer<UInt8>) -> Value {
        makeInputRoom(for: b.count)
        if b.count > 0 { (input.baseAddress! + inputUsed).update(from: b.baseAddress!, count: b.count) }
        defer { inputUsed += b.count }
        return .string(.input, offset: inputUsed, count: b.count)
    }

    /// Room in the input pool for `n` more bytes (and its 16 bytes of padding): a pool twice as
    /// big, or as big as needed, with the bytes in use copied over, when this one is short.
    @inline(__always)
    func makeInputRoom(for n: Int) {
        if inputUsed + n + 16 > input.count { growInput(for: n) }
    }

    @inline(never)
    private func growInput(for n: Int) {
        let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(input.count * 2, inputUsed + n + 16))
        bigger.initialize(repeating: 0)
        _ = bigger.initialize(from: input[0..<inputUsed])
        input.deallocate()
        input = bigger
    }

    /// Binds an alert once: every label the program reads gets its slot; `now` is the
    /// evaluation time in milliseconds since the epoch.
    public func bind(_ alert: AlertInput, now: Int64) {
        bindTag = nil
        inputUsed = 0
        generation += 1
        self.now = now
        for i in slots.indices { slots[i] = .missing }
        for i in annotationSlots.indices { annotationSlots[i] = .missing }
        for i in numberSlots.indices { numberSlots[i] = .missing }
        var alertname: String?
        // Whether every label name is ASCII, found on the way when every label is looked at.
        var asciiNames: Bool?
        if alert.labels.count <= slots.count + numberSlots.count + 1 {
            // Each label name is hashed once (its bytes) into the program's slots.
            var high: UInt8 = 0
            for (k, v) in alert.labels {
                let found = k.utf8.withContiguousStorageIfAvailable { b in
                    for x in b { high |= x }
                    return labelNames.lookup(UnsafeRawBufferPointer(b))
                }
                if found == nil { high |= 0x80 }      // (not contiguous: looked at by the map itself)
                guard let t = found ?? labelNames.value(k) else { continue }
                let target = labelTargets[t]
                if target.slot >= 0 { slots[Int(target.slot)] = intern(v) }
                if target.number >= 0 { numberSlots[Int(target.number)] = Self.number(v) }
                if target.alertname { alertname = v }
            }
            if high < 0x80 { asciiNames = true }
        } else {
            // Many more labels than the program reads: look up the ones it reads.
            for (s, name) in program.labelSlots.enumerated() {
                if let i = alert.labels.index(forKey: name), NameTable.sameBytes(alert.labels[i].key, name) { slots[s] = intern(alert.labels[i].value) }
            }
            // `number` labels and `alertname` are ASCII names: a dictionary look-up is exact.
            for (n, name) in program.numberSlots.enumerated() { if let v = alert.labels[name] { numberSlots[n] = Self.number(v) } }
            alertname = alert.labels["alertname"]
        }
        if !annotationSlots.isEmpty {
            for (k, v) in alert.annotations {
                if let s = annotationNames.value(k) { annotationSlots[s] = intern(v) }
            }
        }
        labelMap.bind(alert.labels, asciiKeys: asciiNames)
        annotationMap.bind(alert.annotations)
        fields[Int(Field.alertname.rawValue)] = alertname.map(intern) ?? .string(.input, offset: 0, count: 0)
        if let s = alertnameSlot { slots[s] = fields[Int(Field.alertname.rawValue)] }
        fields[Int(Field.severity.rawValue)] = .severity(alert.severity)
        fields[Int(Field.value.rawValue)] = alert.value.map(Value.float) ?? .missing
        fields[Int(Field.startsAt.rawValue)] = .time(alert.startsAt)
        fields[Int(Field.source.rawValue)] = alert.source.map(intern) ?? .missing
        fields[Int(Field.fingerprint.rawValue)] = intern(alert.fingerprint)
        fields[Int(Field.tenant.rawValue)] = intern(alert.tenant)
        fields[Int(Field.tier.rawValue)] = intern(alert.tier)
        fields[Int(Field.labels.rawValue)] = Value(tag: .map, bits: 0)
        fields[Int(Field.annotations.rawValue)] = Value(tag: .map, bits: 1)
        fields[Int(Field.now.rawValue)] = .time(now)
    }

    /// A `number` label's value: the label read as a finite float, else missing.
    static func number(_ text: String) -> Value {
        Double(text).flatMap { $0.isFinite ? Value.float($0) : nil } ?? .missing
    }

    /// The bound alert's labels and annotations, with what `setLabel`/`setAnnotation` changed.
    package var labels: [String: String] { labelMap.dictionary }
    package var annotations: [String: String] { annotationMap.dictionary }

    /// The bound alert's label `name` (after `setLabel`), without building the whole map.
    package func label(_ name: String) -> String? { labelMap[name] }

    /// The slot of the label named `name` (`Program.alertnameFieldSlot`: the `alertname`
    /// field), when the program reads it.
    package func labelSlot(_ name: String) -> Int? {
        guard let t = labelNames.value(name), labelTargets[t].slot >= 0 else { return nil }
        return Int(labelTargets[t].slot)
    }

    /// The bytes of a label slot's value as bound and set (nil: missing), for `body` only.
    package func withSlotBytes<R>(_ slot: Int, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        let v = slots[slot]
        guard v.tag == .string else { return body(nil) }
        return body(UnsafeRawBufferPointer(start: bytes(v), count: Int(v.count)))
    }

    /// Sets the aggregates of the current window (after `bind`): strings are copied into the
    /// input pool; lists are not aggregate results and read as missing.
    package func bindAggregates(_ values: [PlainValue]) {
        // Memo slots may hold values computed with the aggregates before.
        generation += 1
        aggregates = values.map { v in
            switch v {
            case .missing, .list, .map: .missing
            case .bool(let b): .bool(b)
            case .int(let i): .int(i)
            case .float(let d): .float(d)
            case .string(let s): intern(s)
            case .duration(let ms): .duration(ms)
            case .time(let ms): .time(ms)
            case .severity(let s): .severity(min(s, 3))
            }
        }
    }
}

/// What an enrich rule's sets change in the bound alert: its labels and annotations, as a new
/// bind with them would, without reading the rest again.
extension VM {
    /// After `bind`: the bound alert's label `name` now has `value` (an enrich rule set it), as
    /// if the alert had been bound again with `labels[name] = value`, without re-reading the
    /// rest. Slots follow the key the label dictionary keeps (an existing key keeps its
    /// spelling, as `labels[name] = value` does under Swift's canonical equivalence). Memo
    /// slots are invalidated (a shared subexpression may read the label) unless the set
    /// changes nothing.
    package func setLabel(_ name: String, _ value: String) {
        // A set that changes nothing (a normalizing rule's usual case: `lower(psp)` of a value
        // already in lower case) leaves the bound alert as it is, its memo slots valid. Only a
        // label with a slot is looked at: the slot holds the bytes of its value as the map has it.
        let named = labelNames.value(name)
        if let t = named, labelTargets[t].slot >= 0, slotHolds(Int(labelTargets[t].slot), value) { return }
        generation += 1
        let key = labelMap.set(name, value)
        guard let t = NameTable.sameBytes(key, name) ? named : labelNames.value(key) else { return }
        let target = labelTargets[t]
        if target.slot >= 0 { slots[Int(target.slot)] = intern(value) }
        if target.number >= 0 { numberSlots[Int(target.number)] = Self.number(value) }
        if target.alertname {
            fields[Int(Field.alertname.rawValue)] = intern(value)
            if let s = alertnameSlot { slots[s] = fields[Int(Field.alertname.rawValue)] }
        }
    }

    /// After `bind`: the bound alert's annotation `name` now has `value` (as `setLabel`).
    package func setAnnotation(_ name: String, _ value: String) {
        generation += 1
        let key = annotationMap.set(name, value)
        if let s = annotationNames.value(key) { annotationSlots[s] = intern(value) }
    }

    /// Whether label slot `slot` holds a string of exactly `value`'s bytes.
    fileprivate func slotHolds(_ slot: Int, _ value: String) -> Bool {
        let v = slots[slot]
        guard v.tag == .string else { return false }
        let held = UnsafeRawBufferPointer(start: bytes(v), count: Int(v.count))
        if let same = value.utf8.withContiguousStorageIfAvailable({ NameTable.same(held, UnsafeRawBufferPointer($0)) }) { return same }
        return held.elementsEqual(value.utf8)
    }
}

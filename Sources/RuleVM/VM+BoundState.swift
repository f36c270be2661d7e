/// The VM's state of the bound alert, behind `VM.bound`, and the properties that reach it.
extension VM {
    /// The input pool (bound label values; replaced by a bigger one when full).
    var input: UnsafeMutableBufferPointer<UInt8> {
        get { bound.pointee.input }
        set {
            bound.pointee.input = newValue
            inputBase.pointee = newValue.baseAddress!
        }
    }
    var inputUsed: Int {
        get { bound.pointee.inputUsed }
        set { bound.pointee.inputUsed = newValue }
    }
    /// The alert's maps, for computed keys (`labels[k]`).
    var labelMap: BoundMap {
        get { bound.pointee.labelMap }
        _modify { yield &bound.pointee.labelMap }
    }
    var annotationMap: BoundMap {
        get { bound.pointee.annotationMap }
        _modify { yield &bound.pointee.annotationMap }
    }
    /// Aggregates of the current window, supplied by the engine.
    package var aggregates: [Value] {
        get { bound.pointee.aggregates }
        set { bound.pointee.aggregates = newValue }
    }
    /// What the caller says it bound, to skip binding the same again; every `bind` clears it.
    package var bindTag: (id: Int, at: Int64)? {
        get { bound.pointee.bindTag }
        set { bound.pointee.bindTag = newValue }
    }
    var now: Int64 {
        get { bound.pointee.now }
        set { bound.pointee.now = newValue }
    }
}

extension VM {
    /// Binds the alert `other` has bound, as it stands there (enrich sets included), at `now`:
    /// its slots, fields, maps and input bytes copied, no dictionary walked and no name looked
    /// up. False (nothing bound) when `other` runs another program.
    package func adoptBinding(of other: VM, now: Int64) -> Bool {
        guard other !== self, other.program === program else { return false }
        bindTag = nil
        generation += 1
        self.now = now
        // Every bound value lies in the input pool (or is not a string): its bytes come along.
        let used = other.inputUsed
        inputUsed = 0
        makeInputRoom(for: used)
        if used > 0 { input.baseAddress!.update(from: other.input.baseAddress!, count: used) }
        inputUsed = used
        func copy(_ mine: UnsafeMutableBufferPointer<Value>, _ theirs: UnsafeMutableBufferPointer<Value>) {
            if !mine.isEmpty { mine.baseAddress!.update(from: theirs.baseAddress!, count: mine.count) }
        }
        copy(slots, other.slots)
        copy(annotationSlots, other.annotationSlots)
        copy(numberSlots, other.numberSlots)
        copy(fields, other.fields)
        fields[Int(Field.now.rawValue)] = .time(now)
        labelMap = other.labelMap
        annotationMap = other.annotationMap
        return true
    }
}

/// The VM's state of the bound alert (see `VM.bound`).
struct BoundState {
    var input: UnsafeMutableBufferPointer<UInt8>
    var inputUsed = 0
    var labelMap = BoundMap()
    var annotationMap = BoundMap()
    var aggregates: [Value] = []
    var bindTag: (id: Int, at: Int64)?
    var now: Int64 = 0
}

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
    public var aggregates: [Value] {
        get { bound.pointee.aggregates }
        set { bound.pointee.aggregates = newValue }
    }
    /// What the caller says it bound, to skip binding the same again; every `bind` clears it.
    public var bindTag: (id: Int, at: Int64)? {
        get { bound.pointee.bindTag }
        set { bound.pointee.bindTag = newValue }
    }
    var now: Int64 {
        get { bound.pointee.now }
        set { bound.pointee.now = newValue }
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the phases that recurse over a pack's syntax (checking, lowering, the optimizer) on a
/// thread with a stack sized for the deepest tree the limits let through.
///
/// Every recursion whose depth the input controls is bounded (2,000 expression levels with
/// macros expanded, 128 YAML levels, 8 loops), but a bound is only safe if the stack holds it:
/// a debug build spends several kilobytes a level, and a thread's default stack (8 MiB on the
/// main thread, 512 KiB on others) does not hold 2,000 of them. The reserved stack is address
/// space, not memory: only the pages a deep pack touches are ever mapped.
public enum DeepStack {
    /// Bytes of stack reserved for a front-end or compiler run.
    public static let size = 256 << 20

    /// `body`'s result, computed on a thread with a `size`-byte stack; on this thread when no
    /// such thread can be made (address space exhausted), where the limits still hold in release builds.
    public static func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { escapable in
            let result = Box<T>()
            let job = Job { result.value = escapable() }
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, size)
            let context = Unmanaged.passRetained(job).toOpaque()
            #if canImport(Glibc)
            var thread = pthread_t()
            #else
            var thread: pthread_t?
            #endif
            let started = pthread_create(&thread, &attributes, { raw in
                Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().body()
                return nil
            }, context)
            guard started == 0 else {
                Unmanaged<Job>.fromOpaque(context).release()
                return escapable()
            }
            #if canImport(Glibc)
            pthread_join(thread, nil)
            #else
            pthread_join(thread!, nil)
            #endif
            return result.value!
        }
    }

    /// The work handed to the thread.
    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// The work's result, read only after the thread is joined.
    private final class Box<T> {
        var value: T?
    }
}

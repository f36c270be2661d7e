import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How `rulec` writes a file it was asked for (`compile -o`, `test --junit`): a
/// regular file (or a new one) atomically — a temporary file in the same folder, flushed, then
/// renamed over the target, so a reader never sees half an artifact; anything else that exists
/// (`/dev/stdout`, `/dev/null`, a pipe, `/dev/full`) is written in place, never replaced. Every
/// failure (no space, no permission, a folder) is reported with the system's reason and exit
/// status 2.
enum OutputFile {
    /// Writes `bytes` to `path`, or reports why not on standard error and exits with status 2.
    static func write(_ bytes: [UInt8], to path: String) throws {
        if let reason = tryWrite(bytes, to: path) {
            FileHandle.standardError.write(Data("cannot write `\(path)`: \(reason)\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
    }

    /// Nil when written, else the reason.
    static func tryWrite(_ bytes: [UInt8], to path: String) -> String? {
        var info = stat()
        // A symbolic link is followed: the file it names is what is replaced, not the link.
        let target = lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
            ? URL(fileURLWithPath: path).resolvingSymlinksInPath().path : path
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: return "it is a folder"
            default: return writeInPlace(bytes, to: target)
            }
        }
        return writeAtomically(bytes, to: target)
    }

    /// A special file (device, pipe, socket) opened as it is and written through.
    private static func writeInPlace(_ bytes: [UInt8], to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return reason() }
        if let failed = writeAll(bytes, fd) {
            close(fd)
            return failed
        }
        return close(fd) == 0 ? nil : reason()
    }

    /// A temporary file beside `path`, written, flushed to disk and renamed over it.
    private static func writeAtomically(_ bytes: [UInt8], to path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return reason() }
        var failed = writeAll(bytes, fd)
        if failed == nil, fsync(fd) != 0 { failed = reason() }
        if close(fd) != 0, failed == nil { failed = reason() }
        if failed == nil, rename(temporary, path) != 0 { failed = reason() }
        if failed != nil { unlink(temporary) }
        return failed
    }

    /// Writes every byte (a short write continues where it stopped), or the reason it could not.
    private static func writeAll(_ bytes: [UInt8], _ fd: Int32) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return reason()
                }
                done += n
            }
            return nil
        }
    }

    /// The system's text for the last error (`No space left on device`).
    private static func reason() -> String { String(cString: strerror(errno)) }
}

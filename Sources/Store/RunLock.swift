#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The exclusive right to sweep into one store: a `flock(LOCK_EX|LOCK_NB)` on
/// `<store>.lock`, which holds the holder's pid for the error message. The kernel
/// drops the lock when the process dies; `release()` or deinit drop it earlier.
/// flock belongs to the open file description, so a second handle in the same
/// process is refused too.
public final class RunLock: Sendable {
    /// The lock file.
    public let path: String
    private let fd: Mutex<Int32>

    /// Takes the lock on `lockPath`; `storePath` names the store in the busy error.
    init(lockPath: String, storePath: String) throws {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError(path: lockPath, message: Self.errnoText()) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            let holder = Self.readPID(fd)
            close(fd)
            if failure == EWOULDBLOCK { throw StoreError.busy(path: storePath, pid: holder) }
            throw StoreError(path: lockPath, message: String(cString: strerror(failure)))
        }
        // Record our pid for whoever finds the lock taken; losing it only shortens their message.
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        self.path = lockPath
        self.fd = Mutex(fd)
    }

    /// Drops the lock now. Idempotent.
    public func release() {
        fd.withLock { fd in
            guard fd >= 0 else { return }
            // Closing the last descriptor of the description releases the flock.
            close(fd)
            fd = -1
        }
    }

    /// True until `release()`.
    public var isHeld: Bool { fd.withLock { $0 >= 0 } }

    deinit { release() }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let digits = buffer[0..<n].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return Int32(String(decoding: digits, as: UTF8.self))
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

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
package final class RunLock: Sendable {
    /// The lock file (or, for another store's lock, what it names).
    package let path: String
    private let state: Mutex<State>

    private enum State {
        case file(Int32)
        case custom(@Sendable () -> Void)
        case released
    }

    /// A lock held by some other mechanism (a PostgreSQL advisory lock, say):
    /// `release` runs once, on `release()` or deinit.
    package init(name: String, release: @escaping @Sendable () -> Void) {
        self.path = name
        self.state = Mutex(.custom(release))
    }

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
        self.state = Mutex(.file(fd))
    }

    /// Drops the lock now. Idempotent.
    package func release() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            defer { state = .released }
            switch state {
            case .file(let fd):
                // Closing the only descriptor of the open file description releases the flock.
                close(fd)
                return nil
            case .custom(let release):
                return release
            case .released:
                return nil
            }
        }
        action?()
    }

    /// True until `release()`.
    package var isHeld: Bool {
        state.withLock { if case .released = $0 { false } else { true } }
    }

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

import Foundation
import Synchronization
import XCTest
@testable import Fetch
import LocalServer

/// A counter shared between handler threads and the test.
final class Counter: Sendable {
    private let state = Mutex((value: 0, inFlight: 0, maxInFlight: 0))
    func next() -> Int {
        state.withLock {
            $0.value += 1; return $0.value
        }
    }
    var value: Int { state.withLock { $0.value } }
    func enter() {
        state.withLock {
            $0.inFlight += 1; $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
    }
    func leave() { state.withLock { $0.inFlight -= 1 } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
}

func makeClient(_ tweak: (inout FetchConfiguration) -> Void = { _ in }) throws -> HTTPClient {
    var c = FetchConfiguration()
    c.totalTimeout = 5
    c.connectTimeout = 2
    tweak(&c)
    return try HTTPClient(configuration: c)
}

/// A port on 127.0.0.1 that nothing listens on (a server bound, then stopped).
func closedPort() throws -> Int {
    let s = try LocalServer { _ in .status(200) }
    let p = s.port
    s.stop()
    return p
}

func elapsed(_ start: Date) -> Double { Date().timeIntervalSince(start) }

/// Pre-made gzip of "<html><body>gzip works 政府</body></html>\n" three times.
let gzipBytes: [UInt8] = [
    31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 179, 201, 40, 201, 205, 177, 179, 73, 202, 79, 169, 180, 75, 175, 202, 44, 80,
    40, 207, 47, 202, 46, 86, 120, 54, 101, 255, 211, 93, 115, 108, 244, 193, 226, 54, 250, 96, 69, 92, 54, 52, 82,
    11, 0, 196, 91, 254, 180, 132, 0, 0, 0,
]
let gzipPlain = String(repeating: "<html><body>gzip works 政府</body></html>\n", count: 3)

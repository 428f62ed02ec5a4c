import XCTest
import Store
import Vocabulary

final class KeyTableTests: XCTestCase {
    /// Random inserts, removals and lookups agree with Set / Dictionary, through growth,
    /// colliding low bits and the keys 0 and 1.
    func testAgreesWithSetAndDictionary() {
        var rng = SystemRandomNumberGenerator()
        var set = KeySet()
        var reference = Set<UInt64>()
        var map = KeyMap()
        var referenceMap: [UInt64: Int64] = [:]
        let special: [UInt64] = [0, 1, 2, 1 << 40, 3 << 40, UInt64.max]
        for step in 0..<60_000 {
            // Keys from a small range collide often; some share all low bits.
            let key: UInt64 =
                step % 7 == 0
                ? special[step % special.count]
                : step % 3 == 0 ? UInt64.random(in: 0..<5000, using: &rng) << 32 : UInt64.random(in: 0..<20_000, using: &rng)
            switch UInt8.random(in: 0..<10, using: &rng) {
            case 0..<6:
                // (0 and 1 are one key: a hash of 0 is stored as 1.)
                let canonical = key == 0 ? 1 : key
                XCTAssertEqual(set.insert(key), reference.insert(canonical).inserted, "insert \(key) at \(step)")
                let v = Int64(step)
                map[key] = v
                referenceMap[canonical] = v
            case 6, 7:
                let canonical = key == 0 ? 1 : key
                set.remove(key)
                reference.remove(canonical)
            default:
                let canonical = key == 0 ? 1 : key
                XCTAssertEqual(set.contains(key), reference.contains(canonical), "contains \(key) at \(step)")
                XCTAssertEqual(map[key], referenceMap[canonical], "map \(key) at \(step)")
            }
            XCTAssertEqual(set.count, reference.count)
        }
        for k in reference { XCTAssertTrue(set.contains(k)) }
        for (k, v) in referenceMap { XCTAssertEqual(map[k], v) }
        XCTAssertEqual(map.count, referenceMap.count)
        map.removeAll(keepingCapacity: true)
        XCTAssertEqual(map.count, 0)
        XCTAssertNil(map[referenceMap.keys.first!])
    }
}

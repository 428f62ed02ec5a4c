/// Open-addressing hash tables keyed by 64-bit hashes (URL keys, url-id cache keys) that
/// are already well mixed: the key's own bits pick the slot, where `Set<UInt64>` and
/// `Dictionary` run SipHash over it first. Linear probing, at most 70% full, no
/// tombstones. Key 0 marks an empty slot, so a key of 0 is stored as 1 (a 64-bit hash
/// that is 0 or 1 is as rare as any other collision). The per-key paths are `@inlinable`:
/// the store's url-id cache and the crawler's seen-sets call them for every link from other
/// modules, and a call that cannot be inlined costs more than the probe.
package struct KeySet: Sendable {
    @usableFromInline var keys: [UInt64]
    @usableFromInline var used = 0
    package var count: Int { used }

    package init(minimumCapacity: Int = 16) {
        keys = [UInt64](repeating: 0, count: KeySet.capacity(for: minimumCapacity))
    }

    @usableFromInline static func capacity(for n: Int) -> Int {
        var cap = 16
        while cap * 7 < n * 10 { cap <<= 1 }
        return cap
    }

    @inlinable @inline(__always) static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    @inlinable @inline(__always) static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: ((key ^ (key >> 29)) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// The slot holding `key`, or the empty slot where it would go.
    @inlinable @inline(__always) func find(_ key: UInt64) -> (Int, Bool) {
        let mask = keys.count - 1
        var i = KeySet.slot(key, mask)
        return keys.withUnsafeBufferPointer { k in
            while true {
                let v = k[i]
                if v == key { return (i, true) }
                if v == 0 { return (i, false) }
                i = (i + 1) & mask
            }
        }
    }

    @inlinable package func contains(_ key: UInt64) -> Bool { find(KeySet.stored(key)).1 }

    /// True when the key was not there before.
    @inlinable @discardableResult
    package mutating func insert(_ key: UInt64) -> Bool {
        let key = KeySet.stored(key)
        let (i, found) = find(key)
        if found { return false }
        keys[i] = key
        used += 1
        if used * 10 > keys.count * 7 { rehash(keys.count * 2) }
        return true
    }

    package mutating func remove(_ key: UInt64) {
        let key = KeySet.stored(key)
        var (i, found) = find(key)
        guard found else { return }
        keys[i] = 0
        used -= 1
        // Re-seat the rest of the cluster.
        let mask = keys.count - 1
        i = (i + 1) & mask
        while keys[i] != 0 {
            let k = keys[i]
            keys[i] = 0
            let (j, _) = find(k)
            keys[j] = k
            i = (i + 1) & mask
        }
    }

    package mutating func removeAll() {
        keys = [UInt64](repeating: 0, count: 16)
        used = 0
    }

    @usableFromInline mutating func rehash(_ capacity: Int) {
        let old = keys
        keys = [UInt64](repeating: 0, count: capacity)
        for k in old where k != 0 { keys[find(k).0] = k }
    }
}

/// A map from 64-bit hashes to Int64 (the run store's url-id cache), as `KeySet`.
package struct KeyMap: Sendable {
    @usableFromInline var index: KeySet
    @usableFromInline var values: [Int64]

    package init(minimumCapacity: Int = 16) {
        index = KeySet(minimumCapacity: minimumCapacity)
        values = [Int64](repeating: 0, count: index.keys.count)
    }

    package var count: Int { index.count }

    package subscript(key: UInt64) -> Int64? {
        @inlinable get {
            let (i, found) = index.find(KeySet.stored(key))
            return found ? values[i] : nil
        }
        set {
            guard let newValue else { return }  // (no removal needed by the cache)
            let k = KeySet.stored(key)
            let (i, found) = self.index.find(k)
            if found { values[i] = newValue; return }
            if (self.index.used + 1) * 10 > self.index.keys.count * 7 {
                // Grow both, then place.
                let oldKeys = self.index.keys, oldValues = values
                let cap = oldKeys.count * 2
                self.index.keys = [UInt64](repeating: 0, count: cap)
                values = [Int64](repeating: 0, count: cap)
                for (j, ok) in oldKeys.enumerated() where ok != 0 {
                    let (s, _) = self.index.find(ok)
                    self.index.keys[s] = ok
                    values[s] = oldValues[j]
                }
            }
            let (s, _) = self.index.find(k)
            self.index.keys[s] = k
            values[s] = newValue
            self.index.used += 1
        }
    }

    package mutating func removeAll(keepingCapacity: Bool = false) {
        if keepingCapacity {
            for i in index.keys.indices { index.keys[i] = 0 }
            index.used = 0
        } else {
            index.removeAll()
            values = [Int64](repeating: 0, count: index.keys.count)
        }
    }
}

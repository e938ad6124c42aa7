import Foundation

/// The edges of the name matcher's trie: the child of a node by the number of a token key.
/// The matcher asks for one or more per token of every article, mostly for edges that do not
/// exist: so the root's children are an array by key, the other edges an open-addressing table
/// of one slot per edge (a `Dictionary` would hash each key with a seeded SipHash, and separate
/// arrays of keys and children would cost two cache misses per look-up).
struct TrieEdges: Sendable {
    private struct Slot {
        var node: Int32 = -1
        var key: Int32 = -1
        var child: Int32 = -1
    }

    /// The root's child by token key, -1 for none.
    private let rootChildren: [Int32]
    private let slots: [Slot]
    private let shift: UInt64

    /// `edges`: the child of each node by token key; `keyCount`: how many token keys there are.
    init(_ edges: [(node: Int32, key: Int32, child: Int32)], keyCount: Int) {
        var rootChildren = [Int32](repeating: -1, count: keyCount)
        let inner = edges.filter { $0.node != 0 }
        // At most half full, so a probe ends soon.
        var bits: UInt64 = 4
        while 1 << bits < inner.count * 2 { bits += 1 }
        var slots = [Slot](repeating: Slot(), count: 1 << bits)
        shift = 64 - bits
        let mask = slots.count - 1
        for edge in edges {
            guard edge.node != 0 else {
                rootChildren[Int(edge.key)] = edge.child
                continue
            }
            var slot = Self.slot(edge.node, edge.key, shift: shift)
            while slots[slot].node >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Slot(node: edge.node, key: edge.key, child: edge.child)
        }
        self.rootChildren = rootChildren
        self.slots = slots
    }

    @inline(__always)
    private static func slot(_ node: Int32, _ key: Int32, shift: UInt64) -> Int {
        let combined = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: key))
        return Int(truncatingIfNeeded: (combined &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The child of `node` by token key `key`; nil for none (and for a token no name has, -1).
    @inline(__always)
    func child(of node: Int32, key: Int32) -> Int32? {
        guard key >= 0 else { return nil }
        if node == 0 {
            let child = rootChildren[Int(key)]
            return child >= 0 ? child : nil
        }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Self.slot(node, key, shift: shift)
            while true {
                let found = slots[slot]
                if found.node == node && found.key == key { return found.child }
                if found.node < 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}

/// The token keys of the trie that are ASCII text, or canonically equivalent to it, by their
/// number: looked up by a token's folded scalars without making a String of them. Most tokens
/// of a text are no key: a bit per hash value, in a table small enough to stay in the cache,
/// turns most of them away before the slots are read.
struct ASCIIKeyTable: Sendable {
    /// Per slot: the key's number (-1 for an empty slot), where it starts in `bytes` and its length.
    private struct Slot {
        var id: Int32 = -1
        var start: UInt32 = 0
        var length: UInt32 = 0
    }

    /// Every key's bytes, one after another.
    private let bytes: [UInt8]
    private let slots: [Slot]
    /// Whether some key has the hash's low `filterBits` bits.
    private let filter: [UInt64]
    private static let filterBits = 19

    /// `keys`: every key of the trie by number, composed (NFC). A key is found by the ASCII
    /// text it equals in Swift's comparison (canonical equivalence): its NFC form, when that is ASCII.
    init(_ keys: [String]) {
        let ascii = keys.enumerated().compactMap { id, key -> ([UInt8], Int32)? in
            key.utf8.allSatisfy { $0 < 0x80 } ? (Array(key.utf8), Int32(id)) : nil
        }
        var capacity = 16
        while capacity < ascii.count * 2 { capacity *= 2 }
        var bytes: [UInt8] = []
        var slots = [Slot](repeating: Slot(), count: capacity)
        var filter = [UInt64](repeating: 0, count: 1 << (Self.filterBits - 6))
        for (key, id) in ascii {
            var hash = Self.hashStart
            for byte in key { hash = Self.hash(hash, UInt32(byte)) }
            let bit = Self.filterBit(hash)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
            var slot = Self.slot(hash, capacity: capacity)
            while slots[slot].id >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Slot(id: id, start: UInt32(bytes.count), length: UInt32(key.count))
            bytes += key
        }
        self.bytes = bytes
        self.slots = slots
        self.filter = filter
    }

    // FNV-1a over the scalar values.
    private static let hashStart: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    private static func hash(_ hash: UInt64, _ value: UInt32) -> UInt64 {
        (hash ^ UInt64(value)) &* 0x100_0000_01b3
    }

    @inline(__always)
    private static func filterBit(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash >> 40) & (1 << filterBits - 1)
    }

    @inline(__always)
    private static func slot(_ hash: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: hash ^ (hash >> 29)) & (capacity - 1)
    }

    enum Found {
        case some(Int32)
        case none
        /// The scalars are not all ASCII: no key here spells them.
        case notASCII
    }

    /// The number of the key that `scalars` spell.
    func id(of scalars: UnsafeBufferPointer<Unicode.Scalar>) -> Found {
        var hash = Self.hashStart
        for scalar in scalars {
            guard scalar.isASCII else { return .notASCII }
            hash = Self.hash(hash, scalar.value)
        }
        let bit = Self.filterBit(hash)
        guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return .none }
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { bytes in
                let mask = slots.count - 1
                var slot = Self.slot(hash, capacity: slots.count)
                while true {
                    let found = slots[slot]
                    if found.id < 0 { return .none }
                    if Int(found.length) == scalars.count {
                        let start = Int(found.start)
                        var index = 0
                        while index < scalars.count, UInt32(bytes[start + index]) == scalars[index].value { index += 1 }
                        if index == scalars.count { return .some(found.id) }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }
}

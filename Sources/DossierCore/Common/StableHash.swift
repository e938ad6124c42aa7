/// A 64-bit hash after FNV-1a that is the same for the same input in every run (Swift's `Hasher`
/// is seeded anew in each process): what the build cache compares between builds.
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Adds the text, then a byte no UTF-8 text holds, so `"ab", "c"` and `"a", "bc"` differ.
    mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combineBytes(UnsafeRawBufferPointer($0)) }
        value = (value ^ 0xFF) &* 0x100_0000_01b3
    }

    /// Adds bytes eight at a time, each word folded in as FNV folds a byte and its high half
    /// shifted down (a multiplication carries bits only upwards); the rest byte by byte. Whole
    /// files are hashed (every article, on every build), where a byte at a time was slow.
    private mutating func combineBytes(_ bytes: UnsafeRawBufferPointer) {
        var value = self.value
        let words = bytes.count / 8
        if let raw = bytes.baseAddress {
            for index in 0..<words {
                value = (value ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))) &* 0x100_0000_01b3
                value ^= value >> 32
            }
        }
        for byte in bytes[(words * 8)...] { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        self.value = value
    }

    /// Adds the bytes and their count (numbers as they lie in memory: a fingerprint of this
    /// machine's builds, like the rest of the cache).
    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        combine(bytes.count)
        combineBytes(bytes)
    }

    mutating func combine(_ number: Int) {
        combine(UInt64(bitPattern: Int64(number)))
    }

    /// Adds the number's eight bytes at once, as `combineBytes` adds each eight bytes of a
    /// text: fingerprints add hundreds of thousands of them, and writing each out as text first
    /// would cost a string apiece.
    mutating func combine(_ number: UInt64) {
        value = (value ^ number) &* 0x100_0000_01b3
        value ^= value >> 32
    }

    /// Adds an actor or place: its kind and id, without writing them out as one string.
    mutating func combine(_ ref: EntityRef) {
        combine(ref.kind.rawValue)
        combine(ref.id)
    }

    static func of(_ parts: String...) -> UInt64 {
        var hash = StableHash()
        for part in parts { hash.combine(part) }
        return hash.value
    }
}

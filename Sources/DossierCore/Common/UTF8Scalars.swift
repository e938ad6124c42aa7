extension UnsafeBufferPointer<UInt8> {
    /// The scalar that starts at `offset` of this valid UTF-8 and its length in bytes; nil at
    /// the end or in a sequence cut short. ASCII costs one comparison.
    func scalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        guard offset < count else { return nil }
        let lead = self[offset]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard offset + length <= count else { return nil }
        return (SourceText.decodeScalar(in: self, at: offset), length)
    }

    /// How many scalars this valid UTF-8 holds: a byte for each, less those that continue one
    /// (`10xxxxxx`), counted eight bytes at a time.
    var scalarCount: Int {
        guard let base = baseAddress else { return 0 }
        let high: UInt64 = 0x8080_8080_8080_8080
        var continuing = 0
        var index = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            continuing += (word & high & ~(word << 1)).nonzeroBitCount
            index += 8
        }
        while index < count {
            if self[index] & 0xC0 == 0x80 { continuing += 1 }
            index += 1
        }
        return count - continuing
    }
}

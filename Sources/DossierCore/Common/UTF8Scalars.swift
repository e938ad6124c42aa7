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
}

import Foundation

/// The text of one file of the site, addressable by Unicode-scalar offset and by line.
///
/// Offsets everywhere in Dossier (mentions, anchors, the CSV exports) are Unicode-scalar
/// offsets into this text, so they mean the same thing in every language that reads the data.
///
/// The text is kept once, as UTF-8: every article stays in memory for the whole build, and an
/// array of scalars beside it would take four bytes per character more. A scalar offset is
/// found in the UTF-8 from the offset of every 32nd scalar, which is recorded (for text that
/// is not all ASCII, where the two offsets differ).
public struct SourceText: Sendable {
    /// The path relative to the site folder, as diagnostics show it.
    public let path: String
    public let text: String
    /// How many Unicode scalars the text has.
    public let scalarCount: Int
    /// Per line, the scalar offset and the UTF-8 offset of its first character; a line ends at
    /// `\n`, `\r\n` or a lone `\r`.
    private let lineStarts: [UInt32]
    private let lineUTF8Starts: [UInt32]
    /// The UTF-8 offset of scalar 32 × i at i, up to the end; empty when the text is ASCII.
    private let checkpoints: [UInt32]
    private static let checkpointShift = 5
    /// The digest of the path and text (`StableHash`): what the caches compare to tell an
    /// unchanged file, and what the fingerprints of the files made from it start from.
    public let digest: UInt64

    public init(path: String, text: String) {
        var text = text
        text.makeContiguousUTF8()
        precondition(text.utf8.count < UInt32.max, "a text of 4 GB or more")
        var lineStarts: [UInt32] = [0]
        var lineUTF8Starts: [UInt32] = [0]
        var checkpoints: [UInt32] = []
        var scalarCount = 0
        var isASCII = true
        Self.withUTF8(of: text) { bytes in
            checkpoints.reserveCapacity(bytes.count >> Self.checkpointShift + 1)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    if scalarCount & 31 == 0 { checkpoints.append(UInt32(index)) }
                    scalarCount += 1
                    // `\r\n` is one line break: the line starts after the `\n`.
                    if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
                        lineStarts.append(UInt32(scalarCount))
                        lineUTF8Starts.append(UInt32(index + 1))
                    }
                } else {
                    isASCII = false
                    if byte & 0xC0 != 0x80 {
                        if scalarCount & 31 == 0 { checkpoints.append(UInt32(index)) }
                        scalarCount += 1
                    }
                }
                index += 1
            }
            if scalarCount & 31 == 0 { checkpoints.append(UInt32(bytes.count)) }
        }
        self.path = path
        self.text = text
        self.scalarCount = scalarCount
        self.lineStarts = lineStarts
        self.lineUTF8Starts = lineUTF8Starts
        self.checkpoints = isASCII ? [] : checkpoints
        digest = StableHash.of(path, text)
    }

    /// What `init(path:text:)` makes of a text besides keeping it, for a cache to keep beside
    /// the text: a build that takes the text from the cache need not go through it again.
    struct Tables: Sendable, Equatable {
        let scalarCount: Int
        let lineStarts: [UInt32]
        let lineUTF8Starts: [UInt32]
        let checkpoints: [UInt32]
        let digest: UInt64
    }

    var tables: Tables {
        Tables(scalarCount: scalarCount, lineStarts: lineStarts, lineUTF8Starts: lineUTF8Starts, checkpoints: checkpoints, digest: digest)
    }

    /// The text with the tables a cache kept of it; nil unless they fit it: lines and
    /// checkpoints in order and within the text, a checkpoint for every 32 scalars unless the
    /// text is ASCII (then none).
    init?(path: String, text: String, tables: Tables) {
        var text = text
        text.makeContiguousUTF8()
        let bytes = text.utf8.count
        let (lines, lineBytes, checkpoints) = (tables.lineStarts, tables.lineUTF8Starts, tables.checkpoints)
        func inOrder(_ values: [UInt32], upTo end: Int) -> Bool {
            zip(values, values.dropFirst()).allSatisfy { $0 < $1 } && values.last.map { Int($0) <= end } ?? true
        }
        guard tables.scalarCount <= bytes, lines.first == 0, lineBytes.first == 0, lines.count == lineBytes.count,
              inOrder(lines, upTo: tables.scalarCount), inOrder(lineBytes, upTo: bytes),
              checkpoints.isEmpty == (tables.scalarCount == bytes),
              checkpoints.isEmpty || (checkpoints.count == tables.scalarCount >> Self.checkpointShift + 1
                                      && checkpoints.first == 0 && inOrder(checkpoints, upTo: bytes)) else { return nil }
        self.path = path
        self.text = text
        scalarCount = tables.scalarCount
        lineStarts = lines
        lineUTF8Starts = lineBytes
        self.checkpoints = checkpoints
        digest = tables.digest
    }

    /// A file's bytes as text: UTF-8, a leading byte-order mark dropped. Bytes that are not
    /// UTF-8 are an error at the line and column where they stand.
    public init(path: String, utf8 data: Data) throws(InvalidUTF8) {
        self = try data.withUnsafeBytes { Self.decoding(path: path, utf8: $0) }.get()
    }

    /// A file's bytes as text, as `init(path:utf8:)` reads them.
    static func decoding(path: String, utf8 bytes: UnsafeRawBufferPointer) -> Result<SourceText, InvalidUTF8> {
        var text = bytes.bindMemory(to: UInt8.self)[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        if let text = String(validating: text, as: UTF8.self) { return .success(SourceText(path: path, text: text)) }
        let offset = firstInvalidByteOffset(in: bytes) ?? bytes.count
        let before = SourceText(path: path, text: String(decoding: bytes.prefix(offset), as: UTF8.self))
        return .failure(InvalidUTF8(location: before.location(ofOffset: before.scalarCount), byteOffset: offset))
    }

    /// Where a file stops being UTF-8.
    public struct InvalidUTF8: Error, Sendable, CustomStringConvertible {
        public let location: SourceLocation
        public let byteOffset: Int

        public var description: String { "not valid UTF-8: invalid byte sequence at byte offset \(byteOffset)" }
    }

    /// The byte offset of the first byte that does not begin a valid UTF-8 sequence.
    private static func firstInvalidByteOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    // MARK: - UTF-8

    private static func withUTF8<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        text.utf8.withContiguousStorageIfAvailable(body) ?? Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the text's UTF-8.
    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        Self.withUTF8(of: text, body)
    }

    /// The length in UTF-8 of the scalar that starts with `byte`.
    @inline(__always)
    static func scalarLength(startingWith byte: UInt8) -> Int {
        byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
    }

    /// The scalar whose UTF-8 starts at `index` of `bytes` (valid UTF-8).
    @inline(__always)
    static func decodeScalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Unicode.Scalar {
        let lead = UInt32(bytes[index])
        let value: UInt32
        switch lead {
        case ..<0x80: value = lead
        case ..<0xE0: value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        case ..<0xF0: value = (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        default:
            value = (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
                | UInt32(bytes[index + 3] & 0x3F)
        }
        return Unicode.Scalar(value).unsafelyUnwrapped
    }

    /// The length of the well-formed UTF-8 sequence of more than one byte at `index`; nil
    /// where none starts (the ranges of the Unicode Standard's table 3-7).
    static func validScalarLength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch bytes[index] {
        case 0xC2...0xDF: return continuation(1) ? 2 : nil
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default: return nil
        }
    }

    /// The UTF-8 offset of the scalar at `offset` (of the end, for `scalarCount`).
    func utf8Offset(ofScalar offset: Int) -> Int {
        precondition(offset >= 0 && offset <= scalarCount, "scalar offset \(offset) out of 0...\(scalarCount)")
        guard !checkpoints.isEmpty else { return offset }
        var index = Int(checkpoints[offset >> Self.checkpointShift])
        var remaining = offset & 31
        guard remaining > 0 else { return index }
        return withUTF8 { bytes in
            while remaining > 0 {
                index += Self.scalarLength(startingWith: bytes[index])
                remaining -= 1
            }
            return index
        }
    }

    /// The UTF-8 offsets of a range of scalar offsets.
    func utf8Range(of range: Range<Int>) -> Range<Int> {
        let lower = utf8Offset(ofScalar: range.lowerBound)
        guard !checkpoints.isEmpty else { return lower..<range.upperBound }
        if range.upperBound >> Self.checkpointShift != range.lowerBound >> Self.checkpointShift {
            return lower..<utf8Offset(ofScalar: range.upperBound)
        }
        // Within one stretch of 32 scalars: on from the lower bound.
        return withUTF8 { bytes in
            var upper = lower
            for _ in range { upper += Self.scalarLength(startingWith: bytes[upper]) }
            return lower..<upper
        }
    }

    // MARK: - Scalars

    /// The scalar at `offset`.
    public func scalar(at offset: Int) -> Unicode.Scalar {
        precondition(offset >= 0 && offset < scalarCount, "scalar offset \(offset) out of 0..<\(scalarCount)")
        let index = utf8Offset(ofScalar: offset)
        return withUTF8 { Self.decodeScalar(in: $0, at: index) }
    }

    /// The scalars of a range of offsets, decoded.
    func scalars(in range: Range<Int>) -> [Unicode.Scalar] {
        let bytes = utf8Range(of: range)
        return withUTF8 { utf8 in
            [Unicode.Scalar](unsafeUninitializedCapacity: range.count) { buffer, count in
                var index = bytes.lowerBound
                while index < bytes.upperBound {
                    let lead = utf8[index]
                    if lead < 0x80 {
                        buffer[count] = Unicode.Scalar(lead)
                        index += 1
                    } else {
                        buffer[count] = Self.decodeScalar(in: utf8, at: index)
                        index += Self.scalarLength(startingWith: lead)
                    }
                    count += 1
                }
            }
        }
    }

    /// The scalars of the text, by offset.
    public var scalars: Scalars { Scalars(source: self) }

    /// The text's scalars by offset: an offset costs a look-up in the UTF-8, so code that reads
    /// many in a row iterates, or decodes the range it reads (`scalars(in:)`).
    public struct Scalars: RandomAccessCollection, Sendable {
        let source: SourceText

        public var startIndex: Int { 0 }
        public var endIndex: Int { source.scalarCount }

        public subscript(position: Int) -> Unicode.Scalar { source.scalar(at: position) }

        public func makeIterator() -> Iterator {
            Iterator(source: source)
        }

        /// Decodes the scalars one after another.
        public struct Iterator: IteratorProtocol {
            let source: SourceText
            var index = 0

            public mutating func next() -> Unicode.Scalar? {
                source.withUTF8 { bytes in
                    guard index < bytes.count else { return nil }
                    let scalar = SourceText.decodeScalar(in: bytes, at: index)
                    index += SourceText.scalarLength(startingWith: bytes[index])
                    return scalar
                }
            }
        }
    }

    // MARK: - Lines

    public var lineCount: Int { lineStarts.count }

    /// The 1-based line that holds `offset`.
    public func line(ofOffset offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Int(lineStarts[middle]) <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    public func location(ofOffset offset: Int) -> SourceLocation {
        let line = line(ofOffset: offset)
        return SourceLocation(path: path, line: line, column: offset - Int(lineStarts[line - 1]) + 1)
    }

    public func location(line: Int, column: Int = 0) -> SourceLocation {
        SourceLocation(path: path, line: line, column: column)
    }

    /// The offsets of a 1-based line's characters, without its line ending.
    public func lineRange(_ line: Int) -> Range<Int> {
        lineRanges(line).scalars
    }

    /// A 1-based line's characters, without its line ending, as scalar and as UTF-8 offsets.
    func lineRanges(_ line: Int) -> (scalars: Range<Int>, utf8: Range<Int>) {
        guard line >= 1, line <= lineStarts.count else {
            let end = withUTF8(\.count)
            return (scalarCount..<scalarCount, end..<end)
        }
        let start = Int(lineStarts[line - 1])
        let utf8Start = Int(lineUTF8Starts[line - 1])
        // A line holds no `\n` or `\r` but the ones that end it, one byte each.
        var end = line < lineStarts.count ? Int(lineStarts[line]) : scalarCount
        var utf8End = line < lineStarts.count ? Int(lineUTF8Starts[line]) : withUTF8(\.count)
        withUTF8 { bytes in
            while end > start, bytes[utf8End - 1] == 0x0A || bytes[utf8End - 1] == 0x0D {
                end -= 1
                utf8End -= 1
            }
        }
        return (start..<end, utf8Start..<utf8End)
    }

    /// The offset of a 1-based line and 1-based UTF-8 byte column (as libcmark reports them).
    public func offset(line: Int, utf8Column: Int) -> Int {
        let range = lineRanges(line)
        let target = min(range.utf8.lowerBound + max(utf8Column - 1, 0), range.utf8.upperBound)
        // The scalars that start before the column's byte.
        return withUTF8 { bytes in
            var offset = range.scalars.lowerBound
            var index = range.utf8.lowerBound
            while index < target {
                index += Self.scalarLength(startingWith: bytes[index])
                offset += 1
            }
            return offset
        }
    }

    /// The text of a range of offsets.
    public func slice(_ range: Range<Int>) -> String {
        let bytes = utf8Range(of: range)
        return withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[bytes]), as: UTF8.self) }
    }
}

extension String {
    /// The text of a sequence of scalars, encoded in one pass (appending scalars to a
    /// `UnicodeScalarView` one by one is several times slower, and this runs per token).
    init<S: Sequence<Unicode.Scalar>>(scalars: S) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.underestimatedCount)
        for scalar in scalars {
            UTF8.encode(scalar) { bytes.append($0) }
        }
        self = String(decoding: bytes, as: UTF8.self)
    }

    /// The text of a collection of scalars, encoded straight into the string's storage.
    init<C: Collection<Unicode.Scalar>>(scalars: C) {
        self.init(scalars: scalars, before: nil, after: nil)
    }

    /// The text of a collection of scalars with a scalar before or after them, encoded
    /// straight into the string's storage.
    init<C: Collection<Unicode.Scalar>>(scalars: C, before: Unicode.Scalar?, after: Unicode.Scalar?) {
        var length = (before.map(UTF8.width) ?? 0) + (after.map(UTF8.width) ?? 0)
        for scalar in scalars { length += UTF8.width(scalar) }
        self.init(unsafeUninitializedCapacity: length) { buffer in
            var written = 0
            func write(_ scalar: Unicode.Scalar) {
                UTF8.encode(scalar) { byte in
                    buffer[written] = byte
                    written += 1
                }
            }
            before.map(write)
            for scalar in scalars { write(scalar) }
            after.map(write)
            return written
        }
    }
}

extension Array where Element == Unicode.Scalar {
    /// The scalars of UTF-8 bytes, as `Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)`
    /// has them (a sequence that is not UTF-8 becomes U+FFFD), decoded in one pass.
    init(decodingUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        self.init(unsafeUninitializedCapacity: bytes.count) { buffer, count in
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                if lead < 0x80 {
                    buffer[count] = Unicode.Scalar(lead)
                    index += 1
                } else if let length = SourceText.validScalarLength(in: bytes, at: index) {
                    buffer[count] = SourceText.decodeScalar(in: bytes, at: index)
                    index += length
                } else {
                    // Not UTF-8 here: the standard library's decoding, repairs and all, from here on.
                    var iterator = UnsafeBufferPointer(rebasing: bytes[index...]).makeIterator()
                    var parser = Unicode.UTF8.ForwardParser()
                    while true {
                        switch parser.parseScalar(from: &iterator) {
                        case .valid(let encoded): buffer[count] = Unicode.UTF8.decode(encoded)
                        case .error: buffer[count] = "\u{FFFD}"
                        case .emptyInput: return
                        }
                        count += 1
                    }
                }
                count += 1
            }
        }
    }
}

extension Unicode.Scalar {
    // Unicode properties answered without a look-up for ASCII: the tokenizer, the name matcher
    // and the sentence finder ask them of every character, and property look-ups are slow.

    /// White space (`properties.isWhitespace`).
    var isSpace: Bool {
        isASCII ? value == 0x20 || (0x09...0x0D).contains(value) : properties.isWhitespace
    }

    /// `properties.isUppercase`.
    var isUppercase: Bool {
        isASCII ? (0x41...0x5A).contains(value) : properties.isUppercase
    }

    /// `properties.isLowercase`.
    var isLowercase: Bool {
        isASCII ? (0x61...0x7A).contains(value) : properties.isLowercase
    }

    /// `properties.isAlphabetic`.
    var isAlphabetic: Bool {
        isASCII ? (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) : properties.isAlphabetic
    }

    /// Whether it has a numeric value (`properties.numericType != nil`).
    var isNumeric: Bool {
        isASCII ? (0x30...0x39).contains(value) : properties.numericType != nil
    }
}

extension Unicode.Scalar {
    /// What a headline, a line or a front-matter value is trimmed of: white space (Unicode's
    /// White_Space property) and byte-order marks, which YAML drops from a value's start.
    var isTrimmable: Bool { properties.isWhitespace || self == "\u{FEFF}" }
}

extension String {
    /// The text without what `isTrimmable` names at either end: the one trimming of front-matter
    /// values and plain-text lines, so that a headline and the title `import` writes for it agree.
    var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isTrimmable }),
              let last = scalars.lastIndex(where: { !$0.isTrimmable }) else { return "" }
        return String(scalars[first...last])
    }
}

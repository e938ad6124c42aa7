import Foundation

/// The text of one file of the site, addressable by Unicode-scalar offset and by line.
///
/// Offsets everywhere in Dossier (mentions, anchors, the CSV exports) are Unicode-scalar
/// offsets into this text, so they mean the same thing in every language that reads the data.
public struct SourceText: Sendable {
    /// The path relative to the site folder, as diagnostics show it.
    public let path: String
    public let text: String
    public let scalars: Scalars
    /// Scalar offset of the first character of each line; a line ends at `\n`, `\r\n` or a lone `\r`.
    private let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        var count = 0
        var largest: UInt32 = 0
        var starts = [0]
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if previousWasReturn { starts[starts.count - 1] = count + 1 } else { starts.append(count + 1) }
            } else if scalar == "\r" {
                starts.append(count + 1)
            }
            previousWasReturn = scalar == "\r"
            largest = max(largest, scalar.value)
            count += 1
        }
        self.scalars = Scalars(text, count: count, largest: largest)
        self.lineStarts = starts
    }

    /// The scalars of a text, each in as few bytes as the text's largest scalar needs: one for
    /// Latin-1 text, two for the Basic Multilingual Plane (typographic quotes, most scripts),
    /// four else. Every file's text is held for the whole build, so this is most of what a
    /// build holds per article.
    public struct Scalars: RandomAccessCollection, Sendable {
        private enum Storage: Sendable {
            case latin1([UInt8])
            case basicPlane([UInt16])
            case full([Unicode.Scalar])
        }

        private let storage: Storage
        public let count: Int

        fileprivate init(_ text: String, count: Int, largest: UInt32) {
            self.count = count
            if largest < 0x100 {
                storage = .latin1(Self.stored(text, count: count) { UInt8(truncatingIfNeeded: $0.value) })
            } else if largest < 0x10000 {
                storage = .basicPlane(Self.stored(text, count: count) { UInt16(truncatingIfNeeded: $0.value) })
            } else {
                storage = .full(Self.stored(text, count: count) { $0 })
            }
        }

        private static func stored<Unit>(_ text: String, count: Int, _ unit: (Unicode.Scalar) -> Unit) -> [Unit] {
            [Unit](unsafeUninitializedCapacity: count) { buffer, initialized in
                for scalar in text.unicodeScalars {
                    buffer.initializeElement(at: initialized, to: unit(scalar))
                    initialized += 1
                }
            }
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }

        @inline(__always)
        public subscript(position: Int) -> Unicode.Scalar {
            switch storage {
            case .latin1(let units): Unicode.Scalar(units[position])
            // A scalar below 0x10000 is never a surrogate: the value is a scalar.
            case .basicPlane(let units): Unicode.Scalar(UInt32(units[position])).unsafelyUnwrapped
            case .full(let scalars): scalars[position]
            }
        }
    }

    /// A file's bytes as text: UTF-8, a leading byte-order mark dropped. Bytes that are not
    /// UTF-8 are an error at the line and column where they stand.
    public init(path: String, utf8 data: Data) throws(InvalidUTF8) {
        try self.init(path: path, utf8: [UInt8](data))
    }

    /// A file's bytes as text, as `init(path:utf8:)` with `Data` reads them.
    public init(path: String, utf8 bytes: [UInt8]) throws(InvalidUTF8) {
        guard var text = String(validating: bytes, as: UTF8.self) else {
            let offset = Self.firstInvalidByteOffset(in: bytes)
            let before = SourceText(path: path, text: String(decoding: bytes.prefix(offset), as: UTF8.self))
            throw InvalidUTF8(location: before.location(ofOffset: before.scalars.count), byteOffset: offset)
        }
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        self.init(path: path, text: text)
    }

    /// Where a file stops being UTF-8.
    public struct InvalidUTF8: Error, Sendable, CustomStringConvertible {
        public let location: SourceLocation
        public let byteOffset: Int

        public var description: String { "not valid UTF-8: invalid byte sequence at byte offset \(byteOffset)" }
    }

    /// The byte offset of the first byte that does not begin a valid UTF-8 sequence; the end
    /// when there is none.
    private static func firstInvalidByteOffset(in bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput, .error: return offset
            }
        }
    }

    public var lineCount: Int { lineStarts.count }

    /// The 1-based line that holds `offset`.
    public func line(ofOffset offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    public func location(ofOffset offset: Int) -> SourceLocation {
        let line = line(ofOffset: offset)
        return SourceLocation(path: path, line: line, column: offset - lineStarts[line - 1] + 1)
    }

    public func location(line: Int, column: Int = 0) -> SourceLocation {
        SourceLocation(path: path, line: line, column: column)
    }

    /// The offsets of a 1-based line's characters, without its line ending.
    public func lineRange(_ line: Int) -> Range<Int> {
        guard line >= 1, line <= lineStarts.count else { return scalars.count..<scalars.count }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : scalars.count
        while end > start, scalars[end - 1] == "\n" || scalars[end - 1] == "\r" { end -= 1 }
        return start..<end
    }

    /// The offset of a 1-based line and 1-based UTF-8 byte column (as libcmark reports them).
    public func offset(line: Int, utf8Column: Int) -> Int {
        let range = lineRange(line)
        var bytes = 0
        var offset = range.lowerBound
        while offset < range.upperBound, bytes < utf8Column - 1 {
            bytes += UTF8.width(scalars[offset])
            offset += 1
        }
        return offset
    }

    /// The text of a range of offsets.
    public func slice(_ range: Range<Int>) -> String {
        String(scalars: scalars[range])
    }
}

extension String {
    /// The text of a sequence of scalars, encoded in one pass (appending scalars to a
    /// `UnicodeScalarView` one by one is several times slower, and this runs per token).
    init<S: Sequence<Unicode.Scalar>>(scalars: S) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.underestimatedCount)
        for scalar in scalars {
            if scalar.isASCII {
                bytes.append(UInt8(truncatingIfNeeded: scalar.value))
            } else {
                UTF8.encode(scalar) { bytes.append($0) }
            }
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}

extension Unicode.Scalar {
    /// White space, answered without a Unicode property look-up for ASCII: the tokenizer and
    /// the sentence finder ask it of every character, and property look-ups are slow.
    var isSpace: Bool {
        isASCII ? value == 0x20 || (0x09...0x0D).contains(value) : properties.isWhitespace
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

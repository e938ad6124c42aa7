import Foundation

/// The binary encoding of the files in `.dossier-cache/` (`BuildCache`, `LinkCache`): they
/// hold hundreds of thousands of entries, which JSON took longer to read than the build
/// saves by them. Integers in 7-bit groups, low first (most take a byte or two); hashes in
/// eight bytes; strings as their UTF-8 length and bytes.
struct CacheWriter {
    private(set) var bytes: [UInt8] = []

    /// A writer whose bytes grow to `capacity` without being copied: for the large caches.
    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func integer(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A count or offset (never negative).
    mutating func integer(_ value: Int) {
        integer(UInt64(max(0, value)))
    }

    /// Eight bytes, low first: for hashes, which would take nine or ten as integers.
    mutating func fixed(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func string(_ text: String) {
        integer(text.utf8.count)
        bytes += text.utf8
    }

    /// Absent as 0, present as 1 and the text.
    mutating func optionalString(_ text: String?) {
        integer(text == nil ? 0 : 1)
        if let text { string(text) }
    }

    mutating func range<Bound: BinaryInteger>(_ range: Range<Bound>) {
        integer(UInt64(range.lowerBound))
        integer(UInt64(range.upperBound))
    }

    /// Bytes as they are (a header), without their length.
    mutating func raw(_ text: String) {
        bytes += text.utf8
    }
}

/// Reads what `CacheWriter` wrote. Every read is nil past the end or on bytes that cannot be
/// what was written: a cache cut short or from elsewhere is then not used.
struct CacheReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }

    mutating func take(_ count: Int) -> UnsafeBufferPointer<UInt8>? {
        guard count >= 0, count <= bytes.count - position else { return nil }
        defer { position += count }
        return UnsafeBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    mutating func integer() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    /// A count or offset: an integer that fits an Int.
    mutating func count() -> Int? {
        integer().flatMap { $0 <= UInt64(Int.max) ? Int($0) : nil }
    }

    mutating func fixed() -> UInt64? {
        take(8).map { $0.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    }

    mutating func string() -> String? {
        guard let length = count(), let utf8 = take(length) else { return nil }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// `.some(nil)` for a string written absent; nil when the bytes are neither.
    mutating func optionalString() -> String?? {
        switch integer() {
        case 0: .some(nil)
        case 1: string().map { .some($0) }
        default: nil
        }
    }

    mutating func range() -> Range<Int>? {
        guard let low = count(), let high = count(), low <= high else { return nil }
        return low..<high
    }

    /// Whether the next bytes are `text` (a header); they are read either way.
    mutating func raw(_ text: String) -> Bool {
        take(text.utf8.count).map { $0.elementsEqual(text.utf8) } ?? false
    }
}

extension CacheWriter {
    /// Bytes behind their count.
    mutating func blob(_ values: [UInt8]) {
        integer(values.count)
        bytes += values
    }

    /// Numbers behind their count, each in its own width (four bytes for an `Int32`, eight for
    /// a hash), low first: a search index holds millions, which are then copied rather than
    /// read one by one.
    mutating func numbers<Number: FixedWidthInteger>(_ values: [Number]) {
        integer(values.count)
        #if _endian(little)
        values.withUnsafeBytes { bytes += $0 }
        #else
        for value in values { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        #endif
    }
}

extension CacheReader {
    mutating func blob() -> [UInt8]? {
        count().flatMap { take($0) }.map(Array.init)
    }

    mutating func numbers() -> [Int32]? {
        numbers(of: Int32.self)
    }

    /// Numbers of another width than `Int32`'s as `numbers` wrote them.
    mutating func numbers<Number: FixedWidthInteger>(of _: Number.Type) -> [Number]? {
        let width = MemoryLayout<Number>.size
        guard let count = count(), count <= bytes.count / width, let raw = take(count * width) else { return nil }
        guard count > 0 else { return [] }
        return [Number](unsafeUninitializedCapacity: count) { buffer, initialized in
            memcpy(buffer.baseAddress!, raw.baseAddress!, count * width)
            for index in 0..<count { buffer[index] = Number(littleEndian: buffer[index]) }
            initialized = count
        }
    }
}

extension CacheWriter {
    /// Diagnostics behind their count, as a build reports them again from a cache.
    mutating func diagnostics(_ diagnostics: [Diagnostic]) {
        integer(diagnostics.count)
        for diagnostic in diagnostics {
            string(diagnostic.severity.rawValue)
            string(diagnostic.stage.rawValue)
            string(diagnostic.location.path)
            integer(diagnostic.location.line)
            integer(diagnostic.location.column)
            string(diagnostic.message)
        }
    }

    /// Strings behind their count.
    mutating func strings(_ texts: [String]) {
        integer(texts.count)
        for text in texts { string(text) }
    }
}

extension CacheReader {
    /// Items behind their count, each read by `item`; nil when the count or any item is not
    /// what was written.
    mutating func list<Item>(_ item: (inout CacheReader) -> Item?) -> [Item]? {
        guard let number = count(), number <= bytes.count - position else { return nil }
        var items: [Item] = []
        items.reserveCapacity(number)
        for _ in 0..<number {
            guard let value = item(&self) else { return nil }
            items.append(value)
        }
        return items
    }

    mutating func diagnostics() -> [Diagnostic]? {
        list { reader in
            guard let severity = reader.string().flatMap(Diagnostic.Severity.init), let stage = reader.string().flatMap(Stage.init),
                  let path = reader.string(), let line = reader.count(), let column = reader.count(),
                  let message = reader.string() else { return nil }
            return Diagnostic(severity, stage, at: SourceLocation(path: path, line: line, column: column), message)
        }
    }

    mutating func strings() -> [String]? {
        list { $0.string() }
    }
}

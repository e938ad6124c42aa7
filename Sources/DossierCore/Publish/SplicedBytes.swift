import Foundation

/// The bytes of a file put together from pieces: bytes the build made, and ranges of a file
/// already on disk (the last build's data file, `PartedFile`). Written out, a range is copied
/// from file to file by the kernel: after an edit, the tens of megabytes the data files keep
/// of the last build never pass through the build's memory (reading them, and zeroing a
/// buffer for the whole file, were some 5% of a rebuild at 10,000 articles).
struct SplicedBytes: Sendable {
    enum Piece: Sendable {
        case made(ArraySlice<UInt8>)
        /// A range of `source`.
        case copied(Range<Int>)
    }

    /// The file the copied pieces are ranges of.
    let source: OpenFile?
    private(set) var pieces: [Piece] = []
    private(set) var count = 0

    init(source: OpenFile? = nil) {
        self.source = source
    }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        pieces.append(.made(bytes))
        count += bytes.count
    }

    /// Appends a range of the source; one that goes on where the last piece's range ends is
    /// copied with it.
    mutating func append(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        if case .copied(let last) = pieces.last, last.upperBound == range.lowerBound {
            pieces[pieces.count - 1] = .copied(last.lowerBound..<range.upperBound)
        } else {
            pieces.append(.copied(range))
        }
        count += range.count
    }

    /// Writes the bytes to the file open as `descriptor`, where it stands; false on a failure.
    /// The pieces made are written through a buffer, the copied ones file to file.
    func write(to descriptor: Int32) -> Bool {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.bufferSize)
        func flush() -> Bool {
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer.withUnsafeBytes { FileCalls.writeAll($0, to: descriptor) }
        }
        for piece in pieces {
            switch piece {
            case .made(let bytes):
                if buffer.count + bytes.count > Self.bufferSize, !flush() { return false }
                if bytes.count > Self.bufferSize {
                    guard bytes.withUnsafeBytes({ FileCalls.writeAll($0, to: descriptor) }) else { return false }
                } else {
                    buffer.append(contentsOf: bytes)
                }
            case .copied(let range):
                guard let source, flush(), FileCalls.copy(range, of: source.descriptor, to: descriptor) else { return false }
            }
        }
        return flush()
    }

    /// The bytes in memory; nil when the source cannot be read.
    func materialized() -> Data? {
        var data = Data(capacity: count)
        for piece in pieces {
            switch piece {
            case .made(let bytes):
                data.append(contentsOf: bytes)
            case .copied(let range):
                guard let source, let bytes = FileCalls.read(range, of: source.descriptor) else { return nil }
                data.append(contentsOf: bytes)
            }
        }
        return data
    }

    private static let bufferSize = 1 << 20
}

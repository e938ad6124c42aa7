import Foundation

/// A data file of one part per article, in the order of the articles' ids, between a head and
/// a tail: an article's rows of `mentions.csv`, its row of `articles.csv`, its object of
/// `archive.json`. What stands between two parts (the comma between two objects) belongs to
/// neither, so a part is the same bytes wherever it stands, and a rebuild copies the parts of
/// the articles whose data did not change from the file the last build published.
protocol PartedFile: Sendable {
    associatedtype Writer: DataWriter
    var path: String { get }
    var head: [UInt8] { get }
    /// What stands between two parts.
    var separator: [UInt8] { get }
    var tail: [UInt8] { get }
    /// Writes the article's part.
    func write(_ linked: LinkedArticle, into writer: inout Writer)
}

extension PartedFile {
    var separator: [UInt8] { [] }
    var tail: [UInt8] { [] }

    /// The file of the articles at `order` (indices into the archive's), whose data have the
    /// `fingerprints` (by the same indices), and where each part lies in it. A part of the
    /// `previous` file (as it lies in it by the layout), told by the article's fingerprint, is
    /// copied from it when the file is written; the others are written, in runs on all cores.
    func make(_ archive: Archive, order: [Int], fingerprints: [UInt64], previous: (file: OpenFile, layout: DataLayout)? = nil)
        -> (bytes: SplicedBytes, parts: [DataLayout.Part]) {
        // A part whose range lies outside the old file cannot be its: not taken.
        let known = (previous?.layout.parts ?? []).filter { $0.range.upperBound <= previous?.file.size ?? 0 }
        let reusable = Dictionary(known.map { ($0.article, $0.range) }, uniquingKeysWith: { first, _ in first })
        let runs = stride(from: 0, to: order.count, by: 250).map { order[$0..<min($0 + 250, order.count)] }
        let made = Parallel.map(runs) { run -> (written: [UInt8], pieces: [Piece]) in
            var writer = Writer()
            var pieces: [Piece] = []
            pieces.reserveCapacity(run.count)
            for index in run {
                if let range = reusable[fingerprints[index]] {
                    pieces.append(.old(range))
                } else {
                    let start = writer.bytes.count
                    write(archive.articles[index], into: &writer)
                    pieces.append(.new(start..<writer.bytes.count))
                }
            }
            return (writer.bytes, pieces)
        }
        var bytes = SplicedBytes(source: previous?.file)
        var parts: [DataLayout.Part] = []
        parts.reserveCapacity(order.count)
        bytes.append(head[...])
        // The old range of the part just put in, when it was copied: the separator after it in
        // the old file is copied too when the next part copied is the next there, so that
        // unchanged parts are copied in long ranges rather than one by one.
        var lastCopied: Range<Int>?
        for ((new, pieces), run) in zip(made, runs) {
            for (piece, index) in zip(pieces, run) {
                if case .old(let range) = piece, let last = lastCopied, last.upperBound + separator.count == range.lowerBound {
                    bytes.append(last.upperBound..<range.lowerBound)
                } else if !parts.isEmpty {
                    bytes.append(separator[...])
                }
                let start = bytes.count
                switch piece {
                case .old(let range):
                    bytes.append(range)
                    lastCopied = range
                case .new(let range):
                    bytes.append(new[range])
                    lastCopied = nil
                }
                parts.append(DataLayout.Part(article: fingerprints[index], range: start..<bytes.count))
            }
        }
        bytes.append(tail[...])
        return (bytes, parts)
    }
}

/// Where a part's bytes are: in the old file or among those written.
private enum Piece {
    case old(Range<Int>)
    case new(Range<Int>)
}

/// Where each article's part lies in a `PartedFile`, kept for the next build with the
/// fingerprint of the file it describes (`DataLayoutCache`).
struct DataLayout: Sendable, Equatable {
    let fingerprint: UInt64
    let parts: [Part]

    /// An article's part: its data's fingerprint and where its bytes lie.
    struct Part: Sendable, Equatable {
        let article: UInt64
        let range: Range<Int>
    }
}

/// What the parts of a `PartedFile` are written with (`CSV`, `JSONText`): text appended to bytes.
/// One is made in each run of parts, on any core.
protocol DataWriter: SendableMetatype {
    init()
    var bytes: [UInt8] { get }
}

extension CSV: DataWriter {}

extension JSONText: DataWriter {
    init() {
        self.init(forScript: false)
    }
}

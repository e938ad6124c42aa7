import Foundation

/// The search index of the last build as its runs of documents (`SearchIndex.Chunk`), kept in
/// the site's `.dossier-cache/search/` so that the next `dossier build` indexes only the runs
/// whose documents changed: after an edit of one article, one run, and one file written. Safe
/// to delete: the next build indexes everything. A run is taken only under the digest of its
/// documents, and only from a file this very tool wrote (the folding of words is the tool's).
///
/// One file per run, `<digest in hex>.bin`, laid out as `CacheFile` says: a header line and
/// the tool's identity, then one chunk: the run's digest, its words, and its postings as arrays
/// of numbers.
struct SearchCache: Sendable {
    let site: URL

    private static let header = "dossier search run 1\n"

    var folder: URL {
        site.appendingPathComponent(BuildCache.folder).appendingPathComponent("search")
    }

    func file(_ digest: UInt64) -> URL {
        folder.appendingPathComponent(String(digest, radix: 16) + ".bin")
    }

    /// The runs the cache holds, by digest, read on all cores; a file that is not a run this
    /// tool wrote under its name is left out.
    func chunks() -> [UInt64: SearchIndex.Chunk] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let read = Parallel.map(names.compactMap { name in name.hasSuffix(".bin") ? UInt64(name.dropLast(".bin".count), radix: 16) : nil }) {
            digest -> SearchIndex.Chunk? in
            guard let data = try? Data(contentsOf: file(digest)),
                  let ranges = CacheFile.chunks(of: data, head: { $0.raw(Self.header) && $0.string() == BuildCache.toolIdentity }),
                  ranges.count == 1, let chunk = CacheFile.decode(ranges, of: data, { $0.searchChunk() })?.first,
                  chunk.digest == digest else { return nil }
            return chunk
        }
        return Dictionary(read.compactMap { $0 }.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Keeps `chunks` for the next build: writes those not among `kept` (the runs `chunks()`
    /// read) and removes the files of runs no longer used.
    func save(_ chunks: [SearchIndex.Chunk], kept: Set<UInt64>) {
        var head = CacheWriter()
        head.raw(Self.header)
        head.string(BuildCache.toolIdentity)
        CacheFile.removeLeftovers(in: folder)
        for chunk in chunks where !kept.contains(chunk.digest) {
            CacheFile.write(head: head.bytes, chunkCount: 1, to: file(chunk.digest)) { _ in
                var writer = CacheWriter()
                writer.searchChunk(chunk)
                return writer.bytes
            }
        }
        let used = Set(chunks.map(\.digest))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where !name.hasPrefix(".") {
            if let digest = name.hasSuffix(".bin") ? UInt64(name.dropLast(".bin".count), radix: 16) : nil, used.contains(digest) { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}

extension CacheWriter {
    mutating func searchChunk(_ chunk: SearchIndex.Chunk) {
        fixed(chunk.digest)
        blob(chunk.words.bytes)
        numbers(chunk.words.ends)
        numbers(chunk.postingWords)
        numbers(chunk.postingWeights)
        numbers(chunk.documentEnds)
        numbers(chunk.unusual.map { Int32(bitPattern: $0.value) })
    }
}

extension CacheReader {
    /// A run as `searchChunk` wrote it, checked so that no number in it points outside it.
    mutating func searchChunk() -> SearchIndex.Chunk? {
        guard let digest = fixed(), let bytes = blob(), let ends = numbers(), let postingWords = numbers(),
              let postingWeights = numbers(), let documentEnds = numbers(), let unusual = numbers() else { return nil }
        let words = WordList(bytes: bytes, ends: ends)
        guard ends.first == 0, ends.last == Int32(bytes.count), zip(ends, ends.dropFirst()).allSatisfy({ $0 <= $1 }),
              postingWeights.count == postingWords.count, postingWords.allSatisfy({ $0 >= 0 && Int($0) < words.count }),
              documentEnds.last.map({ Int($0) == postingWords.count }) ?? postingWords.isEmpty,
              zip([0] + documentEnds, documentEnds).allSatisfy({ $0 <= $1 }) else { return nil }
        let scalars = unusual.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }
        guard scalars.count == unusual.count else { return nil }
        return SearchIndex.Chunk(digest: digest, words: words, postingWords: postingWords, postingWeights: postingWeights,
                                 documentEnds: documentEnds, unusual: scalars)
    }
}

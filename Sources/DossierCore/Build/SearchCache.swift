import Foundation

/// The search index of the last build as its runs of documents (`SearchIndex.Chunk`), kept in
/// the site's `.dossier-cache/search.bin` so that the next `dossier build` indexes only the
/// runs whose documents changed: after an edit of one article, one run. Safe to delete: the
/// next build indexes everything. Trusted only when this very tool wrote it (the folding of
/// words is the tool's); a run is taken only under the digest of its documents.
///
/// Laid out as `CacheFile` says: a header line and the tool's identity, then a chunk per run:
/// its digest, its words, and its postings as arrays of numbers.
struct SearchCache: Sendable {
    let site: URL

    private static let header = "dossier search cache 1\n"

    var file: URL {
        site.appendingPathComponent(BuildCache.folder).appendingPathComponent("search.bin")
    }

    /// The runs the cache holds, by digest; none when there is no cache or it is not to be trusted.
    func chunks() -> [UInt64: SearchIndex.Chunk] {
        guard let data = try? Data(contentsOf: file),
              let ranges = CacheFile.chunks(of: data, head: { $0.raw(Self.header) && $0.string() == BuildCache.toolIdentity }),
              let chunks = CacheFile.decode(ranges, of: data, { $0.searchChunk() }) else { return [:] }
        return Dictionary(chunks.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Writes the runs for the next build, one by one (they are mostly numbers, copied as they
    /// lie): at 50,000 articles they are some 150 MB, which are not held twice.
    func save(_ chunks: [SearchIndex.Chunk]) {
        var head = CacheWriter()
        head.raw(Self.header)
        head.string(BuildCache.toolIdentity)
        CacheFile.write(head: head.bytes, chunkCount: chunks.count, to: file) { index in
            var writer = CacheWriter()
            writer.searchChunk(chunks[index])
            return writer.bytes
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

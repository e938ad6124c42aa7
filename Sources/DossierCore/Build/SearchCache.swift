import Foundation

/// The search index of the last build as its runs of documents (`SearchIndex.Chunk`), kept in
/// the site's `.dossier-cache/search/` so that the next `dossier build` indexes only the runs
/// whose documents changed: after an edit of one article, one run, and one file written. Safe
/// to delete: the next build indexes everything. A run is taken only under the digest of its
/// documents, and only from a file this very tool wrote (the folding of words is the tool's).
///
/// One file per run (`RunFolder`): its words, and its postings as arrays of numbers.
struct SearchCache: Sendable {
    let site: URL
    /// The runs as they were when the build started, read since then (`startReading`).
    private var reading: Background<[UInt64: SearchIndex.Chunk]>?

    init(site: URL) {
        self.site = site
    }

    /// The cache of `site`, its runs read from now on, on a thread of their own: a build
    /// starts reading them before it loads the site, and they are decoded while it does.
    static func startReading(site: URL) -> SearchCache {
        var cache = SearchCache(site: site)
        cache.reading = cache.runs.startReading { reader, digest in reader.searchChunk(digest: digest) }
        return cache
    }

    var runs: RunFolder {
        RunFolder(folder: site.appendingPathComponent(BuildCache.folder).appendingPathComponent("search"),
                  header: "dossier search run 1\n")
    }

    /// The runs the cache holds, by digest, read on all cores.
    func chunks() -> [UInt64: SearchIndex.Chunk] {
        reading?.value ?? runs.runs { reader, digest in reader.searchChunk(digest: digest) }
    }

    /// Keeps `chunks` for the next build: writes those not among `kept` (the runs `chunks()`
    /// read) and removes the files of runs no longer used.
    func save(_ chunks: [SearchIndex.Chunk], kept: Set<UInt64>) {
        runs.save(chunks.map(\.digest), kept: kept) { position, writer in writer.searchChunk(chunks[position]) }
    }
}

extension CacheWriter {
    mutating func searchChunk(_ chunk: SearchIndex.Chunk) {
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
    mutating func searchChunk(digest: UInt64) -> SearchIndex.Chunk? {
        guard let bytes = blob(), let ends = numbers(), let postingWords = numbers(),
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

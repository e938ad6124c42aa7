import Foundation

/// The terms of the last build's search index (`SearchIndex.Terms`), kept in the site's
/// `.dossier-cache/search/terms.bin` so that the next `dossier build` indexes only the runs
/// of documents that changed and patches the rest: after an edit of one article, one run of
/// about a hundred documents. Safe to delete: the next build indexes everything. Taken only
/// from a file this very tool wrote (the folding of words is the tool's), and only where its
/// runs' digests match the documents'.
///
/// One file: the runs, then the words and postings as arrays of numbers, copied rather than
/// read one by one (a large archive has millions).
struct SearchCache: Sendable {
    let site: URL
    /// The terms as they were when reading started (`startReading`), read on a thread of their own.
    private var reading: Deferred<SearchIndex.Terms?>?

    private static let header = "dossier search terms 1\n"

    init(site: URL) {
        self.site = site
    }

    /// The cache of `site`, its terms to be read on a thread of their own from `startReading()`
    /// on, or else when first asked for: a build starts reading them once the site is linked,
    /// and they are decoded while it indexes.
    static func reading(site: URL) -> SearchCache {
        var cache = SearchCache(site: site)
        cache.reading = Deferred { [cache] in cache.read() }
        return cache
    }

    /// Starts reading the terms, unless that started already.
    func startReading() {
        reading?.start()
    }

    var folder: URL {
        site.appendingPathComponent(BuildCache.folder).appendingPathComponent("search")
    }

    var file: URL {
        folder.appendingPathComponent("terms.bin")
    }

    /// The terms the cache holds; nil when it holds none this tool can trust.
    func terms() -> SearchIndex.Terms? {
        reading.map(\.value) ?? read()
    }

    private func read() -> SearchIndex.Terms? {
        // Mapped, as `RunFolder` maps its files: `save` replaces the file whole.
        guard let data = try? Data(contentsOf: file, options: .alwaysMapped) else { return nil }
        return data.withUnsafeBytes { bytes in
            var reader = CacheReader(bytes: bytes.bindMemory(to: UInt8.self))
            guard reader.raw(Self.header), reader.string() == BuildCache.toolIdentity, let terms = reader.searchTerms(),
                  reader.isAtEnd else { return nil }
            return terms
        }
    }

    /// Keeps `terms` for the next build, and removes what older builds kept in the folder
    /// (the runs of the cache's earlier layout, files of builds killed while writing). A site
    /// folder that cannot take them only means the next build indexes everything.
    func save(_ terms: SearchIndex.Terms) {
        // The words' bytes, five numbers per word (two of them a hash's 8 bytes), two per posting.
        var writer = CacheWriter(capacity: terms.words.bytes.count + 24 * terms.words.count + 8 * terms.postingDocuments.count
                                           + 64 * terms.runs.count + 1024)
        writer.raw(Self.header)
        writer.string(BuildCache.toolIdentity)
        writer.searchTerms(terms)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Written from the writer's bytes, not a copy of them (some 20 MB at 10,000 articles).
        writer.bytes.withUnsafeBytes { bytes in
            let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count, deallocator: .none)
            try? data.write(to: file, options: .atomic)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name != file.lastPathComponent {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}

extension CacheWriter {
    mutating func searchTerms(_ terms: SearchIndex.Terms) {
        integer(terms.runs.count)
        for run in terms.runs {
            fixed(run.digest)
            integer(run.documents)
            numbers(run.unusual.map { Int32(bitPattern: $0.value) })
        }
        blob(terms.words.bytes)
        numbers(terms.words.ends)
        numbers(terms.postingStarts)
        numbers(terms.postingDocuments)
        numbers(terms.postingWeights)
        numbers(terms.postingDigests)
        numbers(terms.wordOrder)
    }
}

extension CacheReader {
    /// Terms as `searchTerms` wrote them, checked so that no number in them points outside
    /// them, each word is there once, and each word's postings are in document order.
    mutating func searchTerms() -> SearchIndex.Terms? {
        guard let runs = list({ reader -> SearchIndex.Run? in
            guard let digest = reader.fixed(), let documents = reader.count(), let unusual = reader.numbers() else { return nil }
            let scalars = unusual.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }
            return scalars.count == unusual.count ? SearchIndex.Run(digest: digest, documents: documents, unusual: scalars) : nil
        }), let bytes = blob(), let ends = numbers(), let starts = numbers(), let documents = numbers(), let weights = numbers(),
              let digests = numbers(of: UInt64.self), let order = numbers() else { return nil }
        var terms = SearchIndex.Terms(runs: runs, postingStarts: starts, postingDocuments: documents, postingWeights: weights,
                                      postingDigests: digests, wordOrder: order)
        let words = WordList(bytes: bytes, ends: ends)
        guard ends.first == 0, ends.last == Int32(bytes.count), zip(ends, ends.dropFirst()).allSatisfy({ $0 <= $1 }),
              starts.count == ends.count, starts.first == 0, starts.last == Int32(documents.count), weights.count == documents.count,
              digests.count == words.count, order.count == words.count else { return nil }
        for word in words.indices where terms.table.id(of: words, word: word) != Int32(word) { return nil }
        let documentCount = terms.documentCount
        for word in words.indices {
            guard starts[word] <= starts[word + 1] else { return nil }
            var last: Int32 = -1
            for document in documents[terms.postingRange(ofWord: word)] {
                guard document > last, Int(document) < documentCount else { return nil }
                last = document
            }
        }
        var seen = [Bool](repeating: false, count: words.count)
        for word in order {
            guard word >= 0, Int(word) < words.count, !seen[Int(word)] else { return nil }
            seen[Int(word)] = true
        }
        return terms
    }
}

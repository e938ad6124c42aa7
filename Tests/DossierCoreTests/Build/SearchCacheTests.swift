import Foundation
import Synchronization
import Testing
@testable import DossierCore

/// The search index after an edit: only the runs of documents that changed are indexed again
/// (`SearchCache`), and only the index files that changed are written.
@Suite struct SearchCacheTests {
    /// An archive of `count` short articles, which the index cuts into several runs.
    private func site(articles count: Int) throws -> TestSite {
        var files = Fixture.files
        for number in 1...count {
            files["content/articles/kurz-\(number).md"] = "---\ntitle: Kurz \(number)\ndate: 2019-03-01\n---\nWort\(number) und Ruhe in Damaskus.\n"
        }
        return try TestSite(files)
    }

    private func indexed(_ site: TestSite, known: [UInt64: SearchIndex.Chunk] = [:])
        -> (index: SearchIndex, chunks: [SearchIndex.Chunk], indexedAnew: Int) {
        SearchIndex.indexed(SiteBuilder(site: site.root).archive().archive, paths: SitePaths(prettyURLs: false), known: known)
    }

    /// Every word with its postings: what two indexes must agree on.
    private func contents(_ index: SearchIndex) -> [String: [SearchIndex.Posting]] {
        Dictionary(uniqueKeysWithValues: index.words.indices.map { (index.words[$0], index.postings(ofWord: $0)) })
    }

    @Test func anEditIndexesOnlyTheRunOfTheEditedArticle() throws {
        let site = try site(articles: 600)
        defer { site.delete() }
        let first = indexed(site)
        #expect(first.chunks.count > 2, "600 articles make several runs")
        #expect(first.indexedAnew == first.chunks.count)

        try site.write("content/articles/kurz-300.md", "---\ntitle: Kurz 300\ndate: 2019-03-01\n---\nNeuigkeit aus Efrîn.\n")
        let known = Dictionary(uniqueKeysWithValues: first.chunks.map { ($0.digest, $0) })
        let second = indexed(site, known: known)
        #expect(second.indexedAnew == 1, "\(second.indexedAnew) of \(second.chunks.count) runs indexed again")
        #expect(contents(second.index) == contents(SearchIndex(SiteBuilder(site: site.root).archive().archive, paths: SitePaths(prettyURLs: false))))
        #expect(second.index.postings(of: "neuigkeit")?.count == 1)
        #expect(second.index.postings(of: "wort300") == nil)

        try site.write("content/articles/kurz-601.md", "---\ntitle: Kurz 601\ndate: 2019-03-01\n---\nGanz neu.\n")
        let added = indexed(site, known: Dictionary(uniqueKeysWithValues: second.chunks.map { ($0.digest, $0) }))
        #expect(added.indexedAnew == 1, "an added article changes the run it falls in, not the runs after it")
    }

    @Test func theRunsComeBackFromTheCacheAsTheyWereAndABrokenRunIsNotUsed() throws {
        let site = try site(articles: 300)
        defer { site.delete() }
        let chunks = indexed(site).chunks
        let cache = SearchCache(site: site.root)
        #expect(cache.chunks().isEmpty)
        cache.save(chunks, kept: [])
        let read = cache.chunks()
        #expect(read.count == chunks.count)
        for chunk in chunks {
            let back = try #require(read[chunk.digest])
            #expect(back.words == chunk.words && back.postingWords == chunk.postingWords && back.postingWeights == chunk.postingWeights
                    && back.documentEnds == chunk.documentEnds && back.unusual == chunk.unusual)
        }

        let cut = cache.runs.file(chunks[0].digest)
        let bytes = try Data(contentsOf: cut)
        try bytes.prefix(bytes.count - 5).write(to: cut)
        #expect(cache.chunks()[chunks[0].digest] == nil && cache.chunks().count == chunks.count - 1, "a file cut short")
        try FileManager.default.copyItem(at: cache.runs.file(chunks[1].digest), to: cache.runs.file(12345))
        #expect(cache.chunks()[12345] == nil, "a run under another run's name")
        let pointingPast = SearchIndex.Chunk(digest: 1, words: WordList(bytes: Array("ab".utf8), ends: [0, 2]), postingWords: [5],
                                             postingWeights: [1], documentEnds: [1], unusual: [])
        cache.save(chunks + [pointingPast], kept: [])
        #expect(cache.chunks()[1] == nil, "a posting of a word past its run's words")
        #expect(cache.chunks().count == chunks.count)
    }

    @Test func runsStartedReadingEarlyAreTheOnesTheCacheHeld() throws {
        let site = try site(articles: 300)
        defer { site.delete() }
        let chunks = indexed(site).chunks
        SearchCache(site: site.root).save(chunks, kept: [])
        let early = SearchCache.startReading(site: site.root)
        let read = early.chunks()
        #expect(Set(read.keys) == Set(chunks.map(\.digest)))
        for chunk in chunks { #expect(read[chunk.digest]?.postingWords == chunk.postingWords) }
        // Read once: the runs are those of when the build started, not read again.
        try FileManager.default.removeItem(at: early.runs.folder)
        #expect(early.chunks().count == chunks.count)
        #expect(SearchCache(site: site.root).chunks().isEmpty)
    }

    @Test func aSaveWritesOnlyTheNewRunsAndRemovesTheUnusedOnes() throws {
        let site = try site(articles: 600)
        defer { site.delete() }
        let cache = SearchCache(site: site.root)
        let first = indexed(site).chunks
        cache.save(first, kept: [])
        let times = try Dictionary(uniqueKeysWithValues: first.map { ($0.digest, try #require(FileCalls.identity(cache.runs.file($0.digest).path))) })

        try site.write("content/articles/kurz-300.md", "---\ntitle: Kurz 300\ndate: 2019-03-01\n---\nNeuigkeit aus Efrîn.\n")
        let known = cache.chunks()
        let second = indexed(site, known: known)
        let leftover = cache.runs.folder.appendingPathComponent(".\(String(first[0].digest, radix: 16))-\(Int32.max).bin")
        try Data("half written".utf8).write(to: leftover)
        cache.save(second.chunks, kept: Set(known.keys))
        #expect(!FileManager.default.fileExists(atPath: leftover.path), "what a killed build left while writing a run")
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.runs.folder.path)
        #expect(names.count == second.chunks.count, "the old run of the edited article is gone: \(names.count)")
        let rewritten = second.chunks.filter { FileCalls.identity(cache.runs.file($0.digest).path) != times[$0.digest] }
        #expect(rewritten.count == 1, "only the new run is written")
    }

    @Test func anEditRewritesOnlyTheIndexFilesItChanges() throws {
        let site = try site(articles: 60)
        defer { site.delete() }
        _ = site.build()
        let folder = site.root.appendingPathComponent("public/search")
        func identities() throws -> [String: FileIdentity] {
            try Dictionary(uniqueKeysWithValues: FileManager.default.contentsOfDirectory(atPath: folder.path).map { name in
                (name, try #require(FileCalls.identity(folder.appendingPathComponent(name).path)))
            })
        }
        let before = try identities()
        #expect(before.keys.filter { $0.hasPrefix("terms-") }.count > 10)

        // A word with a first letter no other word has: a new shard, which must not rename the others.
        try site.write("content/articles/kurz-7.md", "---\ntitle: Kurz 7\ndate: 2019-03-01\n---\nWort7 und Ruhe in Damaskus, xylophon.\n")
        let report = site.build()
        #expect(report.published)
        let after = try identities()
        let rewritten = after.keys.filter { before[$0] != after[$0] }.sorted()
        let xylophon = "terms-\(SearchFiles.shardName("x")).js"
        #expect(rewritten.contains(xylophon) && rewritten.contains("meta.js"))
        #expect(rewritten.count == 3, "the new shard, the article's docs file and meta.js: \(rewritten)")
        #expect(try site.read("public/search/\(xylophon)").contains("\"xylophon\":["))
    }

    @Test func anEditMakesOnlyTheIndexFilesItChanges() throws {
        let site = try site(articles: 60)
        defer { site.delete() }
        func make(previous: PreviousBuild?) -> (made: [String], files: [String: ArchiveFiles.Made], carriedOver: [String]) {
            let made = Mutex<[String]>([])
            let archive = SiteBuilder(site: site.root).archive().archive
            let result = ArchiveFiles.make(archive, pages: [], key: "key", previous: previous) { file in made.withLock { $0.append(file.path) } }
            return (made.withLock { $0 }, result.files, result.carriedOver)
        }
        let first = make(previous: nil)
        let identity = FileIdentity(device: 0, inode: 0, size: 0, modified: 0, modifiedNanoseconds: 0)
        let previous = PreviousBuild(files: first.files.mapValues { BuildCache.PublishedFile(kind: $0.kind, fingerprint: $0.fingerprint, identity: identity) },
                                     changed: [], folder: site.root.appendingPathComponent("public").path, dataLayouts: [:])
        let searchFiles = first.files.keys.filter { $0.hasPrefix("search/") }
        #expect(searchFiles.count > 10)

        try site.write("content/articles/kurz-7.md", "---\ntitle: Kurz 7\ndate: 2019-03-01\n---\nWort7 und Ruhe in Damaskus, xylophon.\n")
        let second = make(previous: previous)
        let madeSearch = second.made.filter { $0.hasPrefix("search/") }
        #expect(madeSearch.count <= 4, "the new shard, the article's docs file and meta.js: \(madeSearch)")
        #expect(Set(second.carriedOver.filter { $0.hasPrefix("search/") }) == Set(searchFiles).subtracting(madeSearch))
    }
}

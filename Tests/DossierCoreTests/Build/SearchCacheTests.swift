import Foundation
import Synchronization
import Testing
@testable import DossierCore

/// The search index after an edit: only the runs of documents that changed are indexed again,
/// the last build's terms (`SearchCache`) patched with them, and only the index files that
/// changed are written.
@Suite struct SearchCacheTests {
    /// An archive of `count` short articles, which the index cuts into several runs.
    private func site(articles count: Int) throws -> TestSite {
        var files = Fixture.files
        for number in 1...count {
            files["content/articles/kurz-\(number).md"] = "---\ntitle: Kurz \(number)\ndate: 2019-03-01\n---\nWort\(number) und Ruhe in Damaskus.\n"
        }
        return try TestSite(files)
    }

    private func indexed(_ site: TestSite, last: SearchIndex.Terms? = nil) -> (index: SearchIndex, indexedAnew: Int) {
        SearchIndex.indexed(SiteBuilder(site: site.root).archive().archive, paths: SitePaths(prettyURLs: false), last: last)
    }

    /// A word's postings and their digest.
    private struct Entry: Equatable {
        let postings: [SearchIndex.Posting]
        let digest: UInt64
    }

    /// Every word with its postings and their digest: what two indexes must agree on.
    private func contents(_ index: SearchIndex) -> [String: Entry] {
        Dictionary(uniqueKeysWithValues: index.words.indices.map { word in
            (index.words[word], Entry(postings: index.postings(ofWord: word), digest: index.terms.postingDigests[word]))
        })
    }

    /// The index's files, by path, as their bytes.
    private func files(_ index: SearchIndex) -> [String: Data] {
        Dictionary(uniqueKeysWithValues: SearchFiles.all(index, postingsPerShard: 50).map { ($0.path, $0.body.materialized() ?? Data()) })
    }

    /// A patched index must be the one a build without the last terms makes, to its files.
    private func expectSameAsFresh(_ patched: SearchIndex, _ site: TestSite, _ comment: Comment) {
        let fresh = indexed(site).index
        let (patchedContents, freshContents) = (contents(patched), contents(fresh))
        let differing = Set(patchedContents.keys).union(freshContents.keys).filter { patchedContents[$0] != freshContents[$0] }
        #expect(differing.isEmpty, "\(comment): \(differing.count) words differ, such as \(differing.sorted().prefix(5))")
        #expect(patched.terms.wordOrder.map { patched.words[Int($0)] } == fresh.terms.wordOrder.map { fresh.words[Int($0)] },
                "\(comment): the words' order")
        let (patchedFiles, freshFiles) = (files(patched), files(fresh))
        let differingFiles = Set(patchedFiles.keys).union(freshFiles.keys).filter { patchedFiles[$0] != freshFiles[$0] }
        #expect(differingFiles.isEmpty, "\(comment): files differ: \(differingFiles.sorted())")
    }

    @Test func anEditIndexesOnlyTheRunOfTheEditedArticleAndPatchesTheRest() throws {
        let site = try site(articles: 600)
        defer { site.delete() }
        let first = indexed(site)
        #expect(first.index.terms.runs.count > 2, "600 articles make several runs")
        #expect(first.indexedAnew == first.index.terms.runs.count)

        try site.write("content/articles/kurz-300.md", "---\ntitle: Kurz 300\ndate: 2019-03-01\n---\nNeuigkeit aus Efrîn.\n")
        let edited = indexed(site, last: first.index.terms)
        #expect(edited.indexedAnew == 1, "\(edited.indexedAnew) of \(edited.index.terms.runs.count) runs indexed again")
        #expect(edited.index.postings(of: "neuigkeit")?.count == 1)
        #expect(edited.index.postings(of: "wort300") == nil, "a word only the old text had is gone")
        expectSameAsFresh(edited.index, site, "after an edit")

        try site.write("content/articles/kurz-601.md", "---\ntitle: Kurz 601\ndate: 2019-03-02\n---\nGanz neu.\n")
        let added = indexed(site, last: edited.index.terms)
        #expect(added.indexedAnew == 1, "an added article changes the run it falls in, not the runs after it")
        #expect(added.index.documents.first?.title == "Kurz 601", "the newest first: every other document is renumbered")
        expectSameAsFresh(added.index, site, "after an article was added before all others")

        try FileManager.default.removeItem(at: site.root.appendingPathComponent("content/articles/kurz-12.md"))
        try site.write("content/articles/kurz-500.md", "---\ntitle: Kurz 500\ndate: 2018-01-01\n---\nWort500 und Ruhe in Damaskus.\n")
        let moved = indexed(site, last: added.index.terms)
        #expect(moved.indexedAnew <= 3, "the runs an article left, the one it moved to, the one one left")
        expectSameAsFresh(moved.index, site, "after an article was removed and another moved")
    }

    @Test func anActorOrPlaceWhoseNamesOrTextChangedIsIndexedAgain() throws {
        let site = try site(articles: 300)
        defer { site.delete() }
        var last = indexed(site).index.terms
        // An actor's or place's document has no file digest: its run is told by its names and
        // its text, each of which alone makes it indexed again.
        for (aliases, text, word, weight) in [("", "Oase", "oase", 1), ("Dimaschq", "Oase", "dimaschq", SearchIndex.titleWeight),
                                              ("Schams", "Oase", "schams", SearchIndex.titleWeight)] {
            let text = "---\nname: Damaskus\naliases: [\(aliases)]\n---\nHauptstadt mit einer \(text).\n"
            try site.write("content/places/damaskus.md", text)
            let changed = indexed(site, last: last)
            #expect(changed.indexedAnew == 1, "\(word)")
            let damaskus = try #require(changed.index.documents.firstIndex { $0.title == "Damaskus" })
            #expect(changed.index.postings(of: word) == [SearchIndex.Posting(document: damaskus, weight: weight)])
            expectSameAsFresh(changed.index, site, "after a place's \(word == "oase" ? "text" : "aliases") changed to \(word)")
            last = changed.index.terms
        }
    }

    @Test func theTermsComeBackFromTheCacheAsTheyWereAndBrokenOnesAreNotUsed() throws {
        let site = try site(articles: 300)
        defer { site.delete() }
        let terms = indexed(site).index.terms
        let cache = SearchCache(site: site.root)
        #expect(cache.terms() == nil)
        cache.save(terms)
        let back = try #require(cache.terms())
        #expect(back.runs == terms.runs && back.words == terms.words && back.postingStarts == terms.postingStarts
                && back.postingDocuments == terms.postingDocuments && back.postingWeights == terms.postingWeights
                && back.postingDigests == terms.postingDigests && back.wordOrder == terms.wordOrder)
        #expect(back.table.existingID(of: Array("damaskus".utf8)) == terms.table.existingID(of: Array("damaskus".utf8)))

        let bytes = try Data(contentsOf: cache.file)
        try bytes.prefix(bytes.count - 5).write(to: cache.file)
        #expect(cache.terms() == nil, "a file cut short")
        try Data("dossier search terms 1\ngarbage".utf8).write(to: cache.file)
        #expect(cache.terms() == nil, "garbage")

        func broken(_ change: (inout SearchIndex.Terms) -> Void) -> SearchIndex.Terms? {
            var changed = terms
            change(&changed)
            cache.save(changed)
            return cache.terms()
        }
        #expect(broken { _ in } != nil)
        #expect(broken { $0.postingDocuments[0] = Int32($0.documentCount) } == nil, "a posting of a document past the last")
        let damaskus = try #require(terms.table.existingID(of: Array("damaskus".utf8)).map { terms.postingRange(ofWord: Int($0)) })
        #expect(damaskus.count > 1)
        #expect(broken { $0.postingDocuments.swapAt(damaskus.lowerBound, damaskus.lowerBound + 1) } == nil, "postings out of document order")
        #expect(broken { $0.wordOrder[0] = $0.wordOrder[1] } == nil, "a word order that leaves a word out")
        #expect(broken { $0.runs.removeLast() } == nil, "postings of documents no run has")
    }

    @Test func termsStartedReadingEarlyAreTheOnesTheCacheHeld() throws {
        let site = try site(articles: 300)
        defer { site.delete() }
        let terms = indexed(site).index.terms
        SearchCache(site: site.root).save(terms)
        let early = SearchCache.reading(site: site.root)
        early.startReading()
        #expect(early.terms()?.postingDocuments == terms.postingDocuments)
        // Read once: the terms are those of when the build started, not read again.
        try FileManager.default.removeItem(at: early.file)
        #expect(early.terms()?.runs == terms.runs)
        #expect(SearchCache(site: site.root).terms() == nil)
    }

    @Test func aSaveRemovesWhatEarlierBuildsLeftInTheFolder() throws {
        let site = try site(articles: 60)
        defer { site.delete() }
        let cache = SearchCache(site: site.root)
        try FileManager.default.createDirectory(at: cache.folder, withIntermediateDirectories: true)
        for name in ["1f2e3d.bin", ".1f2e3d-\(Int32.max).bin"] { try Data("a run of the earlier layout".utf8).write(to: cache.folder.appendingPathComponent(name)) }
        cache.save(indexed(site).index.terms)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.folder.path) == ["terms.bin"])
        #expect(cache.terms() != nil)
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
        // The terms are saved while the build publishes, and kept before it returns.
        let kept = try #require(SearchCache(site: site.root).terms())
        #expect(kept.table.existingID(of: Array("xylophon".utf8)) != nil)
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

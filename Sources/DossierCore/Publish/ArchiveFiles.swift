/// What a file of the published site is, for the build cache: a page, an asset, or one of the
/// files made from the whole archive, in the groups they are made and carried over in.
enum OutputKind: UInt8, Sendable {
    case page, asset, search, feed, sitemap, data
}

/// The files made from the whole archive rather than page by page: the feeds, the sitemap,
/// the search index and the data exports.
///
/// Each has a fingerprint of everything it is made from, taken without making it: a feed of
/// its articles' files; the sitemap of the page list; the data files of what they tell of each
/// article (not its text), of the notes and of the entities' counts (`DataFiles`); the search
/// index's `meta.js` of every article's and note's file, its other files of their own words or
/// documents (`SearchFiles.plan`). All start from the build cache's key (tool, theme, settings,
/// actors and places). A file whose fingerprint is the last build's, and which is still as that
/// build left it, is carried over without being made.
enum ArchiveFiles {
    /// A file made here: its kind and fingerprint.
    struct Made: Sendable, Equatable {
        let kind: OutputKind
        let fingerprint: UInt64
    }

    /// All of them, made side by side on all cores (each is made in one piece, several alone)
    /// and each group handed to `deliver` as soon as it is made, so that they are not all held
    /// at once (at 10,000 articles they are some 150 MB); `pages` are the site's pages, for the
    /// sitemap. Those `previous` has unchanged are not made; the search index is made from the
    /// terms `searchCache` holds, patched where runs of documents changed, and kept there for
    /// the next build. Returns every file (made or carried over), the paths of those
    /// carried over, where the articles' parts lie in the data files, for the next build, and
    /// the saving of the search terms, which goes on while the build publishes.
    static func make(_ archive: Archive, pages: [String], key: String = "", previous: PreviousBuild? = nil,
                     searchCache: SearchCache? = nil, deliver: @escaping @Sendable (OutputFile) -> Void)
        -> (files: [String: Made], carriedOver: [String], dataLayouts: [String: DataLayout], searchCacheSaved: Background<Void>?) {
        let fingerprints = Fingerprints(archive, key: key)
        var files: [String: Made] = [:]
        var carriedOver: [String] = []
        // What makes the files not carried over, each run on a core of its own.
        var makers: [@Sendable () -> [OutputFile]] = []

        /// Records the file at `path`, made from `fingerprint`; whether the last build's is still right.
        func isCarriedOver(_ path: String, _ made: Made) -> Bool {
            files[path] = made
            guard previous?.isUnchanged(path, fingerprint: made.fingerprint) == true else { return false }
            carriedOver.append(path)
            return true
        }

        // The search index: carried over whole when no document changed (its `meta.js` holds
        // the fingerprint of them all); else made, and only the files whose own fingerprint
        // changed are made (after an edit of one article, the few that hold its words).
        let searchFingerprint = fingerprints.search
        let lastSearch = previous?.files(of: .search) ?? []
        let searchIsUnchanged = !lastSearch.isEmpty && previous?.isUnchanged(SearchFiles.metaPath, fingerprint: searchFingerprint) == true
            && lastSearch.allSatisfy { previous?.changed.contains($0) == false }
        if searchIsUnchanged {
            for path in lastSearch { files[path] = Made(kind: .search, fingerprint: previous?.files[path]?.fingerprint ?? 0) }
            carriedOver += lastSearch
        }
        // The search index, the longest to make, starts first (before the data files'
        // fingerprints are taken), on a thread of its own, so that its chunks spread over the
        // cores the other groups leave: in a `concurrentPerform` with
        // them they would run on one thread. The other groups' chunks do run on their own
        // thread, which keeps fewer of the large data files in memory at once.
        let search = searchIsUnchanged ? nil : Background { [fingerprints] in
            makeSearchFiles(archive, key: fingerprints.key, metaFingerprint: searchFingerprint, previous: previous,
                            cache: searchCache, deliver: deliver)
        }
        // The data files one by one, as an edit changes some.
        let data = DataFiles(archive, key: fingerprints.key, previous: previous)
        for (path, fingerprint) in data.fingerprints { files[path] = Made(kind: .data, fingerprint: fingerprint) }
        carriedOver += data.carriedOver
        makers += data.makers
        if !isCarriedOver("sitemap.xml", Made(kind: .sitemap, fingerprint: fingerprints.sitemap(pages))) {
            makers.append { [Feeds.sitemap(archive, pages: pages)] }
        }
        // Feeds one by one: an edit changes a few.
        let feeds = Feeds.lists(archive).filter { !isCarriedOver($0.path, Made(kind: .feed, fingerprint: fingerprints.feed($0))) }
        if !feeds.isEmpty {
            makers.append { Feeds.all(archive, lists: feeds) }
        }
        // Side by side on the cores; a maker's own chunks then run on its thread, which keeps
        // fewer of the large files in memory at once than spreading each over every core.
        _ = Parallel.map(makers) { $0().forEach(deliver) }
        let searched = search?.value ?? (files: [:], carriedOver: [], cacheSaved: nil)
        files.merge(searched.files) { first, _ in first }
        return (files, carriedOver + searched.carriedOver, data.layouts, searched.cacheSaved)
    }

    /// The search index's files: the index made from the terms `cache` holds, patched where
    /// runs of documents changed (and kept there again), and of its files those `previous` has
    /// with another fingerprint made and handed to `deliver`. Every file, the paths of those
    /// carried over, and the saving of the terms (on a thread of its own).
    private static func makeSearchFiles(_ archive: Archive, key: UInt64, metaFingerprint: UInt64, previous: PreviousBuild?,
                                        cache: SearchCache?, deliver: @Sendable (OutputFile) -> Void)
        -> (files: [String: Made], carriedOver: [String], cacheSaved: Background<Void>?) {
        let last = cache?.terms()
        let index = SearchIndex.indexed(archive, paths: SitePaths(prettyURLs: archive.config.prettyURLs), last: last).index
        // Kept while the files are made and published, on the core they leave.
        let saved = cache.map { cache in
            Background {
                if last?.runs.map(\.digest) != index.terms.runs.map(\.digest) { cache.save(index.terms) }
            }
        }
        let planned = SearchFiles.plan(index, key: key, metaFingerprint: metaFingerprint)
        let unchanged = planned.map { previous?.isUnchanged($0.path, fingerprint: $0.fingerprint) == true }
        _ = Parallel.map(zip(planned, unchanged).compactMap { $1 ? nil : $0 }) { deliver($0.make()) }
        return (Dictionary(planned.map { ($0.path, Made(kind: .search, fingerprint: $0.fingerprint)) }, uniquingKeysWith: { first, _ in first }),
                zip(planned, unchanged).compactMap { $1 ? $0.path : nil }, saved)
    }

    /// What the files are made from, as numbers.
    private struct Fingerprints: Sendable {
        let archive: Archive
        let key: UInt64

        init(_ archive: Archive, key: String) {
            self.archive = archive
            self.key = StableHash.of(key)
        }

        /// The search index: every article's and note's file, in the archive's order.
        var search: UInt64 {
            var hash = start("search")
            for digest in archive.articleDigests { hash.combine(digest) }
            for digest in archive.noteDigests { hash.combine(digest) }
            return hash.value
        }

        /// A feed: its articles' files.
        func feed(_ list: Feeds.List) -> UInt64 {
            var hash = start("feed " + list.path)
            for article in list.articles { hash.combine(archive.articleDigests[article]) }
            return hash.value
        }

        func sitemap(_ pages: [String]) -> UInt64 {
            var hash = start("sitemap")
            for page in pages { hash.combine(page) }
            return hash.value
        }

        private func start(_ what: String) -> StableHash {
            var hash = StableHash()
            hash.combine(key)
            hash.combine(what)
            return hash
        }
    }
}

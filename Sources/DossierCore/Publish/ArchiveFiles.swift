import Dispatch
import Synchronization

/// What a file of the published site is, for the build cache: a page, an asset, or one of the
/// files made from the whole archive, in the groups they are made and carried over in.
enum OutputKind: UInt8, Sendable {
    case page, asset, search, feed, sitemap, data
}

/// The files made from the whole archive rather than page by page: the feeds, the sitemap,
/// the search index and the data exports.
///
/// Each has a fingerprint of everything it is made from, taken without making it: the search
/// index of every article's and note's file; a feed of its articles' files; the sitemap of
/// the page list; the data files of what they tell of each article (not its text), of the
/// notes and of the entities' counts (`DataFiles`). All start from the build cache's key (tool,
/// theme, settings, actors and places). A file whose fingerprint is the last build's, and which
/// is still as that build left it, is carried over without being made; the search index only
/// whole.
enum ArchiveFiles {
    /// A file made here: its kind and fingerprint.
    struct Made: Sendable, Equatable {
        let kind: OutputKind
        let fingerprint: UInt64
    }

    /// All of them, made side by side on all cores (each is made in one piece, several alone)
    /// and each group handed to `deliver` as soon as it is made, so that they are not all held
    /// at once (at 10,000 articles they are some 150 MB); `pages` are the site's pages, for the
    /// sitemap. Those `previous` has unchanged are not made. Returns every file (made or carried
    /// over), the paths of those carried over (or made as they were), and where the articles'
    /// parts lie in the data files, for the next build.
    static func make(_ archive: Archive, pages: [String], key: String = "", previous: PreviousBuild? = nil,
                     deliver: @escaping @Sendable (OutputFile) -> Void)
        -> (files: [String: Made], carriedOver: [String], dataLayouts: [String: DataLayout]) {
        let fingerprints = Fingerprints(archive, key: key)
        var files: [String: Made] = [:]
        var carriedOver: [String] = []
        var makers: [(kind: OutputKind, make: @Sendable () -> [OutputFile])] = []
        var groups: [OutputKind: UInt64] = [:]

        /// Carries the group over if the last build made all its files from `fingerprint`, else
        /// has it made by `makes`, side by side.
        func group(_ kind: OutputKind, _ fingerprint: UInt64, _ makes: [@Sendable () -> [OutputFile]]) {
            let last = previous?.files(of: kind) ?? []
            if !last.isEmpty, last.allSatisfy({ previous?.isUnchanged($0, fingerprint: fingerprint) == true }) {
                for path in last { files[path] = Made(kind: kind, fingerprint: fingerprint) }
                carriedOver += last
                return
            }
            groups[kind] = fingerprint
            makers += makes.map { (kind, $0) }
        }

        group(.search, fingerprints.search, [{ SearchFiles.all(SearchIndex(archive, paths: SitePaths(prettyURLs: archive.config.prettyURLs))) }])
        // The data files one by one, as an edit changes some.
        let data = DataFiles(archive, key: fingerprints.key, previous: previous)
        for (path, fingerprint) in data.fingerprints { files[path] = Made(kind: .data, fingerprint: fingerprint) }
        carriedOver += data.carriedOver
        makers += data.makers.map { (.data, $0) }
        group(.sitemap, fingerprints.sitemap(pages), [{ [Feeds.sitemap(archive, pages: pages)] }])
        // Feeds one by one: an edit changes a few.
        var feeds: [Feeds.List] = []
        for list in Feeds.lists(archive) {
            let made = Made(kind: .feed, fingerprint: fingerprints.feed(list))
            files[list.path] = made
            if previous?.isUnchanged(list.path, fingerprint: made.fingerprint) == true {
                carriedOver.append(list.path)
            } else {
                feeds.append(list)
            }
        }
        if !feeds.isEmpty {
            makers.append((.feed, { [feeds] in Feeds.all(archive, lists: feeds) }))
        }
        // Side by side on the cores; a group's own chunks then run on its thread, which keeps
        // fewer of the large files in memory at once than spreading each over every core.
        @Sendable func make(_ maker: (kind: OutputKind, make: @Sendable () -> [OutputFile])) -> (OutputKind, [String]) {
            let made = maker.make()
            made.forEach(deliver)
            return (maker.kind, made.map(\.path))
        }
        // The search index, the longest to make, starts on a thread of its own, so that its
        // chunks spread over the cores the other groups leave: in a `concurrentPerform` with
        // them they would run on one thread. The other groups' chunks do run on their own
        // thread, which keeps fewer of the large data files in memory at once.
        let search = Mutex<[(OutputKind, [String])]>([])
        let searching = DispatchGroup()
        for maker in makers where maker.kind == .search {
            DispatchQueue.global().async(group: searching) {
                let made = make(maker)
                search.withLock { $0.append(made) }
            }
        }
        let made = Parallel.map(makers.filter { $0.kind != .search }, make)
        searching.wait()
        for (kind, paths) in made + search.withLock({ $0 }) {
            for path in paths where files[path] == nil { files[path] = Made(kind: kind, fingerprint: groups[kind] ?? 0) }
        }
        return (files, carriedOver + data.unchanged, data.layouts)
    }

    /// What the files are made from, as numbers.
    private struct Fingerprints {
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

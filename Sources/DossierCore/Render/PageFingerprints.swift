/// What each page of the site is made from, as one number: equal fingerprints in two builds
/// (with the same tool, theme, site settings and actors and places, which the build cache
/// checks apart) mean equal pages, so the page need not be rendered again.
///
/// Each fingerprint names what the page's context reads: an article page its article, the
/// notes on it and its related articles' list entries; an entity page the articles it lists,
/// and on the first page also the list entries of all of them (their dates make the timeline),
/// the notes on it, its companions and the counts of the places it lies in or holds; an archive page its articles' entries; a note page the note, its article and the
/// counts of what it is about. Pages made from the whole archive (home, indexes, search, data,
/// 404) have none and are rendered every time. Whoever adds to a page's context adds it here;
/// the incremental build tests compare every file with a full build's.
struct PageFingerprints: Sendable {
    private let renderer: SiteRenderer
    /// The digest of each article's and note's source file, by index in the archive.
    private let articles: [UInt64]
    private let notes: [UInt64]
    /// The digest of what a list shows of each article (title, date, source, summary, count):
    /// an edit to its text alone leaves the lists it stands in as they were.
    private let entries: [UInt64]
    /// For each place, the places it lies in or holds, whose counts its page shows.
    private let neighbours: [EntityRef: [EntityRef]]

    init(_ renderer: SiteRenderer) {
        self.renderer = renderer
        articles = renderer.archive.articleDigests
        notes = renderer.archive.noteDigests
        var neighbours: [EntityRef: [EntityRef]] = [:]
        for place in renderer.archive.registry.entities where place.ref.kind == .place {
            guard let within = place.within else { continue }
            let outer = EntityRef(.place, within)
            neighbours[place.ref, default: []].append(outer)
            neighbours[outer, default: []].append(place.ref)
        }
        self.neighbours = neighbours
        entries = renderer.archive.articles.map { linked in
            let article = linked.article
            return StableHash.of(article.id, article.title, article.date?.timestamp ?? "", article.publisher ?? "",
                                 article.summary ?? "", String(linked.mentions.count))
        }
    }

    /// The fingerprint of `page`, written at `path`; nil for a page rendered every time.
    func of(_ page: SiteRenderer.Page, at path: String) -> UInt64? {
        let archive = renderer.archive
        var hash = StableHash()
        hash.combine(path)
        switch page {
        case .home, .notFound, .noteList, .search, .data, .entityList:
            return nil
        case .articleList(let number, let count):
            hash.combine(count)
            let start = (number - 1) * SitePaths.articlesPerPage
            for index in archive.articles.indices.dropFirst(start).prefix(SitePaths.articlesPerPage) { hash.combine(entries[index]) }
        case .article(let index):
            hash.combine(articles[index])
            for note in archive.notesByArticle[archive.articles[index].article.id] ?? [] { hash.combine(notes[note]) }
            for related in archive.related[index] {
                hash.combine(entries[related.other])
                hash.combine(related.shared)
            }
        case .entity(let index, let number, let count):
            let entity = archive.registry.entities[index]
            let ref = entity.ref
            let backlinks = archive.backlinks[ref] ?? []
            hash.combine(count)
            let start = (number - 1) * SitePaths.articlesPerEntityPage
            for backlink in backlinks.dropFirst(start).prefix(SitePaths.articlesPerEntityPage) { hash.combine(articles[backlink.article]) }
            for place in neighbours[ref] ?? [] { hash.combine(archive.mentionCount(of: place)) }
            // Further pages show their articles alone; the first also the timeline of all of
            // them, the notes and the companions.
            guard number == 1 else { break }
            hash.combine(backlinks.count)
            for backlink in backlinks {
                hash.combine(entries[backlink.article])
                hash.combine(backlink.mentions.count)
            }
            for note in archive.noteBacklinks[ref] ?? [] { combine(note: note, into: &hash) }
            for companion in archive.companions[ref] ?? [] {
                hash.combine(companion.entity)
                hash.combine(companion.articles)
            }
        case .note(let index):
            combine(note: index, into: &hash)
            let article = archive.notes[index].note.articleID.flatMap { archive.articleIndex[$0] }
            hash.combine(article.map { articles[$0] } ?? 0)
            for about in archive.notes[index].note.about {
                for ref in archive.registry.entities(withID: about.id) { hash.combine(archive.mentionCount(of: ref)) }
            }
        }
        return hash.value
    }

    /// A note as lists show it, with the title of the article it comments on.
    private func combine(note index: Int, into hash: inout StableHash) {
        hash.combine(notes[index])
        let article = renderer.archive.notes[index].note.articleID.flatMap { renderer.archive.articleIndex[$0] }
        hash.combine(article.map { entries[$0] } ?? 0)
    }
}

/// The pages of a build: those rendered, and those whose last build's file is still right.
public struct RenderedSite: Sendable {
    public let rendered: [String]
    public let reused: [String]
    /// Every page's fingerprint by path (pages rendered every time have none).
    public let fingerprints: [String: UInt64]
}

/// The archive after `index`: every article, entity and note with its links, and the
/// backlinks between them. Immutable and `Sendable`; rendering is a function of it.
public struct Archive: Sendable {
    public let config: SiteConfig
    public let registry: Registry
    /// Newest first; undated articles last.
    public internal(set) var articles: [LinkedArticle]
    /// Newest first; undated notes last.
    public internal(set) var notes: [LinkedNote]
    public let descriptions: [EntityRef: LinkedMarkdown]
    public let assets: [Asset]
    /// For each entity, the articles that mention it (indices into `articles`, newest first)
    /// with the mentions in each.
    public let backlinks: [EntityRef: [ArticleMentions]]
    /// For each entity, the notes that link to it or are about it (indices into `notes`).
    public let noteBacklinks: [EntityRef: [Int]]
    /// For each article id, the notes that comment on it (indices into `notes`).
    public let notesByArticle: [String: [Int]]
    /// For each article (by index), the articles that share the most actors and places with
    /// it (`other`, an index), with how many they share; most first, then newest.
    public var related: [[Relations.Relation]] { relations.related }
    /// For each entity, the actors and places mentioned in the most of its articles, with how
    /// many articles they share; most first, then by id.
    public let companions: [EntityRef: [(entity: EntityRef, articles: Int)]]
    /// The related articles, and what they and `companions` were counted from, for the next build.
    let relations: Relations
    let articleIndex: [String: Int]
    /// The digest of each article's and each note's source file (path and text), by index:
    /// what the fingerprints of the files made from them start from.
    public internal(set) var articleDigests: [UInt64]
    public internal(set) var noteDigests: [UInt64]

    public func article(withID id: String) -> LinkedArticle? { articleIndex[id].map { articles[$0] } }

    /// How many times each entity is mentioned across all articles.
    let mentionCounts: [EntityRef: Int]

    /// How many times the entity is mentioned across all articles.
    public func mentionCount(of ref: EntityRef) -> Int {
        mentionCounts[ref] ?? 0
    }
}

extension Archive {
    /// The archive with one article and the notes on it linked anew, and all that is derived
    /// from the whole archive (backlinks, related articles, counts) as it was: what a preview
    /// renders a saved article's page from, before the site is rebuilt.
    func replacing(articleAt index: Int, with article: LinkedArticle, notes: [Int: LinkedNote]) -> Archive {
        var archive = self
        archive.articles[index] = article
        archive.articleDigests[index] = article.article.file.digest
        for (noteIndex, note) in notes {
            archive.notes[noteIndex] = note
            archive.noteDigests[noteIndex] = note.note.file.digest
        }
        return archive
    }
}

public struct ArticleMentions: Sendable {
    /// Index into `Archive.articles`.
    public let article: Int
    public let mentions: SelectedMentions
}

/// Some of an article's mentions, in its order: held as their positions in the article's
/// mentions, so that grouping an archive's mentions by entity does not copy each mention.
public struct SelectedMentions: RandomAccessCollection, Sendable {
    let all: [Mention]
    let positions: [Int32]

    public var startIndex: Int { positions.startIndex }
    public var endIndex: Int { positions.endIndex }
    public subscript(index: Int) -> Mention { all[Int(positions[index])] }
}

/// The `index` stage: orders the archive and computes its backlinks.
public enum Indexer {
    /// `relationsBefore`, those of the last build, spare counting the relations again where
    /// nothing changed them.
    public static func index(config: SiteConfig, registry: Registry, articles: [LinkedArticle], notes: [LinkedNote],
                             descriptions: [EntityRef: LinkedMarkdown], assets: [Asset],
                             relationsBefore: Relations? = nil) -> (Archive, [Diagnostic]) {
        // Sorted by keys taken out once, the articles then moved into their order once.
        let articleKeys = articles.map { ($0.article.date, $0.article.id) }
        let articleOrder = articles.indices.sorted { newerFirst(articleKeys[$0], articleKeys[$1]) }
        let articles = articleOrder.map { articles[$0] }
        let notes = notes.sorted { newerFirst(($0.note.date, $0.note.id), ($1.note.date, $1.note.id)) }
        let articleIndex = Dictionary(uniqueKeysWithValues: articles.enumerated().map { ($1.article.id, $0) })

        // The backlinks, from the entities' mentions by article.
        let table = EntityArticles(articles, registry: registry)
        var backlinks: [EntityRef: [ArticleMentions]] = [:]
        var mentionCounts: [EntityRef: Int] = [:]
        for (entity, list) in table.mentionsOfEntity.enumerated() where !list.isEmpty {
            backlinks[table.entities[entity]] = list
            mentionCounts[table.entities[entity]] = list.reduce(0) { $0 + $1.mentions.count }
        }

        var diagnostics: [Diagnostic] = []
        var noteBacklinks: [EntityRef: [Int]] = [:]
        var notesByArticle: [String: [Int]] = [:]
        for (index, linked) in notes.enumerated() {
            let note = linked.note
            if let articleID = note.articleID {
                if articleIndex[articleID] != nil {
                    notesByArticle[articleID, default: []].append(index)
                } else {
                    diagnostics.append(.error(.index, at: note.articleLocation ?? note.file.location(line: 1),
                                              "'article: \(articleID)' names no article: no content/articles/\(articleID).md or .txt"))
                }
            }
            var refs: [EntityRef] = []
            for about in note.about {
                let found = registry.entities(withID: about.id)
                if found.isEmpty {
                    diagnostics.append(.error(.index, at: about.location, "'about: \(about.id)' names no actor or place"))
                }
                refs += found
            }
            for link in linked.body.links {
                if case .entity(let ref) = link.target { refs.append(ref) }
            }
            refs += linked.mentionedEntities
            for ref in Set(refs) { noteBacklinks[ref, default: []].append(index) }
        }
        for key in noteBacklinks.keys { noteBacklinks[key]?.sort() }

        for entity in registry.entities where backlinks[entity.ref] == nil {
            diagnostics.append(.note(.index, at: entity.file.location(line: 1), "\(entity.ref) is mentioned in no article"))
        }
        for linked in articles where linked.article.date == nil {
            diagnostics.append(.note(.index, at: linked.article.file.location(line: 1),
                                     "the article has no date: it is listed after the dated ones"))
        }
        let relations = relations(table, articles: articles, registry: registry, before: relationsBefore)
        var companions: [EntityRef: [(entity: EntityRef, articles: Int)]] = [:]
        for (entity, list) in zip(registry.entities, relations.companions) where companions[entity.ref] == nil {
            companions[entity.ref] = list.map { (entity: table.entities[$0.other], articles: $0.shared) }
        }
        let archive = Archive(config: config, registry: registry, articles: articles, notes: notes,
                              descriptions: descriptions, assets: assets, backlinks: backlinks,
                              noteBacklinks: noteBacklinks, notesByArticle: notesByArticle,
                              companions: companions, relations: relations,
                              articleIndex: articleIndex, articleDigests: articles.map(\.article.file.digest),
                              noteDigests: notes.map(\.note.file.digest),
                              mentionCounts: mentionCounts)
        return (archive, diagnostics)
    }

    /// How many related articles an article lists.
    static let relatedLimit = 5
    /// The most articles an entity may stand in and still relate them.
    static let relatedCommonest = 1_000

    /// For each article, the others sharing the most entities with it (at least one). An entity
    /// in more than 5 % of the articles (and more than 20), or in more than `relatedCommonest`,
    /// is left out: it relates nearly everything to everything (Syria in a Syria archive), and
    /// counting through it would cost time in the square of the archive's size (at 50,000
    /// articles the 5 % alone let this take 16 s).
    static func relatedArticles(_ articles: [LinkedArticle], registry: Registry, cap: Int = relatedCommonest) -> [[Relations.Relation]] {
        relations(EntityArticles(articles, registry: registry), articles: articles, registry: registry, cap: cap, before: nil).related
    }

    /// How many companions an entity page lists.
    static let companionLimit = 8

    /// The entities numbered, with for each article the entities it mentions and for each
    /// entity the articles that mention it, as numbers: what backlinks are made of, and what
    /// relating articles and entities counts through, without hashing a reference per step.
    struct EntityArticles: Sendable {
        /// The registry's entities, then any other a mention names, in the order first named.
        var entities: [EntityRef] = []
        var numbers: [EntityRef: Int] = [:]
        /// Each article's distinct entities, in order of first mention.
        var entitiesOfArticle: [[Int32]] = []
        /// Each entity's articles, in article order.
        var articlesOfEntity: [[Int32]] = []
        /// Each entity's articles with its mentions in each: its backlinks.
        var mentionsOfEntity: [[ArticleMentions]] = []

        init(_ articles: [LinkedArticle], registry: Registry) {
            for entity in registry.entities where numbers[entity.ref] == nil {
                numbers[entity.ref] = entities.count
                entities.append(entity.ref)
            }
            let known = numbers
            // Each article's mentions grouped by entity, in order of first mention, on all
            // cores. A group's place in its article is found by the entity's number in a table
            // each chunk reuses (reset after each article), not by hashing its reference again
            // per mention; a group of an entity not in the registry is numbered below, as no
            // core can number it alone.
            let grouped = Parallel.map(Array(articles.indices), state: { [Int32](repeating: -1, count: known.count) }) {
                index, groupOf -> [(entity: Int, ref: EntityRef, mentions: SelectedMentions)] in
                let mentions = articles[index].mentions
                var groups: [(entity: Int, ref: EntityRef, positions: [Int32])] = []
                // By position, each mention's entity read in place: a mention copied out of the
                // array (as `enumerated()` gives them) cost a reference count for each of its strings.
                for position in mentions.indices {
                    let ref = mentions[position].entity
                    let entity = known[ref] ?? -1
                    let group = entity >= 0
                        ? Int(groupOf[entity])
                        : groups.firstIndex { $0.entity < 0 && $0.ref == ref } ?? -1
                    if group >= 0 {
                        groups[group].positions.append(Int32(position))
                    } else {
                        if entity >= 0 { groupOf[entity] = Int32(groups.count) }
                        groups.append((entity, ref, [Int32(position)]))
                    }
                }
                for group in groups where group.entity >= 0 { groupOf[group.entity] = -1 }
                return groups.map { ($0.entity, $0.ref, SelectedMentions(all: mentions, positions: $0.positions)) }
            }
            entitiesOfArticle.reserveCapacity(articles.count)
            articlesOfEntity = Array(repeating: [], count: entities.count)
            mentionsOfEntity = Array(repeating: [], count: entities.count)
            for (article, groups) in grouped.enumerated() {
                var entitiesHere: [Int32] = []
                entitiesHere.reserveCapacity(groups.count)
                for group in groups {
                    var entity = group.entity
                    if entity < 0 {
                        entity = numbers[group.ref] ?? entities.count
                        if entity == entities.count {
                            numbers[group.ref] = entity
                            entities.append(group.ref)
                            articlesOfEntity.append([])
                            mentionsOfEntity.append([])
                        }
                    }
                    entitiesHere.append(Int32(entity))
                    articlesOfEntity[entity].append(Int32(article))
                    mentionsOfEntity[entity].append(ArticleMentions(article: article, mentions: group.mentions))
                }
                entitiesOfArticle.append(entitiesHere)
            }
        }
    }

    /// Counts per item (a number below `size`), emptied again by `best`.
    struct Tally {
        private var counts: [Int32]
        private var touched: [Int32] = []

        init(size: Int) {
            counts = [Int32](repeating: 0, count: size)
        }

        mutating func add(_ item: Int) {
            if counts[item] == 0 { touched.append(Int32(item)) }
            counts[item] += 1
        }

        /// The `limit` counted items that come first by `precedes`, in that order; resets the tally.
        mutating func best(_ limit: Int, by precedes: ((item: Int, count: Int), (item: Int, count: Int)) -> Bool)
            -> [(item: Int, count: Int)] {
            var best: [(item: Int, count: Int)] = []
            for item in touched {
                let candidate = (item: Int(item), count: Int(counts[Int(item)]))
                counts[Int(item)] = 0
                guard best.count < limit || precedes(candidate, best[best.count - 1]) else { continue }
                let position = best.firstIndex { precedes(candidate, $0) } ?? best.count
                best.insert(candidate, at: position)
                if best.count > limit { best.removeLast() }
            }
            touched.removeAll(keepingCapacity: true)
            return best
        }
    }

    /// Dated before undated, newer before older, then by id.
    private static func newerFirst(_ lhs: (ArticleDate?, String), _ rhs: (ArticleDate?, String)) -> Bool {
        switch (lhs.0, rhs.0) {
        case let (left?, right?) where left != right: return left > right
        case (.some, nil): return true
        case (nil, .some): return false
        default: return lhs.1 < rhs.1
        }
    }
}

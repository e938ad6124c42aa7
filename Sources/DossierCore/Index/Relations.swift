/// Which articles relate to which (`Archive.related`) and which entities keep company
/// (`Archive.companions`), with the table they were counted from. A build keeps them for the
/// next (`RelationCache`), which counts again only for the articles and entities that an edit
/// can have changed: counting for all of them took a tenth of a rebuild at 10,000 articles.
public struct Relations: Sendable, Equatable {
    /// The digest of the articles' ids in their order and of the entities in their numbering:
    /// relations of another layout cannot be compared position by position.
    let layout: UInt64
    /// Each article's entities, by number (`Indexer.EntityArticles.entitiesOfArticle`).
    let entitiesOfArticle: [[Int32]]
    /// Whether each entity, by number, relates articles: it is not in too many of them.
    let relating: [Bool]
    /// For each article, the related ones: indices and how many entities each shares.
    let related: [[Relation]]
    /// For each entity of the registry, in its order: companions by number, and how many
    /// articles each shares.
    let companions: [[Relation]]

    /// Another article or entity by its index or number, and how many entities or articles
    /// it shares.
    public struct Relation: Sendable, Equatable {
        public let other: Int
        public let shared: Int
    }
}

extension Indexer {
    /// The relations of `table`: taken from `before` where no edit since can have changed them
    /// (the articles' order, the numbering of entities and which entities relate articles all
    /// unchanged), else counted.
    static func relations(_ table: EntityArticles, articles: [LinkedArticle], registry: Registry,
                          cap: Int = relatedCommonest, before: Relations?) -> Relations {
        var hash = StableHash()
        for article in articles { hash.combine(article.article.id) }
        for entity in table.entities { hash.combine(entity) }
        let layout = hash.value
        let commonest = min(max(20, table.entitiesOfArticle.count / 20), cap)
        let relating = table.articlesOfEntity.map { $0.count <= commonest }
        let registryNumbers = registry.entities.map { table.numbers[$0.ref] ?? -1 }
        guard let before, before.layout == layout, before.relating == relating,
              before.companions.count == registryNumbers.count else {
            return Relations(layout: layout, entitiesOfArticle: table.entitiesOfArticle, relating: relating,
                             related: relatedArticles(table, relating: relating, Array(table.entitiesOfArticle.indices)),
                             companions: companions(table, registryNumbers))
        }
        // An article whose entities changed relates anew, and so does every article that has
        // an entity it gained or lost; an entity it has or had keeps other company.
        var articlesToCount = Set<Int>()
        var entitiesToCount = Set<Int32>()
        for (article, entities) in table.entitiesOfArticle.enumerated() where entities != before.entitiesOfArticle[article] {
            let old = Set(before.entitiesOfArticle[article])
            let new = Set(entities)
            articlesToCount.insert(article)
            entitiesToCount.formUnion(old.union(new))
            for entity in old.symmetricDifference(new) where relating[Int(entity)] {
                articlesToCount.formUnion(table.articlesOfEntity[Int(entity)].lazy.map(Int.init))
            }
        }
        var related = before.related
        let articles = articlesToCount.sorted()
        for (article, list) in zip(articles, relatedArticles(table, relating: relating, articles)) { related[article] = list }
        var companions = before.companions
        let positions = registryNumbers.indices.filter { entitiesToCount.contains(Int32(registryNumbers[$0])) }
        for (position, list) in zip(positions, Self.companions(table, positions.map { registryNumbers[$0] })) {
            companions[position] = list
        }
        return Relations(layout: layout, entitiesOfArticle: table.entitiesOfArticle, relating: relating,
                         related: related, companions: companions)
    }

    /// For each of `articles` (indices), the others sharing the most relating entities with it
    /// (at least one): most shared first, then newest (the lower index).
    private static func relatedArticles(_ table: EntityArticles, relating: [Bool], _ articles: [Int]) -> [[Relations.Relation]] {
        let articleCount = table.entitiesOfArticle.count
        return Parallel.map(articles, state: { Tally(size: articleCount) }) { index, tally -> [Relations.Relation] in
            for entity in table.entitiesOfArticle[index] where relating[Int(entity)] {
                for other in table.articlesOfEntity[Int(entity)] where other != index { tally.add(Int(other)) }
            }
            return tally.best(relatedLimit) { $0.count > $1.count || ($0.count == $1.count && $0.item < $1.item) }
                .map { Relations.Relation(other: $0.item, shared: $0.count) }
        }
    }

    /// For each of `entities` (numbers; -1 for none), the others that stand in the most of its
    /// articles: most articles first, then by name.
    private static func companions(_ table: EntityArticles, _ entities: [Int]) -> [[Relations.Relation]] {
        let names = table.entities.map(\.description)
        let entityCount = table.entities.count
        return Parallel.map(entities, state: { Tally(size: entityCount) }) { entity, tally -> [Relations.Relation] in
            guard entity >= 0 else { return [] }
            for article in table.articlesOfEntity[entity] {
                for other in table.entitiesOfArticle[Int(article)] where other != entity { tally.add(Int(other)) }
            }
            return tally.best(companionLimit) { $0.count > $1.count || ($0.count == $1.count && names[$0.item] < names[$1.item]) }
                .map { Relations.Relation(other: $0.item, shared: $0.count) }
        }
    }
}

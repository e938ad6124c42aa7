import Testing
@testable import DossierCore

@Suite struct IndexerTests {
    @Test func aNoteMustNameAnExistingArticleAndEntities() throws {
        let site = try TestSite(fixtureWith: [
            "content/notes/kommentar.md": "---\ntitle: Zur Offensive\narticle: fehlt\nabout: [qsd, niemand]\n---\nText.\n",
        ])
        defer { site.delete() }
        let errors = site.build(publish: false).diagnostics.filter { $0.stage == .index && $0.isError }
        #expect(errors.map(\.message).sorted() == [
            "'about: niemand' names no actor or place",
            "'article: fehlt' names no article: no content/articles/fehlt.md or .txt",
        ])
        #expect(errors.first { $0.message.hasPrefix("'article") }?.location.line == 3)
    }

    @Test func articlesAreNewestFirstAndUndatedLast() throws {
        let site = try TestSite(fixtureWith: [
            "content/articles/alt.md": "---\ntitle: Alt\ndate: 2017-01-01\n---\nText.\n",
            "content/articles/neu.md": "---\ntitle: Neu\ndate: 2019-01-01T08:00:00Z\n---\nText.\n",
        ])
        defer { site.delete() }
        let (content, _) = ContentLoader(site: site.root).load()
        let registry = Registry(entities: content.entities)
        let linker = Linker(registry: registry, articleIDs: [], noteIDs: [])
        let (archive, _) = Indexer.index(config: content.config, registry: registry, articles: content.articles.map { linker.link($0).0 },
                                         notes: [], descriptions: [:], assets: [])
        #expect(archive.articles.map(\.article.id) == ["neu", "offensive", "alt", "agentur"])
    }

    @Test func backlinksListEveryMentionedEntityEvenOneTheRegistryLacks() throws {
        let site = try TestSite(fixtureWith: [
            "content/articles/zweite.md": "---\ntitle: Zweite\ndate: 2019-01-01\n---\nDie QSD in Efrîn; die QSD in Damaskus.\n",
        ])
        defer { site.delete() }
        let (content, _) = ContentLoader(site: site.root).load()
        let registry = Registry(entities: content.entities)
        let linker = Linker(registry: registry, articleIDs: [], noteIDs: [])
        let articles = content.articles.map { linker.link($0).0 }
        // Indexed against a registry without the QSD, whose mentions the linker found.
        let qsd = try #require(registry.entities.first { $0.ref.id == "qsd" }?.ref)
        let (archive, _) = Indexer.index(config: content.config, registry: Registry(entities: content.entities.filter { $0.ref != qsd }),
                                         articles: articles, notes: [], descriptions: [:], assets: [])
        for ref in Set(articles.flatMap { $0.mentions.map(\.entity) }) {
            let mentioning = archive.articles.indices.filter { index in archive.articles[index].mentions.contains { $0.entity == ref } }
            #expect(archive.backlinks[ref]?.map(\.article) == mentioning, "\(ref): in article order")
            #expect(archive.mentionCount(of: ref) == articles.reduce(0) { $0 + $1.mentions.filter { $0.entity == ref }.count })
        }
        let zweite = try #require(archive.articleIndex["zweite"])
        #expect(archive.backlinks[qsd]?.first { $0.article == zweite }?.mentions.count == 2)
    }

    @Test func anEntityInMoreArticlesThanTheCapRelatesNothing() throws {
        var changes: [String: String] = [:]
        for index in 0..<15 { changes["content/articles/d\(index).md"] = "---\ntitle: D\(index)\n---\nIn Damaskus.\n" }
        changes["content/articles/beide.md"] = "---\ntitle: Beide\n---\nIn Damaskus und Efrîn.\n"
        let site = try TestSite(fixtureWith: changes)
        defer { site.delete() }
        let archive = SiteBuilder(site: site.root).archive().archive
        let beide = try #require(archive.articleIndex["beide"])
        let titles = { (related: [Relations.Relation]) in related.map { archive.articles[$0.other].article.title } }
        // Damaskus stands in 17 of 18 articles: within the 20 the 5 % rule allows a small archive.
        let uncapped = titles(Indexer.relatedArticles(archive.articles, registry: archive.registry)[beide])
        #expect(uncapped.first == "Efrin unter Beschuss" && uncapped.dropFirst().allSatisfy { $0.hasPrefix("D") } && uncapped.count == 5)
        // Above the cap it relates nothing: only Efrîn, in 2 articles, does.
        let capped = titles(Indexer.relatedArticles(archive.articles, registry: archive.registry, cap: 10)[beide])
        #expect(capped == ["Efrin unter Beschuss"])
    }

    /// The fixture's archive with `changes`, indexed with the relations `before` of a last build.
    private func archive(_ changes: [String: String], before: Relations?) throws -> Archive {
        let site = try TestSite(fixtureWith: changes)
        defer { site.delete() }
        let (content, _) = ContentLoader(site: site.root).load()
        let registry = Registry(entities: content.entities)
        let linker = Linker(registry: registry, articleIDs: Set(content.articles.map(\.id)), noteIDs: [])
        return Indexer.index(config: content.config, registry: registry, articles: content.articles.map { linker.link($0).0 },
                             notes: [], descriptions: [:], assets: [], relationsBefore: before).0
    }

    @Test func relationsKeptFromTheLastIndexAreCountedAgainWhereAnEditChangedThem() throws {
        var articles: [String: String] = [:]
        for day in 1...9 {
            let text = day.isMultiple(of: 3) ? "Die QSD in Efrîn." : day.isMultiple(of: 2) ? "Ruhe in Damaskus." : "Erdoğan in Damaskus."
            articles["content/articles/m\(day).md"] = "---\ntitle: M\(day)\ndate: 2018-06-0\(day)\n---\n\(text)\n"
        }
        let first = try archive(articles, before: nil)
        let edits = [
            "an article gains an entity": ["content/articles/m1.md": "---\ntitle: M1\ndate: 2018-06-01\n---\nErdoğan in Damaskus und Efrîn.\n"],
            "an article loses one": ["content/articles/m3.md": "---\ntitle: M3\ndate: 2018-06-03\n---\nIn Efrîn.\n"],
            "its text changes, not its entities": ["content/articles/m2.md": "---\ntitle: M2\ndate: 2018-06-02\n---\nRuhe in Damaskus, lange.\n"],
        ]
        for (edit, change) in edits {
            let fresh = try archive(articles.merging(change) { $1 }, before: nil)
            let patched = try archive(articles.merging(change) { $1 }, before: first.relations)
            #expect(patched.relations == fresh.relations, "\(edit)")
            #expect(patched.companions.mapValues { $0.map(\.entity) } == fresh.companions.mapValues { $0.map(\.entity) }, "\(edit)")
        }

        // What no edit touched is taken as it was: a related list and a companion list planted
        // in the relations before survive an edit that gives m1 Efrîn (m2 shares only Damaskus
        // with m1, the QSD is neither in m1 nor gained or lost), and are gone when the articles'
        // order changes, which makes the index count everything.
        let m2 = try #require(first.articleIndex["m2"])
        let qsd = try #require(first.registry.entities.firstIndex { $0.ref.id == "qsd" })
        let planted = [Relations.Relation(other: 0, shared: 99)]
        var related = first.relations.related
        related[m2] = planted
        var companions = first.relations.companions
        companions[qsd] = planted
        let before = Relations(layout: first.relations.layout, entitiesOfArticle: first.relations.entitiesOfArticle,
                               relating: first.relations.relating, related: related, companions: companions)
        let gained = articles.merging(edits["an article gains an entity"]!) { $1 }
        let patched = try archive(gained, before: before)
        #expect(patched.related[m2].map(\.shared) == [99])
        #expect(patched.companions[first.registry.entities[qsd].ref]?.map(\.articles) == [99])
        let m1 = try #require(patched.articleIndex["m1"])
        #expect(patched.related[m1] == (try archive(gained, before: nil)).related[m1])
        let reordered = try archive(gained.merging(["content/articles/neu.md": "---\ntitle: Neu\ndate: 2019-01-01\n---\nRuhe.\n"]) { $1 },
                                    before: before)
        #expect(!reordered.related.contains { $0.contains { $0.shared == 99 } })
        #expect(!reordered.companions.values.contains { $0.contains { $0.articles == 99 } })
    }
}

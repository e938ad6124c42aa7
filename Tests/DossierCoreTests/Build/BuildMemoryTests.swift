import Foundation
import Testing
@testable import DossierCore

/// What `serve` keeps between builds: link results of unchanged articles, and the last good
/// build from which a saved article's page is shown at once.
@Suite struct BuildMemoryTests {
    private func site() throws -> TestSite {
        var files = Fixture.files
        for day in 1...5 {
            files["content/articles/meldung-\(day).md"] = "---\ntitle: Meldung \(day)\ndate: 2018-06-0\(day)\n---\nDie QSD in Efrîn.\n"
        }
        return try TestSite(files)
    }

    @Test func unchangedArticlesAreNotLinkedAgainAndTheSiteIsAFullBuilds() throws {
        let site = try site()
        defer { site.delete() }
        let memory = BuildMemory()
        let first = site.build(memory: memory)
        #expect(first.articlesLinked == 7)

        try site.write("content/articles/meldung-3.md", "---\ntitle: Meldung 3\ndate: 2018-06-03\n---\nDie QSD in Damaskus.\n")
        let edited = site.build(memory: memory)
        #expect(edited.articlesLinked == 1, "only the edited article")
        #expect(edited.outcome.contains("1 article linked"), "\(edited.outcome)")
        let fresh = SiteBuilder(site: site.root, output: site.root.appendingPathComponent("fresh")).build()
        #expect(try site.snapshot("public") == site.snapshot("fresh"))
        #expect(try site.read("public/places/damaskus/index.html").contains("meldung-3"))

        // What every article is linked against changed: all are linked again.
        try site.write("content/actors/erdogan.md", "---\nname: Recep Tayyip Erdoğan\naliases: [Erdoğan, Meldung]\n---\n")
        #expect(site.build(memory: memory).articlesLinked == 7)
        try site.write("content/articles/neu.md", "---\ntitle: Neu\n---\nSiehe [[meldung-1]].\n")
        #expect(site.build(memory: memory).articlesLinked == 8, "a new article id may resolve links of every article")
        #expect(fresh.articlesLinked == 0, "without memory, the results come from the link cache the builds before wrote")
    }

    @Test func aSavedArticlesPageIsShownAtOnceAndTheRestWaitsForTheBuild() throws {
        let site = try site()
        defer { site.delete() }
        let memory = BuildMemory()
        #expect(site.build(memory: memory).published)
        let listBefore = try site.read("public/places/efrin/index.html")

        try site.write("content/articles/offensive.md", try site.read("content/articles/offensive.md")
            .replacingOccurrences(of: "Fortschritte bei Deir ez-Zor", with: "Fortschritte in Damaskus"))
        let builder = SiteBuilder(site: site.root)
        let pages = try #require(builder.previewArticles([site.root.appendingPathComponent("content/articles/offensive.md").path],
                                                         memory: memory))
        #expect(pages.map(\.path) == ["articles/offensive/index.html"])
        let page = try site.read("public/articles/offensive/index.html")
        // The new text, linked, and the note's passage anchored in it.
        #expect(page.contains("Fortschritte</mark> in <a class=\"mention mention-place\" id=\"m-5\" href=\"../../places/damaskus/index.html\">"))
        #expect(page.contains("<mark class=\"passage\" data-note=\"kommentar\""))
        #expect(try site.read("public/places/efrin/index.html") == listBefore, "other pages wait for the build")

        // The build that follows gives the page the preview gave, and the rest with it.
        #expect(site.build(memory: memory).published)
        #expect(try site.read("public/articles/offensive/index.html") == page)
        #expect(try site.read("public/places/damaskus/index.html").contains("Fortschritte in"))
    }

    @Test func aChangeAPreviewCannotShowIsLeftToTheBuild() throws {
        let site = try site()
        defer { site.delete() }
        let memory = BuildMemory()
        let builder = SiteBuilder(site: site.root)
        let article = site.root.appendingPathComponent("content/articles/meldung-1.md").path
        #expect(builder.previewArticles([article], memory: memory) == nil, "no good build yet")
        #expect(site.build(memory: memory).published)

        try site.write("content/articles/neu.md", "---\ntitle: Neu\n---\nText.\n")
        #expect(builder.previewArticles([site.root.appendingPathComponent("content/articles/neu.md").path], memory: memory) == nil,
                "a new article changes the lists")
        #expect(builder.previewArticles([site.root.appendingPathComponent("content/actors/qsd.md").path], memory: memory) == nil)
        try site.write("content/articles/meldung-1.md", "---\ntitle: [kaputt\n---\nText.\n")
        #expect(builder.previewArticles([article], memory: memory) == nil, "the build reports the problem")
        #expect(try !site.read("public/articles/meldung-1/index.html").contains("kaputt"))

        // An editor's backup and swap files beside a saved article are not articles.
        try site.write("content/articles/meldung-1.md", "---\ntitle: Meldung eins\n---\nText.\n")
        let pages = builder.previewArticles([article, article + "~", site.root.appendingPathComponent("content/articles/.meldung-1.md.swp").path],
                                            memory: memory)
        #expect(pages?.map(\.path) == ["articles/meldung-1/index.html"])
        #expect(try site.read("public/articles/meldung-1/index.html").contains("Meldung eins"))
    }
}

import Foundation
import Testing
@testable import DossierCore

/// Finding one's way: related articles, the archive by month, the indexes A–Z and by kind.
@Suite struct NavigationTests {
    @Test func relatedArticlesShareTheMostEntities() throws {
        let site = try TestSite(fixtureWith: [
            "content/articles/beides.md": "---\ntitle: Beides\ndate: 2018-06-01\n---\nEfrîn, Damaskus und die QSD.\n",
            "content/articles/nur-qsd.md": "---\ntitle: Nur QSD\ndate: 2018-06-02\n---\nDie QSD.\n",
        ])
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/articles/agentur/index.html")
        let related = try #require(html.firstMatch(of: /<ul class="related">(.*?)<\/ul>/.dotMatchesNewlines()))
        let titles = related.output.1.matches(of: /index.html">([^<]+)<\/a> <span class="count">(\d) gemeinsam/)
            .map { "\($0.output.1):\($0.output.2)" }
        #expect(titles == ["Beides:2"], "shares Efrîn and Damaskus; the QSD articles share nothing with it")
        let offensive = try site.read("public/articles/offensive/index.html")
        #expect(offensive.contains("Nur QSD</a> <span class=\"count\">1 gemeinsam"))
    }

    @Test func anEntityInMostArticlesRelatesNothing() throws {
        var files = Fixture.files
        for index in 0..<24 { files["content/articles/damaskus-\(index).md"] = "---\ntitle: D\(index)\n---\nIn Damaskus.\n" }
        files["content/articles/efrin-auch.md"] = "---\ntitle: Efrîn auch\n---\nIn Efrîn und Damaskus.\n"
        let site = try TestSite(files)
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/articles/agentur/index.html")
        let related = try #require(html.firstMatch(of: /<ul class="related">(.*?)<\/ul>/.dotMatchesNewlines()))
        #expect(related.output.1.contains("Efrîn auch</a> <span class=\"count\">1 gemeinsam"))
        #expect(!related.output.1.contains(">D0<"), "Damaskus stands in 26 of 28 articles: not a reason to relate them")
    }

    @Test func entityPagesListWhatTheyAreMentionedWithMost() throws {
        let site = try TestSite(fixtureWith: [
            "content/articles/zwei.md": "---\ntitle: Zwei\ndate: 2018-06-01\n---\nDie QSD in Efrîn.\n",
            "content/articles/drei.md": "---\ntitle: Drei\ndate: 2018-06-02\n---\nDie QSD in Efrîn und Damaskus.\n",
        ])
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/actors/qsd/index.html")
        let section = try #require(html.firstMatch(of: /<section class="companions".*?<\/section>/.dotMatchesNewlines()))
        let chips = section.output.matches(of: /href="\.\.\/\.\.\/(\w+\/[\w-]+)\/index.html">[^<]+ <span class="count">(\d+)</)
            .map { "\($0.output.1):\($0.output.2)" }
        #expect(chips == ["places/efrin:2", "actors/hasim-mihemed:1", "places/damaskus:1", "places/dera-zor:1"],
                "by articles in common, then by id")
    }

    @Test func anEntityMentionedInManyArticlesHasItsMentionsOverSeveralPages() throws {
        var changes: [String: String] = [:]
        for day in 1...60 {
            changes["content/articles/tag-\(day).md"] = "---\ntitle: Tag \(day)\ndate: 2019-01-01T00:\(String(format: "%02d", day % 60)):00Z\n---\nDie QSD am Tag \(day).\n"
        }
        let site = try TestSite(fixtureWith: changes)
        defer { site.delete() }
        _ = site.build()
        let first = try site.read("public/actors/qsd/index.html")
        let second = try site.read("public/actors/qsd/page/2/index.html")
        #expect(!site.exists("public/actors/qsd/page/3/index.html"), "61 articles: 50 and 11")
        #expect(first.matches(of: /<article class="mention-group">/).count == SitePaths.articlesPerEntityPage)
        #expect(second.matches(of: /<article class="mention-group">/).count == 61 - SitePaths.articlesPerEntityPage)
        #expect(first.contains("<a rel=\"next\" href=\"../../actors/qsd/page/2/index.html\">"))
        #expect(second.contains("<a rel=\"prev\" href=\"../../../../actors/qsd/index.html\">") && !second.contains("rel=\"next\""))
        #expect(first.contains("<svg class=\"timeline\"") && !second.contains("<svg class=\"timeline\""), "the timeline on the first page")
        #expect(second.contains("<title>Demokratische Kräfte Syriens (Seite 2 von 2) – Testarchiv</title>"))
        #expect(second.contains("href=\"../../../../articles/offensive/index.html#m-"), "the oldest, dated 2018, on the last page")
        #expect(try site.read("public/sitemap.xml").contains("actors/qsd/page/2/index.html"))
    }

    @Test func entityPagesChartTheirMentionsByMonth() throws {
        let site = try TestSite(fixtureWith: ["content/articles/juli.md": "---\ntitle: Juli\ndate: 2018-07-03\n---\nDie QSD und wieder die QSD.\n"])
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/actors/qsd/index.html")
        let svg = try #require(html.firstMatch(of: /<svg class="timeline".*?<\/svg>/.dotMatchesNewlines()))
        let bars = svg.output.matches(of: /<title>([^<]+)<\/title>/).map { String($0.output.1) }
        #expect(bars == ["Mai 2018: 4", "Juli 2018: 2"], "June has no bar; the months between are kept")
        #expect(svg.output.contains("aria-label=\"Erwähnungen von Demokratische Kräfte Syriens je Monat\""))
        // Efrîn is mentioned only in the undated agency article: nothing to chart.
        #expect(try !site.read("public/places/efrin/index.html").contains("<svg class=\"timeline\""))
    }

    @Test func theArchiveIsGroupedByMonthNewestFirst() throws {
        let site = try TestSite(fixtureWith: ["content/articles/spaeter.md": "---\ntitle: Später\ndate: 2018-07-03\n---\nText.\n"])
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/articles/index.html")
        let headings = html.matches(of: /<section class="list-group" id="([^"]+)">\s*<h2>([^<]+)<\/h2>/).map { "\($0.output.1) \($0.output.2)" }
        #expect(headings == ["m-2018-07 Juli 2018", "m-2018-05 Mai 2018", "ohne-datum Ohne Datum"])
    }

    @Test func indexesAreAToZAndByKindWithMentionCounts() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/actors/index.html")
        let letters = html.matches(of: /<a href="#buchstabe-([a-z]+)">([^<]+)<\/a>/).map { "\($0.output.2)" }
        #expect(letters == ["D", "H", "R"])
        #expect(html.contains("<section class=\"list-group\" id=\"buchstabe-h\">"))
        #expect(html.contains("<p class=\"meta\">person · 1 Erwähnung</p>"))
        #expect(html.contains("<h3 id=\"art-armed-group\">armed-group</h3>"))
        #expect(html.contains("<h3 id=\"art-person\">person</h3>"))
    }
}

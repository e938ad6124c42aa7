import Foundation
import Synchronization
import Testing
@testable import DossierCore

/// Builds the fixture site into a temporary folder and reads the files it wrote.
@Suite struct BuildTests {
    @Test func writesEveryPageAtItsPath() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        let report = site.build()
        #expect(report.diagnostics.allSatisfy { $0.severity == .note }, "\(report.diagnostics)")
        #expect(report.published)
        for path in [
            "index.html", "articles/index.html", "articles/offensive/index.html", "articles/agentur/index.html",
            "actors/index.html", "actors/qsd/index.html", "actors/hasim-mihemed/index.html", "places/index.html",
            "places/dera-zor/index.html", "notes/index.html", "notes/kommentar/index.html", "data/mentions.csv",
            "assets/dossier.css", "404.html", "feed.xml", "sitemap.xml", "actors/qsd/feed.xml", "data/entities.csv",
            "data/articles.csv", "data/archive.json", "data/notes.jsonld", "data/index.html", "search/index.html",
            "search/meta.js", "search/docs-0.js", "assets/search.js",
        ] {
            #expect(site.exists("public/\(path)"), "public/\(path)")
        }
        #expect(report.pages == 17)
    }

    @Test func theArticlePageLinksEveryMentionToItsEntity() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/articles/offensive/index.html")
        #expect(html.contains("<h1><a class=\"mention mention-actor\" id=\"m-1\" href=\"../../actors/qsd/index.html\">QSD</a> setzen Offensive in "
            + "<a class=\"mention mention-place\" id=\"m-2\" href=\"../../places/dera-zor/index.html\">Dêra Zor</a> fort</h1>"))
        #expect(html.contains("href=\"../../actors/hasim-mihemed/index.html\">Haşim Mihemed</a>"))
        #expect(html.contains("<code>QSD</code>"))
        #expect(html.contains("<a href=\"https://example.org\">Link zu QSD</a>"))
        #expect(html.contains("href=\"../../actors/qsd/index.html\">die Kräfte</a>"))
        #expect(html.contains("<html lang=\"de\">"))
        // The plain-text article renders its subheading as a heading with the mention linked.
        let plain = try site.read("public/articles/agentur/index.html")
        #expect(plain.contains("<h2>Lage in <a class=\"mention mention-place\" id=\"m-4\" href=\"../../places/damaskus/index.html\">Damaskus</a></h2>"))
    }

    @Test func entityPagesShowNameAliasesDescriptionAndEveryMentionInItsSentence() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/actors/qsd/index.html")
        #expect(html.contains("<h1>Demokratische Kräfte Syriens</h1>"))
        #expect(html.contains("<li>SDF</li>"))
        #expect(html.contains("Ein Bündnis, das in <a class=\"wiki-link\" href=\"../../places/dera-zor/index.html\">Dêra Zor</a> kämpft."))
        #expect(html.contains("<a href=\"../../articles/offensive/index.html\">QSD setzen Offensive in Dêra Zor fort</a>"))
        #expect(html.contains("<a href=\"../../articles/offensive/index.html#m-3\"><q>Die <mark>Demokratischen Kräfte Syriens</mark> (QSD) melden Fortschritte bei Deir ez-Zor.</q></a>"))
        #expect(html.contains("<mark>die Kräfte</mark>"))
        #expect(html.contains("href=\"../../notes/kommentar/index.html\""), "the note about the QSD is listed")
    }

    @Test func notesRenderTheirWikiLinks() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let html = try site.read("public/notes/kommentar/index.html")
        #expect(html.contains("<blockquote>"))
        #expect(html.contains("<a class=\"wiki-link\" href=\"../../actors/qsd/index.html\">Demokratische Kräfte Syriens</a>"))
        #expect(html.contains("<a class=\"wiki-link\" href=\"../../actors/hasim-mihemed/index.html\">Haşim Mihemed</a>"))
        #expect(html.contains("<a class=\"wiki-link\" href=\"../../articles/agentur/index.html\">articles/agentur</a>"))
        #expect(html.contains("<a href=\"../../articles/offensive/index.html\">QSD setzen Offensive in Dêra Zor fort</a>"))
    }

    @Test func mentionsAreWrittenToCSV() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let rows = try site.read("public/data/mentions.csv").split(separator: "\r\n").map(String.init)
        #expect(rows.first == "article,entity,text,start,end,line")
        #expect(rows.dropFirst().first == "agentur,efrin,Efrin,0,5,1")
        #expect(rows.contains("offensive,hasim-mihemed,Haşim Mihemed,\(try offset(of: "Haşim", in: site)),\(try offset(of: "Haşim", in: site) + 13),8"))
        #expect(rows.count == 1 + 12)
    }

    private func offset(of text: String, in site: TestSite) throws -> Int {
        let source = try site.read("content/articles/offensive.md")
        let range = try #require(source.range(of: text))
        return source.unicodeScalars.distance(from: source.unicodeScalars.startIndex, to: range.lowerBound)
    }

    @Test func allContentIsEscaped() throws {
        let site = try TestSite(fixtureWith: [
            "content/actors/boese.md": "---\nname: \"<script>alert('n')</script>\"\naliases: [\"\\\" onmouseover=x\"]\n---\n<img src=x onerror=alert(1)>\n",
            "content/articles/boese.md": "---\ntitle: \"<b>Fett</b> & <script>x</script>\"\nurl: \"javascript:alert(1)\"\n---\n<iframe src=x></iframe>\n",
        ])
        defer { site.delete() }
        _ = site.build()
        let page = try site.read("public/actors/boese/index.html")
        // The JSON-LD holds the payloads as JSON strings, where they are inert; the rest of the page must not.
        let jsonLD = try #require(page.firstMatch(of: /<script type="application\/ld\+json">(.*?)<\/script>/))
        let actor = page.replacingOccurrences(of: String(jsonLD.output.0), with: "")
        let data = try #require(String(jsonLD.output.1).data(using: .utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["name"] as? String == "<script>alert('n')</script>")
        #expect(!jsonLD.output.1.contains("<"), "no < inside the script element")
        #expect(!actor.contains("<script>alert"))
        #expect(actor.contains("&lt;script&gt;alert(&#39;n&#39;)&lt;/script&gt;"))
        #expect(!actor.contains("\" onmouseover"))
        #expect(!actor.contains("<img"))
        let article = try site.read("public/articles/boese/index.html")
        #expect(!article.contains("<b>Fett"))
        #expect(!article.contains("<iframe"))
        #expect(!article.contains("javascript:"))
        #expect(article.contains("&lt;b&gt;Fett&lt;/b&gt; &amp; &lt;script&gt;"))
    }

    @Test func unsafeHTMLIsPassedThroughWhenTheSiteTurnsItOn() throws {
        let site = try TestSite(fixtureWith: [
            "content/site.yml": "title: T\nunsafe_html: true\n",
            "content/articles/roh.md": "---\ntitle: Roh\n---\n<div class=\"box\">Kasten</div>\n",
        ])
        defer { site.delete() }
        _ = site.build()
        #expect(try site.read("public/articles/roh/index.html").contains("<div class=\"box\">Kasten</div>"))
    }

    @Test func aFailedBuildLeavesThePreviousSiteExactlyAsItWas() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        #expect(site.build().published)
        let before = try site.snapshot()
        try site.write("content/articles/offensive.md", "---\ntitle: [kaputt\n---\nNeuer Text.\n")
        try site.write("content/articles/neu.md", "---\ntitle: Neu\n---\nNeu.\n")
        let report = site.build()
        #expect(!report.published)
        #expect(report.errors > 0)
        #expect(try site.snapshot() == before)
    }

    @Test func twoBuildsOfTheSameContentAreByteIdentical() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let first = try site.snapshot()
        _ = site.build()
        #expect(try site.snapshot() == first)
        #expect(first.count > 10)
    }

    @Test func strictTurnsWarningsIntoErrors() throws {
        let note = Fixture.files["content/notes/kommentar.md"]!.replacingOccurrences(of: "author:", with: "autor:")
        let site = try TestSite(fixtureWith: ["content/notes/kommentar.md": note])
        defer { site.delete() }
        #expect(site.build(publish: false).errors == 0)
        let strict = site.build(strict: true)
        #expect(strict.errors == 1 && !strict.published)
    }

    @Test func progressReportsEachStageInOrder() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        let heard = StagesHeard()
        let report = site.build { heard.append($0) }
        #expect(heard.stages == [.load, .link, .index, .render, .publish])
        #expect(report.stageSeconds.map(\.stage) == heard.stages, "each stage timed, for --verbose and the benchmark")
        let timed = report.stageSeconds.reduce(0) { $0 + $1.seconds }
        #expect(report.stageSeconds.allSatisfy { $0.seconds >= 0 && $0.cpuSeconds >= 0 } && timed <= report.seconds && timed > report.seconds / 2)
        let stage = #" [\d.]+ s \([\d.]+ s CPU\)"#
        let line = try Regex("stages: load\(stage), link\(stage), index\(stage), render\(stage), publish\(stage)")
        #expect(report.stageLine.wholeMatch(of: line) != nil)
    }

    @Test func prettyURLsDropIndexHTML() throws {
        let site = try TestSite(fixtureWith: ["content/site.yml": "title: T\npretty_urls: true\n"])
        defer { site.delete() }
        _ = site.build()
        #expect(try site.read("public/articles/offensive/index.html").contains("href=\"../../actors/qsd/\""))
    }
}

/// The stages a build reported, from whichever thread it reported on.
final class StagesHeard: Sendable {
    private let heard = Mutex<[Stage]>([])
    func append(_ progress: BuildProgress) { heard.withLock { if $0.last != progress.stage { $0.append(progress.stage) } } }
    var stages: [Stage] { heard.withLock { $0 } }
}

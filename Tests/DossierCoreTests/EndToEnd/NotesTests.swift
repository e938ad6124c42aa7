import Foundation
import Testing
@testable import DossierCore

/// Editors' notes anchored beside the passages they quote.
@Suite struct NotesTests {
    static let secondNote = """
        ---
        title: Zweite Sicht
        author: Gast
        date: 2018-05-03
        article: offensive
        ---
        > melden Fortschritte bei Deir ez-Zor.

        Überlappt mit der ersten Anmerkung; es geht um Efrîn nur am Rande.

        > Dieser Satz steht nirgends im Artikel und wird es nie tun.

        Das bleibt verwaist.
        """

    private func built(_ extra: [String: String] = [:]) throws -> (TestSite, BuildReport) {
        var files = Fixture.files
        for (path, text) in extra { files[path] = text }
        let site = try TestSite(files)
        return (site, site.build())
    }

    @Test func theArticleMarksThePassageAndShowsTheCommentaryBesideIt() throws {
        let (site, report) = try built()
        defer { site.delete() }
        #expect(report.diagnostics.allSatisfy { $0.severity == .note }, "\(report.diagnostics)")
        let html = try site.read("public/articles/offensive/index.html")
        // The mark starts at the quote, and the mentions inside it stay linked.
        #expect(html.contains("<div class=\"annotated\">\n<p><mark class=\"passage\" data-note=\"kommentar\" id=\"passage-kommentar-1\">Die </mark>"
            + "<a class=\"mention mention-actor\" id=\"m-3\" href=\"../../actors/qsd/index.html\"><mark class=\"passage\" data-note=\"kommentar\">Demokratischen Kräfte Syriens</mark></a>"))
        #expect(html.contains("<mark class=\"passage\" data-note=\"kommentar\">) melden Fortschritte</mark> bei"))
        #expect(html.contains("<aside class=\"annotation\" aria-label=\"Anmerkung: Zur Offensive\">"))
        #expect(html.contains("<a href=\"../../notes/kommentar/index.html\">Zur Offensive</a> · Redaktion"))
        #expect(html.contains("<p>Die <a class=\"wiki-link\" href=\"../../actors/qsd/index.html\">Demokratische Kräfte Syriens</a> und"))
    }

    @Test func theNotePageLinksEachQuoteToItsPlace() throws {
        let (site, _) = try built()
        defer { site.delete() }
        let html = try site.read("public/notes/kommentar/index.html")
        #expect(html.contains("<p class=\"passage-link\" id=\"passage-1\"><a href=\"../../articles/offensive/index.html#passage-kommentar-1\">Zur Stelle im Artikel</a></p>"))
    }

    @Test func overlappingPassagesOfTwoNotesAreBothMarkedAndOrphansAreListed() throws {
        let (site, report) = try built(["content/notes/zweite.md": Self.secondNote])
        defer { site.delete() }
        #expect(report.published)
        let html = try site.read("public/articles/offensive/index.html")
        #expect(html.contains("id=\"passage-kommentar-1\""))
        #expect(html.contains("id=\"passage-zweite-1\""))
        // The newer note's passage wraps the older one's where they overlap.
        #expect(html.contains("<mark class=\"passage\" data-note=\"zweite\" id=\"passage-zweite-1\"><mark class=\"passage\" data-note=\"kommentar\">melden Fortschritte</mark> bei </mark>"))
        #expect(html.components(separatedBy: "<aside class=\"annotation\"").count == 3, "two asides beside one paragraph")
        #expect(html.contains("Verwaiste Anmerkungen"))
        #expect(html.contains("<blockquote>Dieser Satz steht nirgends im Artikel und wird es nie tun.</blockquote>"))

        let note = try site.read("public/notes/zweite/index.html")
        #expect(note.contains("Verwaiste Stellen"))
        #expect(note.contains("<p class=\"passage-orphan\" id=\"passage-2\">"))

        let warning = try #require(report.diagnostics.first { $0.message.contains("orphaned") })
        #expect(warning.severity == .warning)
        #expect(warning.location == SourceLocation(path: "content/notes/zweite.md", line: 11, column: 1))
        #expect(site.build(strict: true).errors == 1)
    }

    @Test func notesAreExportedAsWebAnnotations() throws {
        let (site, _) = try built(["content/notes/zweite.md": Self.secondNote])
        defer { site.delete() }
        let data = try Data(contentsOf: site.root.appendingPathComponent("public/data/notes.jsonld"))
        let collection = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(collection["@context"] as? String == "http://www.w3.org/ns/anno.jsonld")
        #expect(collection["type"] as? String == "AnnotationCollection")
        let items = try #require((collection["first"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.count == 2, "the orphan is not exported")
        let source = try site.read("content/articles/offensive.md")
        for item in items {
            #expect(item["type"] as? String == "Annotation")
            #expect(item["motivation"] as? String == "commenting")
            let target = try #require(item["target"] as? [String: Any])
            #expect(target["source"] as? String == "../articles/offensive/index.html")
            let selectors = try #require(target["selector"] as? [[String: Any]])
            let quote = try #require(selectors.first { $0["type"] as? String == "TextQuoteSelector" })
            let position = try #require(selectors.first { $0["type"] as? String == "TextPositionSelector" })
            let start = try #require(position["start"] as? Int)
            let end = try #require(position["end"] as? Int)
            #expect(String(scalars: Array(source.unicodeScalars)[start..<end]) == quote["exact"] as? String)
            #expect(quote["prefix"] != nil && quote["suffix"] != nil)
        }
        let body = try #require(items.first { ($0["id"] as? String)?.contains("kommentar") == true }?["body"] as? [String: Any])
        #expect(body["value"] as? String == "Die Demokratische Kräfte Syriens und Haşim Mihemed sprechen hier für sich selbst; siehe articles/agentur.")
    }

    @Test func notesAppearOnThePagesOfWhatTheyMentionAndOnTheHomePage() throws {
        let (site, _) = try built(["content/notes/zweite.md": Self.secondNote])
        defer { site.delete() }
        // "Efrîn" is named in the second note's text only: no link, no about.
        #expect(try site.read("public/places/efrin/index.html").contains("href=\"../../notes/zweite/index.html\""))
        #expect(try site.read("public/actors/hasim-mihemed/index.html").contains("href=\"../../notes/kommentar/index.html\""))
        let damaskus = try site.read("public/places/damaskus/index.html")
        #expect(!damaskus.contains("notes/zweite") && !damaskus.contains("notes/kommentar"))
        let home = try site.read("public/index.html")
        #expect(home.contains("href=\"notes/zweite/index.html\"") && home.contains("href=\"notes/kommentar/index.html\""))
    }
}

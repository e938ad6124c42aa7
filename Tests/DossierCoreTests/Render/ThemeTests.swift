import Foundation
import Testing
@testable import DossierCore

@Suite struct ThemeTests {
    /// A copy of the built-in theme in a site folder, to break on purpose.
    private func siteWithTheme() throws -> TestSite {
        let site = try TestSite(Fixture.files)
        let builtIn = try #require(Theme.builtInFolder)
        try FileManager.default.copyItem(at: builtIn, to: site.root.appendingPathComponent("templates"))
        return site
    }

    @Test func theBuiltInThemeIsComplete() throws {
        let (theme, diagnostics) = Theme.load(from: try #require(Theme.builtInFolder), displayedAs: "theme")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(theme?.assets.map(\.path).contains("dossier.css") == true)
    }

    @Test func anUnsharedThemeRendersAlikeFromTemplatesOfItsOwn() throws {
        let folder = try #require(Theme.builtInFolder)
        let theme = try #require(Theme.load(from: folder, displayedAs: "theme").0)
        let unshared = theme.unshared()
        #expect(unshared.templates.keys.sorted() == theme.templates.keys.sorted())
        // The names in its tags are objects of its own, not the shared theme's.
        func names(_ theme: Theme) -> [TemplateName] {
            theme.templates.keys.sorted().flatMap { theme.templates[$0]?.valueNames ?? [] }
        }
        let own = names(unshared), shared = names(theme)
        #expect(!own.isEmpty && own.count == shared.count)
        #expect(zip(own, shared).allSatisfy { $0.text == $1.text && $0 !== $1 })
        let values: [TemplateValue] = [["site_title": .string("Archiv <1>"), "page_title": .string("Seite"), "lang": .string("de")]]
        #expect(unshared.render("not-found", values) == theme.render("not-found", values))
    }

    @Test func aMissingTemplateIsAnErrorNamingIt() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        try site.remove("templates/place.mustache")
        let report = site.build()
        let error = try #require(report.diagnostics.first { $0.isError })
        #expect(error.location.path == "templates/place.mustache")
        #expect(error.message.contains("missing template 'place'"))
        #expect(!site.exists("public"))
    }

    @Test func aMissingPartialIsAnErrorAtItsUse() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        try site.write("templates/note.mustache", "{{<layout}}{{$main}}\n  {{> partials/fehlt}}{{/main}}{{/layout}}\n")
        let report = site.build()
        let error = try #require(report.diagnostics.first { $0.isError })
        #expect(error.location == SourceLocation(path: "templates/note.mustache", line: 2, column: 3))
        #expect(error.message.contains("partials/fehlt"))
    }

    @Test func aTemplateSyntaxErrorHasItsPositionAndSaysWhatIsWrong() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        try site.write("templates/home.mustache", "<p>\n{{#open}}\n")
        try site.write("templates/note.mustache", "<p>{{{x}}\n")
        let report = site.build()
        #expect(report.diagnostics.filter(\.isError).map(\.description) == [
            "templates/home.mustache:3:1: error: template syntax error: a section opened by {{#...}} or {{^...}} is never closed by {{/...}}",
            "templates/note.mustache:1:10: error: template syntax error: a tag is not closed by '}}' (or '}}}' after '{{{')",
        ])
    }

    @Test func templatesThatIncludeEachOtherWithoutEndAreAnError() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        try site.write("templates/partials/a.mustache", "A {{> partials/b}}\n")
        try site.write("templates/partials/b.mustache", "B\n{{#x}}{{> partials/a}}{{/x}}\n")
        try site.write("templates/partials/footer.mustache", "<footer>{{> partials/footer}}</footer>\n")
        try site.write("templates/layout.mustache", "{{<layout}}{{/layout}}\n")
        let report = site.build()
        #expect(report.diagnostics.filter(\.isError).map(\.description) == [
            "templates/layout.mustache:1:1: error: templates include each other without end: 'layout' -> 'layout'; rendering would never finish",
            "templates/partials/b.mustache:2:7: error: templates include each other without end: 'partials/a' -> 'partials/b' -> 'partials/a'; "
                + "rendering would never finish",
            "templates/partials/footer.mustache:1:9: error: templates include each other without end: 'partials/footer' -> 'partials/footer'; "
                + "rendering would never finish",
        ])
        #expect(!report.published)
    }

    @Test func aTemplateLinkedFromOutsideTheSiteIsNotRead() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-outside-\(UUID().uuidString).mustache")
        try Data("<footer>fremd</footer>\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try site.remove("templates/partials/footer.mustache")
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("templates/partials/footer.mustache"),
                                                   withDestinationURL: outside)
        let report = site.build()
        let error = try #require(report.diagnostics.first { $0.isError })
        #expect(error.description == "templates/partials/footer.mustache: error: not read: a symbolic link to a file outside the site folder")
    }

    @Test func aByteOrderMarkBeforeATemplateIsDropped() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        try site.write("templates/layout.mustache", "\u{FEFF}" + (try site.read("templates/layout.mustache")))
        #expect(site.build().published)
        #expect(try site.read("public/index.html").hasPrefix("<!DOCTYPE html>"))
    }
}

@Suite struct TemplateKeysTests {
    /// The fixture with everything optional present: orphans, a second archive page, a place
    /// with coordinates, links, Wikidata and an enclosing place, articles in another language.
    static func richSite() throws -> TestSite {
        var files = Fixture.files
        files["content/notes/zweite.md"] = NotesTests.secondNote
        // More articles than fit a page of the archive or of Efrîn's mentions.
        for index in 0...max(SitePaths.articlesPerPage, SitePaths.articlesPerEntityPage) {
            files["content/articles/extra-\(index).md"] =
                "---\ntitle: Extra \(index)\nlanguage: en\nurl: https://example.org/\(index)\nsummary: Kurz.\nauthors: [A]\n---\nText\(index < 3 ? " about Damaskus" : "") in Efrîn.\n"
        }
        files["content/places/efrin.md"] =
            "---\nname: Efrîn\nwithin: damaskus\nwikidata: Q210633\nlinks: [https://example.org]\nkind: city\nlat: 36.5\nlon: 36.8\n---\nStadt.\n"
        return try TestSite(files)
    }

    /// The renderer of a site's pages with the built-in theme.
    static func renderer(of site: TestSite) throws -> SiteRenderer {
        let (content, _) = ContentLoader(site: site.root).load()
        let registry = Registry(entities: content.entities)
        let linker = Linker(registry: registry, articleIDs: Set(content.articles.map(\.id)), noteIDs: Set(content.notes.map(\.id)))
        let articles = content.articles.map { linker.link($0).0 }
        let byID = Dictionary(uniqueKeysWithValues: content.articles.map { ($0.id, $0) })
        let notes = content.notes.map { linker.link($0, commentingOn: $0.articleID.flatMap { byID[$0] }).0 }
        let (archive, _) = Indexer.index(config: content.config, registry: registry, articles: articles, notes: notes,
                                         descriptions: [:], assets: [])
        let (theme, _) = Theme.load(from: try #require(Theme.builtInFolder), displayedAs: "theme")
        return SiteRenderer(archive: archive, theme: try #require(theme), basemap: Basemap.builtIn)
    }

    @Test func theDeclaredKeysAreExactlyWhatPagesAreGiven() throws {
        let site = try Self.richSite()
        defer { site.delete() }
        let given = try Self.renderer(of: site).givenKeys()
        for (template, keys) in given where template != "actor" {
            #expect(keys == SiteRenderer.pageKeys[template], "\(template): \(keys.symmetricDifference(SiteRenderer.pageKeys[template] ?? []))")
        }
        #expect(given["actor"]!.isSubset(of: SiteRenderer.pageKeys["actor"]!), "actors are given what places are, less coordinates")
    }

    @Test func aTemplateUsingAKeyNoPageIsGivenIsReported() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        try FileManager.default.copyItem(at: try #require(Theme.builtInFolder), to: site.root.appendingPathComponent("templates"))
        #expect(site.build(publish: false).diagnostics.filter { $0.stage == .render }.isEmpty, "the default theme uses only given keys")
        try site.write("templates/note.mustache", "{{<layout}}{{$main}}<h1>{{titel}}</h1>{{#autor}}x{{/autor}}{{nav.home}}{{/main}}{{/layout}}\n")
        let warnings = site.build(publish: false).diagnostics.filter { $0.stage == .render }
        #expect(warnings.map(\.message) == ["'titel' is given to no note pages: it renders as nothing",
                                            "'autor' is given to no note pages: it renders as nothing"])
        #expect(warnings.first?.location == SourceLocation(path: "templates/note.mustache", line: 1, column: 25))
        #expect(site.build(strict: true, publish: false).errors == 2)
    }
}

@Suite struct InterfaceStringsTests {
    @Test func theSiteLanguageChoosesTheThemesWords() throws {
        let site = try TestSite(fixtureWith: ["content/site.yml": "title: Archive\nlanguage: en-GB\n"])
        defer { site.delete() }
        _ = site.build()
        let actor = try site.read("public/actors/qsd/index.html")
        #expect(actor.contains("<a href=\"../../articles/index.html\">Articles</a>"))
        #expect(actor.contains("<p class=\"kicker\">Actor</p>"))
        #expect(actor.contains("Mentions <span class=\"count\">4 in 1 article</span>"))
        #expect(try site.read("public/actors/index.html").contains("person · 1 mention"))
        #expect(try site.read("public/404.html").contains("<h1>Page not found</h1>"))
        #expect(try site.read("public/notes/kommentar/index.html").contains("To the passage in the article</a>"))
        let german = try TestSite(Fixture.files)
        defer { german.delete() }
        _ = german.build()
        #expect(try german.read("public/actors/qsd/index.html").contains("Erwähnungen <span class=\"count\">4 in 1 Artikel</span>"))
    }

    @Test func aStringsFileMissingWordsIsReported() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        try FileManager.default.copyItem(at: try #require(Theme.builtInFolder), to: site.root.appendingPathComponent("templates"))
        try site.write("templates/strings/fr.yml", "articles: Articles\nactors: Acteurs\n")
        let warning = try #require(site.build(publish: false).diagnostics.first { $0.location.path == "templates/strings/fr.yml" })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("'places'") && warning.message.contains("'notes'"))
    }

    @Test func wordsWithCounts() {
        let strings = InterfaceStrings(words: ["mention_one": "1 Erwähnung", "mentions_other": "{count} Erwähnungen"])
        #expect(strings.count(1, one: "mention_one", other: "mentions_other") == "1 Erwähnung")
        #expect(strings.count(7, one: "mention_one", other: "mentions_other") == "7 Erwähnungen")
        #expect(strings["fehlt"] == "fehlt")
    }
}

import Foundation
import Testing
@testable import DossierCore

@Suite struct SiteScaffoldTests {
    @Test func aNewSiteBuildsAtOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-new-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try SiteScaffold.create(at: folder)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("templates/layout.mustache").path))
        let report = SiteBuilder(site: folder).build()
        #expect(report.published)
        #expect(report.errors == 0 && report.warnings == 0, "\(report.diagnostics)")
        #expect(report.articles == 1 && report.notes == 1 && report.mentions > 0)
        let article = try String(contentsOf: folder.appendingPathComponent("public/articles/beispiel/index.html"), encoding: .utf8)
        #expect(article.contains("class=\"passage\""), "the sample note anchors its passage")
    }

    @Test func refusesAFolderThatIsNotEmpty() throws {
        let site = try TestSite(["content/site.yml": "title: Alt\n"])
        defer { site.delete() }
        #expect(throws: SiteScaffold.Failure.self) { try SiteScaffold.create(at: site.root) }
        #expect(try site.read("content/site.yml") == "title: Alt\n")
    }
}

@Suite struct ArticleImporterTests {
    private static let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../content/articles/qsd-dera-zor.txt").standardizedFileURL

    @Test func aPlainTextArticleBecomesMarkdownThatShowsTheSameText() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        let result = ArticleImporter(site: site.root).importArticle(
            from: Self.seed, metadata: .init(date: "2018-05-01", source: "ANF", language: "de"))
        #expect(try result.get() == "content/articles/qsd-dera-zor.md")
        let markdown = try site.read("content/articles/qsd-dera-zor.md")
        #expect(markdown.hasPrefix("---\ntitle: \"QSD werden sich in Dêra Zor mit irakischer Armee koordinieren\"\ndate: \"2018-05-01\"\nsource: \"ANF\"\nlanguage: \"de\"\n---\n"))
        #expect(markdown.contains("\n## Stopp der Offensive stärkte den IS\n"))
        #expect(markdown.contains("Kämpfer\\*innen"))

        let report = site.build()
        #expect(report.published, "\(report.diagnostics)")
        let html = try site.read("public/articles/qsd-dera-zor/index.html")
        #expect(html.contains("Kämpfer*innen durchgeführt.“"))
        #expect(html.contains("<h2>Stopp der Offensive stärkte den IS</h2>"))
        #expect(html.contains("<time datetime=\"2018-05-01\">"))
    }

    @Test func neverOverwritesAnArticle() throws {
        let site = try TestSite(["content/articles/qsd-dera-zor.txt": "Schon da\n"])
        defer { site.delete() }
        let result = ArticleImporter(site: site.root).importArticle(from: Self.seed, metadata: .init())
        #expect(throws: ImportFailure.self) { try result.get() }
        #expect(try site.read("content/articles/qsd-dera-zor.txt") == "Schon da\n")
        #expect(!site.exists("content/articles/qsd-dera-zor.md"))
    }

    @Test func rejectsABadDate() throws {
        let site = try TestSite()
        defer { site.delete() }
        let result = ArticleImporter(site: site.root).importArticle(from: Self.seed, metadata: .init(date: "gestern"))
        #expect(throws: ImportFailure.self) { try result.get() }
    }

    /// Found by fuzzing: a headline with a character YAML does not let stand as it is (here
    /// DEL) was written into the front matter unescaped, and the imported article did not load.
    @Test func aHeadlineWithControlCharactersIsImportedAsItWas() throws {
        let headline = "Efrîn\u{7F} \u{85}und\u{2028}Dêra Zor \"\\\u{1B}\u{9F}\u{FFFF}"
        let source = SourceText(path: "a.txt", text: headline + "\n\nText.\n")
        let document = try #require(PlainTextDocument.parse(source))
        let markdown = ArticleImporter.markdown(of: document, in: source, metadata: .init(source: "A\u{7F}"))
        var diagnostics: [Diagnostic] = []
        let article = ArticleLoader.load(id: "a", file: SourceText(path: "a.md", text: markdown), format: .markdown, &diagnostics)
        #expect(diagnostics.isEmpty)
        #expect(article?.title.unicodeScalars.map(\.value) == headline.unicodeScalars.map(\.value))
        #expect(article?.publisher == "A\u{7F}")
    }

    /// Found by fuzzing in CI: a byte-order mark at the start of a headline (after a blank line)
    /// was part of the plain-text title but not of the imported one (YAML drops it): both trim
    /// it now, and keep one inside.
    @Test func aHeadlineStartingWithAByteOrderMarkIsImportedAsItReads() throws {
        let headline = "source: ANF\u{FFFD}date \u{FEFF}2018"
        let source = SourceText(path: "a.txt", text: "\n\u{FEFF}" + headline + "\n\nText.\n")
        let document = try #require(PlainTextDocument.parse(source))
        #expect(source.slice(document.headline) == headline)
        let markdown = ArticleImporter.markdown(of: document, in: source, metadata: .init())
        var diagnostics: [Diagnostic] = []
        let article = ArticleLoader.load(id: "a", file: SourceText(path: "a.md", text: markdown), format: .markdown, &diagnostics)
        #expect(diagnostics.isEmpty)
        #expect(article?.title.unicodeScalars.map(\.value) == headline.unicodeScalars.map(\.value))
    }

    /// The blocks of a plain-text article as the Markdown article `import` makes of it shows
    /// them, each as its scalars.
    private func importedBlocks(of text: String) throws -> [[UInt32]] {
        let source = SourceText(path: "a.txt", text: text)
        let document = try #require(PlainTextDocument.parse(source))
        let file = SourceText(path: "a.md", text: ArticleImporter.markdown(of: document, in: source, metadata: .init()))
        var diagnostics: [Diagnostic] = []
        let article = try #require(ArticleLoader.load(id: "a", file: file, format: .markdown, &diagnostics))
        return Linker.inlineText(of: article).blocks.map { $0.text.map(\.value) }
    }

    /// Found by fuzzing: a subheading ending in `#` lost it, taken for the closing sequence of
    /// the Markdown heading it became.
    @Test(arguments: ["Zwischentitel #", "Stand: 3 ##", "#", "C\\#"])
    func aSubheadingEndingInAHashKeepsIt(subheading: String) throws {
        let document = try #require(PlainTextDocument.parse(SourceText(path: "a.txt", text: "Titel\n\n\(subheading)\n\nText.\n")))
        #expect(document.blocks.map(\.kind) == [.subheading, .paragraph])
        #expect(try importedBlocks(of: "Titel\n\n\(subheading)\n\nText.\n") == [subheading, "Text."].map { $0.unicodeScalars.map(\.value) })
    }

    /// Found by fuzzing: markup characters carrying a combining mark were not escaped (a
    /// backtick with one is a character of its own to Swift, but still opens code to Markdown).
    @Test(arguments: ["Kein `\u{33E}Code`", ">\u{301} kein Zitat", "nicht *\u{301}kursiv*\u{301}"])
    func markupWithACombiningMarkShowsUnchanged(paragraph: String) throws {
        #expect(try importedBlocks(of: "Titel\n\n\(paragraph)\n") == [paragraph.unicodeScalars.map(\.value)])
    }

    @Test(arguments: [
        ("1. Mai war ruhig", "1\\. Mai war ruhig"),
        ("# kein Titel", "\\# kein Titel"),
        ("- keine Liste", "\\- keine Liste"),
        ("> kein Zitat", "\\> kein Zitat"),
        ("*nicht kursiv* und <b>", "\\*nicht kursiv\\* und \\<b\\>"),
        ("A & B [1]", "A \\& B \\[1\\]"),
    ])
    func escapesWhatWouldBecomeMarkup(line: String, escaped: String) {
        #expect(ArticleImporter.escapeMarkdown(line) == escaped)
    }
}

@Suite struct CheckReportTests {
    @Test func notesTellWhatIsWorthALookWithoutFailingStrictBuilds() throws {
        let site = try TestSite(fixtureWith: ["content/actors/niemand.md": "---\nname: Niemand Bekanntes\n---\n"])
        defer { site.delete() }
        let report = site.build(strict: true, publish: false)
        #expect(report.errors == 0)
        let notes = report.diagnostics.filter { $0.severity == .note }
        #expect(notes.contains { $0.location.path == "content/actors/niemand.md" && $0.message.contains("mentioned in no article") })
        #expect(notes.contains { $0.location.path == "content/articles/agentur.txt" && $0.message.contains("no date") })
    }

    @Test func jsonForTools() throws {
        let site = try TestSite(fixtureWith: ["content/articles/offensive.md": "---\ntitle: T\nfarbe: rot\n---\nSiehe [[niemand]].\n"])
        defer { site.delete() }
        let report = site.build(publish: false)
        let json = try #require(try JSONSerialization.jsonObject(with: report.json(sitePrefix: "archiv")) as? [String: Any])
        let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
        let error = try #require(diagnostics.first { $0["severity"] as? String == "error" })
        #expect(error["file"] as? String == "archiv/content/articles/offensive.md")
        #expect(error["line"] as? Int == 5)
        #expect(error["column"] as? Int == 7)
        #expect(error["stage"] as? String == "link")
        #expect(diagnostics.contains { $0["severity"] as? String == "warning" && ($0["message"] as? String)?.contains("farbe") == true })
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 1)
    }

    @Test func theSummaryLineCountsEverything() {
        var report = BuildReport()
        report.articles = 2
        report.mentions = 7
        report.seconds = 0.25
        report.diagnostics = [.warning(.load, at: SourceLocation(path: "a"), "w"), .note(.index, at: SourceLocation(path: "b"), "n")]
        #expect(report.summary(action: "built 9 pages")
            == "built 9 pages: 2 articles, 0 actors, 0 places, 0 notes, 7 mentions, 1 warnings, 0 errors, 0.25 s")
    }
}

import Foundation
import Testing
@testable import DossierCore

/// Files that are broken, hostile or absurd: each gets a diagnostic with its file and position,
/// and the rest of the archive is still read.
@Suite struct BrokenInputTests {
    private func load(_ text: String) -> (Article?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let article = ArticleLoader.load(id: "a", file: SourceText(path: "content/articles/a.md", text: text), format: .markdown, &diagnostics)
        return (article, diagnostics)
    }

    /// Anchors that alias each other nine times over, used as mapping keys, which Yams compares
    /// (expanding every alias in full) to find duplicate keys.
    static let billionLaughs = (["---", "title: Bombe", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + (1...9).map { "a\($0): &a\($0) [" + Array(repeating: "*a\($0 - 1)", count: 9).joined(separator: ", ") + "]" }
        + ["? *a9", ": 1", "? *a8", ": 2", "---", "Text."]).joined(separator: "\n")

    @Test(.timeLimit(.minutes(1))) func aBillionLaughsIsAnErrorAtTheAliasThatGoesTooFar() {
        let (article, diagnostics) = load(Self.billionLaughs)
        #expect(article == nil)
        #expect(diagnostics.count == 1)
        let error = diagnostics.first
        #expect(error?.message.contains("aliases expand to more than") == true)
        #expect(error?.location == SourceLocation(path: "content/articles/a.md", line: 7, column: 10),
                "the first alias in a4 takes the expansion past 10,000 nodes")
    }

    @Test func aliasesWithinTheBudgetAreRead() throws {
        let (article, diagnostics) = load("---\ntitle: &t Titel\nsummary: *t\nauthors: &a [A, B]\nauthor: *a\n---\nText.\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(try #require(article).summary == "Titel")
        #expect(article?.authors == ["A", "B", "A", "B"])
    }

    @Test func deepNestingIsAnErrorWhereItGoesTooDeep() {
        let (article, diagnostics) = load("---\ntitle: T\nsummary: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n---\n")
        #expect(article == nil)
        #expect(diagnostics.map(\.message) == ["YAML nested more than 32 levels deep"])
        #expect(diagnostics.first?.location == SourceLocation(path: "content/articles/a.md", line: 3, column: 41),
                "the 32nd '[', 33 levels deep with the mapping around it")
    }

    @Test func nestingTooDeepForLibYAMLIsAnErrorNotACrash() {
        let (article, diagnostics) = load("---\ntitle: T\nx: " + String(repeating: "[", count: 100_000) + "\n---\n")
        #expect(article == nil)
        #expect(diagnostics.first?.isError == true)
        #expect(diagnostics.first?.location.line == 3)
    }

    @Test func carriageReturnsAloneEndLines() throws {
        let site = try TestSite([
            "content/articles/cr.md": "---\rtitle: Nur CR\rdate: 2020-01-01\r---\rErster Absatz\rin Damaskus.\r\rZweiter über Damaskus.\r",
            "content/articles/crlf.txt": "Agentur\r\n\r\nIn Damaskus\r\n\r\nText.\r\n",
            "content/places/damaskus.md": "---\r\nname: Damaskus\r\n---\r\nStadt.\r\n",
        ])
        defer { site.delete() }
        let report = site.build()
        #expect(report.errors == 0 && report.published, "\(report.diagnostics)")
        let rows = try site.read("public/data/mentions.csv").split(separator: "\r\n").dropFirst().map(String.init)
        #expect(rows == ["cr,damaskus,Damaskus,56,64,6", "cr,damaskus,Damaskus,80,88,8", "crlf,damaskus,Damaskus,14,22,3"])
        let page = try site.read("public/articles/cr/index.html")
        #expect(page.contains("<h1>Nur CR</h1>"))
        #expect(page.contains("<p>Zweiter über <a class=\"mention mention-place\" id=\"m-2\""))
        #expect(try site.read("public/articles/crlf/index.html").contains("<h2>In <a class=\"mention mention-place\""))
    }

    @Test func emptyFilesAreReportedEachInItsOwnWay() throws {
        let site = try TestSite(fixtureWith: [
            "content/articles/leer.md": "", "content/articles/leer-text.txt": "", "content/actors/leer.md": "",
            "content/notes/leer.md": "", "content/site.yml": "",
        ])
        defer { site.delete() }
        let report = site.build(publish: false)
        let errors = report.diagnostics.filter(\.isError)
        #expect(errors.map(\.location.path) == ["content/actors/leer.md", "content/articles/leer-text.txt",
                                                "content/articles/leer.md", "content/notes/leer.md"])
        #expect(errors.map(\.message) == ["missing required front-matter key 'name'",
                                          "empty article: a plain-text article starts with its headline",
                                          "missing required front-matter key 'title'", "missing required front-matter key 'title'"])
        #expect(report.articles == 2, "the fixture's articles are read all the same")
    }

    @Test func aFileTooLargeIsNotRead() throws {
        let site = try TestSite(["content/articles/klein.md": "---\ntitle: Klein\n---\nText.\n",
                                 "content/articles/gross.md": "---\ntitle: Groß\n---\n" + String(repeating: "Text. ", count: 50_000)])
        defer { site.delete() }
        let files = SiteFiles(root: site.root, stage: .load, maximumFileSize: 100_000)
        var diagnostics: [Diagnostic] = []
        #expect(files.readText(site.root.appendingPathComponent("content/articles/klein.md"), path: "klein.md", &diagnostics) != nil)
        #expect(files.readText(site.root.appendingPathComponent("content/articles/gross.md"), path: "gross.md", &diagnostics) == nil)
        #expect(diagnostics.map(\.description) == ["gross.md: error: not read: the file has 0.3 MB, more than the 0.1 MB a file may have; split it"])
        #expect(SiteFiles.defaultMaximumFileSize == 8 << 20)
    }
}

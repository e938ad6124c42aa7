import Testing
@testable import DossierCore

@Suite struct FrontMatterTests {
    private func load(_ text: String, path: String = "content/articles/a.md") -> (Article?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let article = ArticleLoader.load(id: "a", file: SourceText(path: path, text: text), format: .markdown, &diagnostics)
        return (article, diagnostics)
    }

    @Test func readsEveryArticleKey() throws {
        let (article, diagnostics) = load("""
            ---
            title: "Eine Überschrift"
            date: 2018-05-01T10:30:00+02:00
            source: ANF
            url: https://example.org/a
            language: de
            authors: [A, B]
            summary: Kurz.
            ---
            Text.
            """)
        #expect(diagnostics.isEmpty)
        let loaded = try #require(article)
        #expect(loaded.title == "Eine Überschrift")
        #expect(loaded.date?.day == "2018-05-01")
        #expect(loaded.publisher == "ANF")
        #expect(loaded.authors == ["A", "B"])
        #expect(loaded.summary == "Kurz.")
        // The quoted title is located in the file, past its quote.
        #expect(loaded.titleOffsets?.first == 12)
    }

    @Test func yamlErrorsCarryFileLineAndColumn() {
        let (article, diagnostics) = load("---\ntitle: Gut\ndate: [2018\n---\nText.\n")
        #expect(article == nil)
        let error = diagnostics.first { $0.isError }
        #expect(error?.location.path == "content/articles/a.md")
        #expect(error?.location.line == 4, "the unclosed list is reported on the file's line, past the '---'")
        #expect((error?.location.column ?? 0) > 0)
        #expect(error?.formatted().hasPrefix("content/articles/a.md:4:") == true)
    }

    @Test func missingTitleIsAnError() {
        let (article, diagnostics) = load("---\ndate: 2018-05-01\n---\nText.\n")
        #expect(article == nil)
        #expect(diagnostics.contains { $0.isError && $0.message.contains("'title'") })
    }

    @Test func unknownKeysAreWarningsWithTheirLine() {
        let (article, diagnostics) = load("---\ntitle: T\nautor: X\n---\nText.\n")
        #expect(article != nil)
        let warning = diagnostics.first { $0.severity == .warning }
        #expect(warning?.message.contains("'autor'") == true)
        #expect(warning?.location.line == 3)
    }

    @Test func duplicateKeysAreErrors() {
        let (_, diagnostics) = load("---\ntitle: A\ntitle: B\n---\n")
        #expect(diagnostics.contains { $0.isError && $0.message.contains("duplicate") })
    }

    @Test func unclosedFrontMatterIsAnErrorAtLineOne() {
        let (_, diagnostics) = load("---\ntitle: A\nText without end.\n")
        #expect(diagnostics.first?.location.line == 1)
        #expect(diagnostics.first?.message.contains("never closed") == true)
    }

    /// Found by fuzzing (`---\n...`): a front matter closed on the file's last line put the
    /// empty body on a line after the end, and an empty plain-text article was reported there.
    @Test func anEmptyBodyAfterTheLastLineStartsOnTheLastLine() {
        var diagnostics: [Diagnostic] = []
        let split = FrontMatterSplit.split(SourceText(path: "a.md", text: "---\n..."), &diagnostics)
        #expect(split?.body == 7..<7)
        #expect(split?.bodyFirstLine == 2)
        let file = SourceText(path: "content/articles/a.txt", text: "---\nsource: ANF\n---")
        #expect(ArticleLoader.load(id: "a", file: file, format: .plainText, &diagnostics) == nil)
        #expect(diagnostics.map(\.location.line) == [3])
    }

    /// Found by fuzzing (`---\n-\u{2028}.\n...`): libyaml also breaks lines at U+2028, U+2029
    /// and U+0085, so positions after one were placed on a later line of the file, past its end.
    @Test func yamlPositionsAfterUnicodeLineSeparatorsAreTheFiles() throws {
        let (_, diagnostics) = load("---\n-\u{2028}.\n...")
        #expect(diagnostics.map(\.location) == [SourceLocation(path: "content/articles/a.md", line: 3, column: 1)])
        let text = "---\nsummary: \"a\u{2028}b\u{85}c\"\ntitle: Efrîn\n---\n"
        let (article, _) = load(text)
        let title = try #require(Array(text.unicodeScalars).firstIndex(of: "E"))
        #expect(try #require(article).titleOffsets == Array(title..<(title + 5)))
        let (_, errors) = load("---\nsummary: \"a\u{2029}b\"\ntitle: [\n---\n")
        #expect(errors.map(\.location.line) == [4])
    }

    @Test func badDatesAndTypesAreReported() {
        let (_, diagnostics) = load("---\ntitle: [A, B]\ndate: 2018-02-30\n---\n")
        #expect(diagnostics.filter(\.isError).count == 2)
    }

    @Test func datesSortChronologically() throws {
        let early = try #require(ArticleDate("2017-12-31"))
        let late = try #require(ArticleDate("2018-01-01T00:00:00Z"))
        #expect(early < late)
        #expect(ArticleDate("2018-13-01") == nil)
        #expect(ArticleDate("2016-02-29") != nil)
        #expect(ArticleDate("2018-01-01T25:00") == nil)
        #expect(ArticleDate("2018-01-01T10:00:00.123Z") != nil)
        #expect(ArticleDate("2018-01-01 10:00+0200") != nil)
        #expect(ArticleDate("2018-01-01T10:00x") == nil)
        #expect(ArticleDate("2018-01-01T10:60") == nil)
        #expect(ArticleDate("2018-01-01T10:00:00.Z") == nil)
    }

    /// Dates in ASCII digits are read from their bytes: as the long way reads them.
    @Test(arguments: [
        "2017-12-31", "2016-02-29", "2017-02-29", "1900-02-29", "2000-02-29", "2018-13-01", "2018-00-10", "2018-04-31", "2018-04-00",
        "2016-10-27T20:52:10Z", "2016-10-27T20:52Z", "2016-10-27 20:52", "2016-10-27T23:59:59.999+14:00", "2016-10-27T20:52-0130",
        "2016-10-27T24:00", "2016-10-27T20:60", "2016-10-27T20:52:60", "2016-10-27T20:52+24:00", "2016-10-27T20:52+01:60",
        "2016-10-27T20:52:10.Z", "2016-10-27T20:52:10Zx", "2016-10-27T20", "2016-10-27X20:52", "2016-10-27T20:52+01",
        "2016-10-27T+1:52", "2016-10-27T20:-1", "+016-10-27", "2016-10-2", "2016-1-027", " 2016-10-27", "2016-10-27 ", "",
    ])
    func datesInDigitsAreReadAsTheLongWayReadsThem(text: String) {
        #expect(ArticleDate(text) == ArticleDate(parsing: text))
    }

    @Test func datesAsEditorsWriteThemAreReadFromTheirBytes() {
        for text in ["2017-12-31", "2018-13-01", "2016-10-27T20:52:10Z", "2016-10-27T23:59:59.999+14:00", "2016-10-27 20:52-0130"] {
            #expect(ArticleDate.isValidInDigits(text) != nil, "\(text)")
        }
    }
}

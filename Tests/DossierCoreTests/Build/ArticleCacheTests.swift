import Foundation
import Testing
@testable import DossierCore

/// The articles `dossier build` keeps in `.dossier-cache/articles/`: the next build reads and
/// parses only the article files that changed, and its site is byte for byte the site of a
/// build without the cache.
@Suite struct ArticleCacheTests {
    /// A site of Markdown and plain-text articles, one of them with a problem in its front
    /// matter, written long enough ago that their versions can be kept.
    private func settledSite() async throws -> TestSite {
        var files = Fixture.files
        for day in 1...4 {
            // Letters of two bytes before the later lines: their starts in bytes and in
            // scalars differ.
            files["content/articles/meldung-\(day).md"] = "---\ntitle: QSD meldet Ärger \(day)\ndate: 2018-06-0\(day)\n---\n"
                + "Die QSD in Efrîn.\nDann Damaskus.\n"
        }
        files["content/articles/agentur.txt"] = "Agenturmeldung aus Damaskus\n\nZwischentitel\n\nDie QSD melden Ruhe.\n"
        files["content/articles/mit-feld.md"] = "---\ntitle: Mit Feld\ndate: 2018-06-09\nunbekannt: ja\n---\nDie QSD.\n"
        let site = try TestSite(files)
        try await Task.sleep(for: .nanoseconds(FileVersion.settlingNanoseconds + 200_000_000))
        return site
    }

    /// The site built again from a copy of its content without any cache.
    private func uncachedBuild(of site: TestSite) throws -> (report: BuildReport, files: [String: Data]) {
        let copy = try TestSite(copying: site.root)
        defer { copy.delete() }
        try? FileManager.default.removeItem(at: copy.root.appendingPathComponent(BuildCache.folder))
        let report = copy.build()
        return (report, try copy.snapshot("public"))
    }

    @Test func aBuildReadsOnlyTheArticleFilesThatChangedAndMakesTheSiteABuildWithoutTheCacheWould() async throws {
        let site = try await settledSite()
        defer { site.delete() }
        let first = site.build()
        #expect(first.articlesRead == first.articles)
        #expect(first.warnings > 0, "the article with an unknown field")

        let again = site.build()
        #expect(again.articlesRead == 0, "nothing changed: no article file is read")
        #expect(again.diagnostics == first.diagnostics, "the kept articles' warnings are reported again")
        #expect(again.articles == first.articles && again.mentions == first.mentions)
        #expect(again.articlesLinked == 0, "the kept articles' digests are their files'")

        // An edit: that file alone is read, and the site is the one a build without the cache makes.
        try site.write("content/articles/meldung-2.md", "---\ntitle: Neu aus Damaskus\ndate: 2018-06-02\n---\nDie QSD in Efrîn.\n")
        try site.write("content/articles/agentur.txt", "Agenturmeldung aus Efrîn\n\nDie QSD in Damaskus.\n")
        let edited = site.build()
        #expect(edited.articlesRead == 2)
        #expect(edited.outcome.contains("2 articles read"), "\(edited.outcome)")
        let uncached = try uncachedBuild(of: site)
        #expect(edited.diagnostics == uncached.report.diagnostics)
        #expect(try site.snapshot("public") == uncached.files)
        #expect(try site.read("public/articles/meldung-2/index.html").contains("Neu aus Damaskus"))

        // Changed this recently, a file is read again: a change within the same tick of its
        // clock would leave its times as they were.
        #expect(site.build().articlesRead == 2)
    }

    @Test func articlesTakenFromTheCacheAreLinkedAnewAsTheirFilesWouldBe() async throws {
        let site = try await settledSite()
        defer { site.delete() }
        _ = site.build()
        // What every article is linked against changed: each is linked again, from the article
        // the cache kept (its title's place in the file, its body, its front matter).
        try site.write("content/places/damaskus.md", "---\nname: Damaskus\naliases: [Meldet, Agenturmeldung]\n---\n")
        let relinked = site.build()
        #expect(relinked.articlesRead == 0 && relinked.articlesLinked == relinked.articles)
        let uncached = try uncachedBuild(of: site)
        #expect(relinked.mentions == uncached.report.mentions)
        #expect(relinked.diagnostics == uncached.report.diagnostics)
        #expect(try site.snapshot("public") == uncached.files)
    }

    @Test func aFileWhoseContentsChangedUnderTheSameSizeAndModificationTimeIsReadAgain() async throws {
        let site = try await settledSite()
        defer { site.delete() }
        _ = site.build()
        let path = "content/articles/meldung-3.md"
        let url = site.root.appendingPathComponent(path)
        var before = stat()
        #expect(lstat(url.path, &before) == 0)
        // As `cp -p` over the file does: the same inode and size, the old times set back to the
        // nanosecond.
        let text = try site.read(path)
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data(text.replacingOccurrences(of: "QSD meldet Ärger 3", with: "YPG meldet Ärger 3").utf8))
        try handle.close()
        #expect(utimensat(AT_FDCWD, url.path, [before.st_atim, before.st_mtim], 0) == 0)
        var after = stat()
        #expect(lstat(url.path, &after) == 0)
        #expect(FileIdentity(after) == FileIdentity(before), "only the status-change time tells the files apart")

        let report = site.build()
        #expect(report.articlesRead == 1)
        #expect(try site.read("public/articles/meldung-3/index.html").contains("YPG meldet Ärger 3"))
        #expect(try site.snapshot("public") == uncachedBuild(of: site).files)
    }

    @Test func theKeptArticlesTextsComeWithTheirOwnTables() async throws {
        let site = try await settledSite()
        defer { site.delete() }
        let built = site.build()
        let kept = ArticleCache.startReading(site: site.root).startGatheringArticles().value
        #expect(kept.count == built.articles)
        for loaded in kept.values {
            let file = loaded.article.file
            #expect(file.tables == SourceText(path: file.path, text: file.text).tables, "\(file.path): lines, checkpoints, digest")
        }
    }

    @Test func aCacheThatCannotBeTrustedIsNotUsed() async throws {
        let site = try await settledSite()
        defer { site.delete() }
        let articles = site.build().articles
        let expected = try uncachedBuild(of: site).files

        // Cut short, or not a cache at all: every file is read, and the site is right.
        for run in runFiles(site) {
            let bytes = try Data(contentsOf: run)
            try bytes.prefix(bytes.count / 2).write(to: run)
        }
        #expect(site.build().articlesRead == articles)
        #expect(try site.snapshot("public") == expected)
        for run in runFiles(site) { try Data("not a cache".utf8).write(to: run) }
        #expect(site.build().articlesRead == articles)
        #expect(site.build().articlesRead == 0, "the runs that could not be read are written again")
        #expect(try site.snapshot("public") == expected)

        // Deleted: the next build reads every file.
        try FileManager.default.removeItem(at: site.root.appendingPathComponent(BuildCache.folder))
        #expect(site.build().articlesRead == articles)
    }

    @Test func filesChangedJustBeforeABuildAreNotKept() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        let first = site.build()
        #expect(first.articles > 0)
        #expect(site.build().articlesRead == first.articles, "too new to be told from a file changed again within their tick")
    }

    /// The files of the cache's runs.
    private func runFiles(_ site: TestSite) -> [URL] {
        let folder = ArticleCache.runs(site: site.root).folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.map { folder.appendingPathComponent($0) }
    }
}

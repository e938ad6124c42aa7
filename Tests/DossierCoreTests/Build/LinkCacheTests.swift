import Foundation
import Testing
@testable import DossierCore

/// The link results `dossier build` keeps in `.dossier-cache/links/`: the next build links
/// only the articles whose file changed, and its site is byte for byte the site of a build
/// without the cache.
@Suite struct LinkCacheTests {
    private func site() throws -> TestSite {
        var files = Fixture.files
        for day in 1...5 {
            files["content/articles/meldung-\(day).md"] = "---\ntitle: QSD meldet \(day)\ndate: 2018-06-0\(day)\n---\n"
                + "Die [[qsd|Kräfte]] in Efrîn. Siehe [[meldung-\((day % 5) + 1)]], dann Damaskus.\n"
        }
        return try TestSite(files)
    }

    /// The site built again from a copy of its content without any cache.
    private func uncachedBuild(of site: TestSite) throws -> (report: BuildReport, files: [String: Data]) {
        let copy = try TestSite(copying: site.root)
        defer { copy.delete() }
        let report = copy.build()
        return (report, try copy.snapshot("public"))
    }

    @Test func aBuildLinksOnlyTheEditedArticleAndMakesTheSiteABuildWithoutTheCacheWould() throws {
        let site = try site()
        defer { site.delete() }
        let first = site.build()
        #expect(first.articlesLinked == first.articles)
        #expect(!runFiles(site).isEmpty)

        try site.write("content/articles/meldung-3.md", "---\ntitle: Meldung 3 aus Damaskus\n---\nDie QSD in [[damaskus|der Hauptstadt]].\n")
        let edited = site.build()
        #expect(edited.articlesLinked == 1, "only the edited article")
        let uncached = try uncachedBuild(of: site)
        #expect(uncached.report.articlesLinked == uncached.report.articles)
        #expect(edited.mentions == uncached.report.mentions)
        #expect(edited.diagnostics == uncached.report.diagnostics, "the cached articles' warnings are reported again")
        #expect(try site.snapshot("public") == uncached.files)
        #expect(try site.read("public/actors/qsd/index.html").contains("Kräfte"), "contexts are cut from the kept text")

        // Nothing changed: nothing is linked, and the cache is not written again, by a build
        // that reads it nor by one (of `serve`) that remembers the results.
        let written = identities(site)
        #expect(site.build().articlesLinked == 0)
        let memory = BuildMemory()
        #expect(site.build(memory: memory).articlesLinked == 0, "serve's first build takes the results from the cache")
        #expect(site.build(memory: memory).articlesLinked == 0)
        #expect(identities(site) == written)
    }

    @Test func aCacheThatCannotBeTrustedIsNotUsed() throws {
        let site = try site()
        defer { site.delete() }
        let articles = site.build().articles

        // Cut short, or not a cache at all: everything is linked, and the build is right.
        for cache in runFiles(site) {
            let bytes = try Data(contentsOf: cache)
            try bytes.prefix(bytes.count * 2 / 3).write(to: cache)
        }
        let cutShort = site.build()
        #expect(cutShort.published && cutShort.articlesLinked == articles)
        for cache in runFiles(site) { try Data("not a cache".utf8).write(to: cache) }
        #expect(site.build().articlesLinked == articles)
        #expect(site.build().articlesLinked == 0, "the runs that were not read are written again")

        // What the linker is made from changed: a new alias may match in any article.
        try site.write("content/places/damaskus.md", "---\nname: Damaskus\naliases: [Meldung]\n---\n")
        #expect(site.build().articlesLinked == articles)
        #expect(try site.snapshot("public") == uncachedBuild(of: site).files)

        // Deleted: the next build links everything.
        try FileManager.default.removeItem(at: site.root.appendingPathComponent(".dossier-cache"))
        #expect(site.build().articlesLinked == articles)
    }

    @Test func whatAKilledBuildLeftWhileWritingTheCacheIsRemoved() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        // A build killed while it wrote the cache left its file; no process has that number.
        try site.write(".dossier-cache/links/.1234abcd-\(Int32.max).bin", "half written")
        try site.write("content/articles/meldung-1.md", "---\ntitle: Eins\n---\nNeu in Damaskus.\n")
        #expect(site.build().articlesLinked == 1)
        #expect(!site.exists(".dossier-cache/links/.1234abcd-\(Int32.max).bin"))
        #expect(!runFiles(site).isEmpty)
    }

    @Test func anEditWritesOnlyTheRunOfTheEditedArticle() throws {
        var files = Fixture.files
        for number in 1...600 {
            files["content/articles/kurz-\(number).md"] = "---\ntitle: Kurz \(number)\ndate: 2019-03-01\n---\nRuhe in Damaskus.\n"
        }
        let site = try TestSite(files)
        defer { site.delete() }
        _ = site.build()
        let before = identities(site)
        #expect(before.count >= 2, "600 articles make more than one run")

        try site.write("content/articles/kurz-300.md", "---\ntitle: Kurz 300\ndate: 2019-03-01\n---\nNeues aus Efrîn.\n")
        #expect(site.build().articlesLinked == 1)
        let after = identities(site)
        #expect(after.count == before.count, "the replaced run's file is removed")
        #expect(Set(after.keys).subtracting(before.keys).count == 1, "one run written")
        #expect(after.filter { before[$0.key] == $0.value }.count == after.count - 1, "the others left as they were")
        #expect(try site.snapshot("public") == uncachedBuild(of: site).files)
    }

    /// The files of the cache's runs.
    private func runFiles(_ site: TestSite) -> [URL] {
        let folder = LinkCache.runs(site: site.root).folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.map { folder.appendingPathComponent($0) }
    }

    /// Each run file's name with its identity (inode and modification time).
    private func identities(_ site: TestSite) -> [String: FileIdentity] {
        Dictionary(uniqueKeysWithValues: runFiles(site).compactMap { url in FileCalls.identity(url.path).map { (url.lastPathComponent, $0) } })
    }
}

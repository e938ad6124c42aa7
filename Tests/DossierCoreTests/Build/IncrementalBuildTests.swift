import Foundation
import Testing
@testable import DossierCore

/// The build cache: after an edit, only the pages that change are rendered, the other files
/// are the old ones, untouched, and the output is byte for byte a full build's.
@Suite struct IncrementalBuildTests {
    /// The fixture with more articles, so that an edit leaves most pages alone.
    private func site() throws -> TestSite {
        var files = Fixture.files
        for day in 1...9 {
            files["content/articles/meldung-\(day).md"] = "---\ntitle: Meldung \(day)\ndate: 2018-06-0\(day)\n---\n"
                + (day.isMultiple(of: 2) ? "Die QSD in Efrîn.\n" : "Ruhe in Damaskus.\n")
        }
        return try TestSite(files)
    }

    private func inode(_ site: TestSite, _ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: site.root.appendingPathComponent(path).path)
        return try #require((attributes[.systemFileNumber] as? NSNumber)?.uint64Value)
    }

    @Test func everyKindOfEditGivesWhatAFullBuildGives() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        let edits: [(String, () throws -> Void)] = [
            ("text", { try site.write("content/articles/meldung-3.md", "---\ntitle: Meldung 3\ndate: 2018-06-03\n---\nRuhe in Damaskus, sagt die QSD.\n") }),
            ("title", { try site.write("content/articles/meldung-4.md", "---\ntitle: Neue Meldung 4\ndate: 2018-06-04\n---\nDie QSD in Efrîn.\n") }),
            ("date", { try site.write("content/articles/meldung-5.md", "---\ntitle: Meldung 5\ndate: 2017-01-05\n---\nRuhe in Damaskus.\n") }),
            ("new article", { try site.write("content/articles/neu.md", "---\ntitle: Neu\ndate: 2018-07-01\n---\nErdoğan in Damaskus.\n") }),
            ("deleted article", { try site.remove("content/articles/meldung-6.md") }),
            ("note", { try site.write("content/notes/kommentar.md", "---\ntitle: Zur Offensive, neu\nauthor: Redaktion\narticle: offensive\n---\n> Der Sprecher Haşim Mihemed sagte\n\nNeu kommentiert.\n") }),
            ("entity", { try site.write("content/places/damaskus.md", "---\nname: Damaskus\naliases: [Damascus]\n---\nHauptstadt.\n") }),
            ("nothing", {}),
        ]
        for (name, edit) in edits {
            try edit()
            _ = try site.expectSameAsAFullBuild(name)
        }
    }

    @Test func editsOnAnEntityWithSeveralPagesGiveWhatAFullBuildGives() throws {
        var files = Fixture.files
        for day in 1...60 {
            files["content/articles/tag-\(day).md"] = "---\ntitle: Tag \(day)\ndate: 2019-02-\(String(format: "%02d", day % 28 + 1))\n---\nDie QSD am Tag \(day).\n"
        }
        let site = try TestSite(files)
        defer { site.delete() }
        _ = site.build()
        try site.write("content/articles/tag-59.md", "---\ntitle: Tag 59\ndate: 2019-02-04\n---\nDie QSD am Tag 59, in Efrîn.\n")
        let text = try site.expectSameAsAFullBuild("text of an article on the second page")
        #expect(text.pagesRendered < text.pages / 3, "\(text.pagesRendered) of \(text.pages)")
        try site.write("content/articles/tag-3.md", "---\ntitle: Tag 3\ndate: 2017-02-04\n---\nDie QSD am Tag 3.\n")
        _ = try site.expectSameAsAFullBuild("an article moves to the last page")
        try site.remove("content/articles/tag-4.md")
        _ = try site.expectSameAsAFullBuild("an article goes")
    }

    @Test func anEditRendersOnlyThePagesItChangesAndLeavesTheOthersUntouched() throws {
        let site = try site()
        defer { site.delete() }
        let first = site.build()
        #expect(first.pagesRendered == first.pages, "no cache yet: every page")
        let untouched = ["public/articles/offensive/index.html", "public/actors/erdogan/index.html", "public/articles/meldung-2/index.html"]
        let before = try untouched.map { try inode(site, $0) }
        let editedBefore = try inode(site, "public/articles/meldung-3/index.html")

        try site.write("content/articles/meldung-3.md", "---\ntitle: Meldung 3\ndate: 2018-06-03\n---\nRuhe in Damaskus, wirklich.\n")
        let report = try site.expectSameAsAFullBuild("text")
        // The article, Damaskus (its mentions), and the 7 pages made from the whole archive; not
        // the archive page or the related articles, which show the article's title, not its text.
        #expect(report.pagesRendered == 9, "\(report.pagesRendered) of \(report.pages) pages rendered")
        #expect(try untouched.map { try inode(site, $0) } == before, "pages the edit does not change are the old files")
        #expect(try inode(site, "public/articles/meldung-3/index.html") != editedBefore)
        #expect(try site.read("public/articles/meldung-3/index.html").contains("wirklich."))
        #expect(try site.read("public/places/damaskus/index.html").contains("wirklich."))
    }

    @Test func theCacheIsNotTrustedAfterAThemeChangeOrWhenTheOutputWasReplaced() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        let theme = try #require(Theme.builtInFolder)
        try FileManager.default.copyItem(at: theme, to: site.root.appendingPathComponent("templates"))
        let layout = try site.read("templates/layout.mustache")
        try site.write("templates/layout.mustache", layout.replacingOccurrences(of: "<main id=\"main\"", with: "<main data-theme=\"2\" id=\"main\""))
        let themed = site.build()
        #expect(themed.pagesRendered == themed.pages, "a new theme renders every page")
        let page = try site.read("public/articles/offensive/index.html")
        #expect(page.contains("data-theme=\"2\""))

        // Something else replaced the output folder: its files are not the cache's.
        let public_ = site.root.appendingPathComponent("public")
        let elsewhere = site.root.appendingPathComponent("elsewhere")
        try FileManager.default.copyItem(at: public_, to: elsewhere)
        try FileManager.default.removeItem(at: public_)
        try FileManager.default.moveItem(at: elsewhere, to: public_)
        let after = site.build()
        #expect(after.pagesRendered == after.pages)
    }

    @Test func deletingTheCacheOnlyMeansAFullBuild() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        #expect(site.exists(BuildCache.folder))
        try site.remove(BuildCache.folder)
        let report = try site.expectSameAsAFullBuild("no cache")
        #expect(report.pagesRendered == report.pages)
        #expect(!site.exists("content/\(BuildCache.folder)") && !site.exists("public/\(BuildCache.folder)"), "the cache lives beside content/")
    }
}

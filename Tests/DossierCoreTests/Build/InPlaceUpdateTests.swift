import Foundation
import Testing
@testable import DossierCore

/// A build whose cache knows the published folder updates it in place: only the files whose
/// bytes change are replaced, files the site no longer has are removed, every other file keeps
/// its inode and time, and a failed or killed update leaves the previous site as it was.
@Suite struct InPlaceUpdateTests {
    /// The fixture with more articles, so that an edit leaves most files alone.
    private func site() throws -> TestSite {
        var files = Fixture.files
        for day in 1...9 {
            files["content/articles/meldung-\(day).md"] = "---\ntitle: Meldung \(day)\ndate: 2018-06-0\(day)\n---\n"
                + (day.isMultiple(of: 2) ? "Die QSD in Efrîn.\n" : "Ruhe in Damaskus.\n")
        }
        return try TestSite(files)
    }

    /// Every regular file below `folder` with its identity.
    private func identities(_ site: TestSite, _ folder: String = "public") throws -> [String: FileIdentity] {
        let base = site.root.appendingPathComponent(folder).path
        return try site.snapshot(folder).keys.reduce(into: [:]) { identities, path in
            let identity = FileCalls.identity(base + "/" + path)
            try #require(identity != nil)
            identities[path] = identity
        }
    }

    /// Every folder below `folder`, by relative path.
    private func folderNumber(_ site: TestSite) -> UInt64 {
        BuildCache.folderNumber(site.root.appendingPathComponent("public"))
    }

    /// No journal or staging folder is left beside the output.
    private func leftovers(_ site: TestSite) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".public.") }
    }

    @Test func aRebuildAfterOneEditReplacesOnlyTheFilesWhoseBytesChange() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        let folder = folderNumber(site)
        let bytesBefore = try site.snapshot()
        let before = try identities(site)

        // A sentence more, no mention more: the data files stay as they are.
        try site.write("content/articles/meldung-3.md", "---\ntitle: Meldung 3\ndate: 2018-06-03\n---\nRuhe in Damaskus. Ein Satz mehr.\n")
        _ = try site.expectSameAsAFullBuild("a sentence appended")
        #expect(folderNumber(site) == folder, "updated in place, not swapped")
        let bytesAfter = try site.snapshot()
        let after = try identities(site)
        let changed = bytesAfter.keys.filter { bytesBefore[$0] != bytesAfter[$0] }
        #expect(changed.contains("articles/meldung-3/index.html"))
        #expect(changed.count < bytesAfter.count / 4, "\(changed.count) of \(bytesAfter.count) files changed")
        let touched = bytesAfter.keys.filter { !changed.contains($0) && before[$0] != after[$0] }.sorted()
        #expect(touched.isEmpty, "files whose bytes did not change were written: \(touched)")
        #expect(before["data/archive.json"] == after["data/archive.json"] && before["data/mentions.csv"] == after["data/mentions.csv"])
        #expect(try leftovers(site).isEmpty)
    }

    @Test func everyKindOfEditGivesWhatAFullBuildGives() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        let folder = folderNumber(site)
        let edits: [(String, () throws -> Void)] = [
            ("text with a new mention", { try site.write("content/articles/meldung-3.md", "---\ntitle: Meldung 3\ndate: 2018-06-03\n---\nRuhe in Damaskus, sagt die QSD.\n") }),
            ("title", { try site.write("content/articles/meldung-4.md", "---\ntitle: Neue Meldung 4\ndate: 2018-06-04\n---\nDie QSD in Efrîn.\n") }),
            ("date", { try site.write("content/articles/meldung-5.md", "---\ntitle: Meldung 5\ndate: 2017-01-05\n---\nRuhe in Damaskus.\n") }),
            ("new article", { try site.write("content/articles/neu.md", "---\ntitle: Neu\ndate: 2018-07-01\n---\nErdoğan in Damaskus.\n") }),
            ("deleted article", { try site.remove("content/articles/meldung-6.md") }),
            ("note", { try site.write("content/notes/kommentar.md", "---\ntitle: Zur Offensive, neu\nauthor: Redaktion\narticle: offensive\n---\n> Der Sprecher Haşim Mihemed sagte\n\nNeu kommentiert.\n") }),
            ("new asset", { try site.write("content/assets/bild.svg", "<svg/>") }),
            ("changed asset", { try site.write("content/assets/bild.svg", "<svg></svg>") }),
            ("deleted asset", { try site.remove("content/assets/bild.svg") }),
            ("nothing", {}),
        ]
        for (name, edit) in edits {
            try edit()
            _ = try site.expectSameAsAFullBuild(name)
            #expect(folderNumber(site) == folder, "\(name): updated in place")
        }
        #expect(!site.exists("public/articles/meldung-6"), "a removed article's page goes, with its folder")
        #expect(!site.exists("public/assets/bild.svg"))
        #expect(try leftovers(site).isEmpty)
    }

    /// A file of the output changed or deleted by something else is not the cache's: it is
    /// made again.
    @Test func filesChangedInTheOutputByOthersAreWrittenAgain() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        let page = site.root.appendingPathComponent("public/articles/offensive/index.html")
        try (try Data(contentsOf: page) + Data("<!-- von Hand -->".utf8)).write(to: page)
        try site.remove("public/feed.xml")
        try site.remove("public/search/meta.js")
        try site.write("public/data/archive.json", "{}")
        let report = try site.expectSameAsAFullBuild("files changed in the output")
        #expect(report.pagesRendered < report.pages)
    }

    @Test func withoutTheCacheTheSiteIsStagedAndSwappedIn() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        let folder = folderNumber(site)
        try site.remove(BuildCache.folder)
        let report = try site.expectSameAsAFullBuild("no cache")
        #expect(report.pagesRendered == report.pages)
        #expect(folderNumber(site) != folder, "a new folder")
        _ = try site.expectSameAsAFullBuild("the cache again")
        #expect(try leftovers(site).isEmpty)
    }

    @Test func theCacheReadsBackWhatItWrote() throws {
        let site = try site()
        defer { site.delete() }
        let output = site.root.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let identity = FileIdentity(device: 1, inode: .max, size: 3, modified: -1, modifiedNanoseconds: 999_999_999)
        let files: [String: BuildCache.PublishedFile] = [
            "index.html": .init(kind: .page, fingerprint: nil, identity: identity),
            "articles/ä\nb/index.html": .init(kind: .page, fingerprint: .max, identity: identity),
            "search/meta.js": .init(kind: .search, fingerprint: 0, identity: identity),
            "data/archive.json": .init(kind: .data, fingerprint: 7, identity: identity),
        ]
        BuildCache(key: "k", output: BuildCache.folderNumber(output), files: files).save(site: site.root, output: output)
        let data = try Data(contentsOf: BuildCache.file(site: site.root, output: output))
        #expect(BuildCache(data)?.files == files)
        #expect(BuildCache(data.dropLast()) == nil && BuildCache(Data("dossier".utf8)) == nil)
        let previous = try #require(BuildCache.lastBuild(site: site.root, output: output)?.previous(key: "k"))
        #expect(previous.changed == Set(files.keys), "no file is there with these identities")
        #expect(BuildCache.lastBuild(site: site.root, output: output)?.previous(key: "other") == nil)
    }
}

/// The update itself, on a folder of plain files.
@Suite struct OutputUpdateTests {
    private let files = ["a.txt": "A", "b/c.txt": "C", "d/e.txt": "E", "g.txt": "G"]

    private func published() throws -> (TestSite, Publisher, [String: FileIdentity]) {
        let site = try TestSite()
        let publisher = Publisher(output: site.root.appendingPathComponent("public"))
        try publisher.publish(files: files.map { OutputFile(path: $0.key, text: $0.value) }, assets: [])
        return (site, publisher, try identities(site))
    }

    private func identities(_ site: TestSite) throws -> [String: FileIdentity] {
        try site.snapshot().keys.reduce(into: [:]) { identities, path in
            identities[path] = FileCalls.identity(site.root.appendingPathComponent("public/" + path).path)
        }
    }

    /// An update that changes a.txt, keeps b/c.txt, adds x/y/new.txt and removes d/e.txt and g.txt.
    private func update(_ publisher: Publisher) throws -> OutputUpdate {
        let update = try publisher.beginUpdate()
        for (path, text) in [("a.txt", "A2"), ("b/c.txt", "C"), ("x/y/new.txt", "N")] { update.write(OutputFile(path: path, text: text)) }
        return update
    }

    private let removed = ["d/e.txt", "g.txt"]

    @Test func anUpdateReplacesChangedFilesAddsAndRemovesAndLeavesTheRest() throws {
        let (site, publisher, before) = try published()
        defer { site.delete() }
        let update = try update(publisher)
        #expect(update.changed.sorted() == ["a.txt", "x/y/new.txt"])
        let written = try update.commit(removing: removed)
        #expect(try site.snapshot() == ["a.txt": Data("A2".utf8), "b/c.txt": Data("C".utf8), "x/y/new.txt": Data("N".utf8)])
        let after = try identities(site)
        #expect(after["b/c.txt"] == before["b/c.txt"], "the same bytes: the file untouched")
        #expect(after["a.txt"] != before["a.txt"])
        #expect(written == after)
        #expect(!site.exists("public/d"), "a folder left empty goes")
        #expect(!FileManager.default.fileExists(atPath: update.journal.path))
    }

    @Test(arguments: ["x/y/new.txt", "g.txt"])
    func aFailedWriteMidUpdatePutsThePreviousFilesBack(failingAt path: String) throws {
        let (site, publisher, before) = try published()
        defer { site.delete() }
        let update = try update(publisher)
        update.fault.withLock { $0 = (path, false) }
        #expect(throws: Publisher.Failure.self) { try update.commit(removing: removed) }
        #expect(try site.snapshot() == files.mapValues { Data($0.utf8) })
        #expect(try identities(site) == before, "the previous files themselves, not copies")
        #expect(!site.exists("public/x"), "the folders made for new files go again")
        #expect(!FileManager.default.fileExists(atPath: update.journal.path))
    }

    @Test func anUpdateOfAKilledBuildIsPutBackByTheNextOne() throws {
        let (site, publisher, before) = try published()
        defer { site.delete() }
        let update = try update(publisher)
        update.fault.withLock { $0 = ("g.txt", true) }
        #expect(throws: OutputUpdate.Killed.self) { try update.commit(removing: removed) }
        #expect(try site.snapshot()["a.txt"] == Data("A2".utf8), "killed half way")
        // The journal of a process that is gone.
        let gone = site.root.appendingPathComponent(".public.update-2147483647-dead")
        try FileManager.default.moveItem(at: update.journal, to: gone)
        let next = try publisher.beginUpdate()
        #expect(try site.snapshot() == files.mapValues { Data($0.utf8) })
        #expect(try identities(site) == before)
        #expect(!FileManager.default.fileExists(atPath: gone.path))
        next.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".public.") }.isEmpty)
    }
}

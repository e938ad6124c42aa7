import Foundation
import Testing
@testable import DossierCore
#if canImport(Glibc)
import Glibc
#endif

/// The data files on a rebuild: made from the published ones (the parts of unchanged articles
/// copied, see `PartedFile`), byte for byte a full build's, and left untouched when their bytes
/// do not change.
@Suite struct DataRebuildTests {
    private static let dataFiles = DataExport.files.map { "data/" + $0.name }

    /// The fixture with more articles, some whose cells a CSV quotes or prefixes.
    private func site() throws -> TestSite {
        var files = Fixture.files
        files["content/articles/aa-alt.md"] = "---\ntitle: Alt\n---\nIn Efrîn.\n"
        for number in 1...20 {
            let title = number == 4 ? "\"Lage\", sagt man" : number == 7 ? "=Summe(1)" : "Meldung \(number)"
            let text = number == 9 ? "Nichts Neues.\n" : number.isMultiple(of: 2) ? "Die QSD in Efrîn.\n" : "Ruhe in Damaskus, sagt Erdoğan.\n"
            files["content/articles/meldung-\(String(format: "%02d", number)).md"] = "---\ntitle: '\(title)'\ndate: 2018-06-\(String(format: "%02d", number))\n---\n\(text)"
        }
        return try TestSite(files)
    }

    private func identities(_ site: TestSite) -> [String: FileIdentity?] {
        Dictionary(uniqueKeysWithValues: Self.dataFiles.map { ($0, FileCalls.identity(site.root.appendingPathComponent("public/" + $0).path)) })
    }

    /// Replaces `old` by `new` (as long) in the published file, in place, and gives the file its
    /// time back: to the build cache it is the file the last build left.
    private func overwriteUnnoticed(_ site: TestSite, _ path: String, _ old: String, with new: String) throws {
        let file = site.root.appendingPathComponent("public/" + path).path
        var status = stat()
        try #require(stat(file, &status) == 0)
        var bytes = try #require(FileManager.default.contents(atPath: file))
        let range = try #require(bytes.firstRange(of: Data(old.utf8)))
        try #require(old.utf8.count == new.utf8.count)
        bytes.replaceSubrange(range, with: Data(new.utf8))
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        try handle.write(contentsOf: bytes)
        try handle.close()
        let times = [status.st_atim, status.st_mtim]
        try #require(utimensat(AT_FDCWD, file, times, 0) == 0)
        #expect(FileCalls.identity(file) == FileIdentity(status))
    }

    @Test func everyKindOfEditGivesAFullBuildsDataFiles() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        let edits: [(String, () throws -> Void)] = [
            ("a mention more", { try site.write("content/articles/meldung-01.md", "---\ntitle: 'Meldung 1'\ndate: 2018-06-01\n---\nRuhe in Damaskus, sagt Erdoğan. Nachtrag: Die Lage in Damaskus blieb ruhig.\n") }),
            ("a title to quote", { try site.write("content/articles/meldung-02.md", "---\ntitle: 'Neu, \"zitiert\"'\ndate: 2018-06-02\n---\nDie QSD in Efrîn.\n") }),
            ("a mention less", { try site.write("content/articles/meldung-03.md", "---\ntitle: 'Meldung 3'\ndate: 2018-06-03\n---\nRuhe.\n") }),
            ("the first article goes", { try site.remove("content/articles/aa-alt.md") }),
            ("an article before all", { try site.write("content/articles/aaa.md", "---\ntitle: Vorne\n---\nIn Efrîn und Damaskus.\n") }),
            ("an article after all", { try site.write("content/articles/zzz.md", "---\ntitle: Hinten\n---\nErdoğan.\n") }),
            ("the last article goes", { try site.remove("content/articles/zzz.md") }),
            ("an article renamed", {
                try site.remove("content/articles/meldung-05.md")
                try site.write("content/articles/meldung-50.md", "---\ntitle: 'Meldung 5'\ndate: 2018-06-05\n---\nRuhe in Damaskus, sagt Erdoğan.\n")
            }),
            ("a date: the archive's order, not the ids'", { try site.write("content/articles/meldung-06.md", "---\ntitle: 'Meldung 6'\ndate: 2017-01-01\n---\nDie QSD in Efrîn.\n") }),
            ("two articles at once", {
                try site.write("content/articles/meldung-08.md", "---\ntitle: 'Meldung 8'\ndate: 2018-06-08\n---\nDie QSD in Damaskus.\n")
                try site.write("content/articles/meldung-11.md", "---\ntitle: 'Meldung 11'\ndate: 2018-06-11\nsource: ANF\n---\nRuhe in Damaskus, sagt Erdoğan.\n")
            }),
            ("a note", { try site.write("content/notes/kommentar.md", "---\ntitle: Zur Offensive, neu\nauthor: Redaktion\narticle: offensive\n---\n> Der Sprecher Haşim Mihemed sagte\n\nNeu kommentiert.\n") }),
            ("the text alone", { try site.write("content/articles/meldung-10.md", "---\ntitle: 'Meldung 10'\ndate: 2018-06-10\n---\nDie QSD in Efrîn. Sonst nichts.\n") }),
            ("an entity: all anew", { try site.write("content/places/damaskus.md", "---\nname: Damaskus\naliases: [Damascus]\n---\nHauptstadt.\n") }),
            ("after it, a mention more", { try site.write("content/articles/meldung-12.md", "---\ntitle: 'Meldung 12'\ndate: 2018-06-12\n---\nDie QSD in Damascus.\n") }),
            ("the layouts lost", {
                try site.remove(BuildCache.folder + "/" + DataLayoutCache.file(site: site.root, output: site.root.appendingPathComponent("public")).lastPathComponent)
                try site.write("content/articles/meldung-13.md", "---\ntitle: 'Meldung 13'\ndate: 2018-06-13\n---\nDie QSD.\n")
            }),
            ("the layouts garbled", {
                try site.write(BuildCache.folder + "/" + DataLayoutCache.file(site: site.root, output: site.root.appendingPathComponent("public")).lastPathComponent, "dossier")
                try site.write("content/articles/meldung-14.md", "---\ntitle: 'Meldung 14'\ndate: 2018-06-14\n---\nDie QSD in Efrîn, sagt Erdoğan.\n")
            }),
            ("a data file changed by others", {
                try site.write("public/data/mentions.csv", "article\r\n")
                try site.write("content/articles/meldung-15.md", "---\ntitle: 'Meldung 15'\ndate: 2018-06-15\n---\nErdoğan.\n")
            }),
            ("nothing", {}),
        ]
        for (name, edit) in edits {
            try edit()
            try site.expectSameAsAFullBuild(name)
        }
    }

    /// The rows and objects of unchanged articles are taken from the published files: a change
    /// to them the cache cannot see stays (which only shows that they were copied, not made).
    @Test func theUnchangedArticlesPartsAreCopiedFromThePublishedFiles() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        try overwriteUnnoticed(site, "data/mentions.csv", "meldung-02,efrin,Efrîn", with: "meldung-02,efrin,EFRÎN")
        try overwriteUnnoticed(site, "data/articles.csv", "meldung-02,Meldung 2", with: "meldung-02,MELDUNG 2")
        try overwriteUnnoticed(site, "data/archive.json", "\"title\":\"Meldung 2\",", with: "\"title\":\"MELDUNG 2\",")

        try site.write("content/articles/meldung-01.md", "---\ntitle: 'Meldung 1'\ndate: 2018-06-01\n---\nRuhe in Damaskus, sagt Erdoğan. Die QSD auch.\n")
        #expect(site.build().published)
        let mentions = try site.read("public/data/mentions.csv")
        #expect(mentions.contains("meldung-02,efrin,EFRÎN") && mentions.contains("meldung-01,qsd,QSD,"))
        #expect(try site.read("public/data/articles.csv").contains("meldung-02,MELDUNG 2"))
        let archive = try site.read("public/data/archive.json")
        #expect(archive.contains("\"title\":\"MELDUNG 2\","))
        let json = try JSONSerialization.jsonObject(with: Data(archive.utf8)) as? [String: Any]
        let articles = try #require(json?["articles"] as? [[String: Any]])
        let edited = try #require(articles.first { $0["id"] as? String == "meldung-01" })
        #expect((edited["mentions"] as? [[String: Any]])?.contains { $0["entity"] as? String == "qsd" } == true, "the edited article's anew")
    }

    /// entities.csv is made again only when a count changes, notes.jsonld only when a note or
    /// the article it comments on does: a change to them the cache cannot see shows which were.
    @Test func entitiesAndNotesAreMadeOnlyWhenWhatTheyTellChanges() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        try overwriteUnnoticed(site, "data/entities.csv", "damaskus,place,Damaskus", with: "damaskus,place,DAMASKUS")
        try overwriteUnnoticed(site, "data/notes.jsonld", "Redaktion", with: "REDAKTION")

        try site.write("content/articles/meldung-02.md", "---\ntitle: 'Ganz neuer Titel'\ndate: 2018-06-02\n---\nDie QSD in Efrîn.\n")
        #expect(site.build().published)
        #expect(try site.read("public/data/entities.csv").contains("DAMASKUS") && site.read("public/data/notes.jsonld").contains("REDAKTION"))

        try site.write("content/articles/meldung-02.md", "---\ntitle: 'Ganz neuer Titel'\ndate: 2018-06-02\n---\nDie QSD in Damaskus.\n")
        #expect(site.build().published)
        #expect(try !site.read("public/data/entities.csv").contains("DAMASKUS") && site.read("public/data/notes.jsonld").contains("REDAKTION"))

        try site.write("content/notes/kommentar.md", try site.read("content/notes/kommentar.md") + "\nMehr dazu.\n")
        #expect(site.build().published)
        #expect(try !site.read("public/data/notes.jsonld").contains("REDAKTION"))
    }

    @Test func dataFilesWhoseBytesStayAreLeftUntouched() throws {
        let site = try site()
        defer { site.delete() }
        _ = site.build()
        let first = identities(site)
        #expect(first.values.allSatisfy { $0 != nil })

        // A title as long (the mentions keep their offsets): mentions.csv tells nothing of it,
        // entities.csv and notes.jsonld neither.
        try site.write("content/articles/meldung-02.md", "---\ntitle: 'Meldung X'\ndate: 2018-06-02\n---\nDie QSD in Efrîn.\n")
        try site.expectSameAsAFullBuild("a title")
        let second = identities(site)
        for path in ["data/mentions.csv", "data/entities.csv", "data/notes.jsonld"] { #expect(second[path] == first[path], "\(path)") }
        for path in ["data/articles.csv", "data/archive.json"] { #expect(second[path] != first[path], "\(path)") }

        // A mention: entities.csv counts it; notes.jsonld stays.
        try site.write("content/articles/meldung-02.md", "---\ntitle: 'Meldung X'\ndate: 2018-06-02\n---\nDie QSD in Efrîn und Damaskus.\n")
        try site.expectSameAsAFullBuild("a mention")
        let third = identities(site)
        #expect(third["data/notes.jsonld"] == first["data/notes.jsonld"])
        for path in ["data/mentions.csv", "data/entities.csv", "data/articles.csv", "data/archive.json"] {
            #expect(third[path] != second[path], "\(path)")
        }

        // The text alone, its mentions where they were: no data file changes.
        try site.write("content/articles/meldung-02.md", "---\ntitle: 'Meldung X'\ndate: 2018-06-02\n---\nDie QSD in Efrîn und Damaskus. Mehr Text.\n")
        try site.expectSameAsAFullBuild("the text alone")
        #expect(identities(site) == third)
    }
}

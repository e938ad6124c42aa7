import Foundation
import Testing
@testable import DossierCore

/// The data files of one part per article: made from the last build's file, they copy the
/// parts of unchanged articles and write the others, and come out as the file made whole.
@Suite struct PartedFileTests {
    /// The fixture with articles more: titles a CSV quotes or prefixes, one without mentions.
    private static let files: [String: String] = {
        var files = Fixture.files
        files["content/articles/aa-alt.md"] = "---\ntitle: Alt\n---\nIn Efrîn.\n"
        for number in 1...12 {
            let title = number == 4 ? "\"Lage\", sagt man" : number == 7 ? "=Summe(1)" : "Meldung \(number)"
            let text = number == 9 ? "Nichts Neues.\n" : number.isMultiple(of: 2) ? "Die QSD in Efrîn.\n" : "Ruhe in Damaskus, sagt Erdoğan.\n"
            files["content/articles/meldung-\(number).md"] = "---\ntitle: '\(title)'\ndate: 2018-06-\(10 + number)\n---\n\(text)"
        }
        return files
    }()

    /// The first id goes, ids before and after all others come, an article gains a mention and
    /// one a title that needs quotes.
    private static let edits: (adding: [String: String], removing: [String]) = (
        ["content/articles/aaa-neu.md": "---\ntitle: Neu, vorne\n---\nIn Damaskus.\n",
         "content/articles/zzz-neu.md": "---\ntitle: Neu hinten\n---\nDie QSD.\n",
         "content/articles/meldung-3.md": "---\ntitle: Meldung 3\ndate: 2018-06-13\n---\nRuhe in Damaskus, sagt Erdoğan. Die QSD auch.\n",
         "content/articles/meldung-5.md": "---\ntitle: 'Meldung \"5\", neu'\ndate: 2018-06-15\n---\nRuhe in Damaskus, sagt Erdoğan.\n"],
        ["content/articles/aa-alt.md"])

    private func archive(adding: [String: String] = [:], removing: [String] = []) throws -> Archive {
        var files = Self.files.merging(adding) { $1 }
        for path in removing { files[path] = nil }
        let site = try TestSite(files)
        defer { site.delete() }
        let (archive, diagnostics, _, _, _) = SiteBuilder(site: site.root).archive()
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        return archive
    }

    /// The file made, as written to disk (the old file's parts copied from it there), and
    /// where its parts lie.
    private func make<File: PartedFile>(_ file: File, _ archive: Archive, previous: (bytes: [UInt8], layout: DataLayout)? = nil,
                                        sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        -> (bytes: Data, parts: [DataLayout.Part], copied: Int) {
        let folder = try TestSite()
        defer { folder.delete() }
        let old = folder.root.appendingPathComponent("old").path
        let opened = try previous.map { previous in
            try Data(previous.bytes).write(to: URL(fileURLWithPath: old))
            return (file: try #require(FileCalls.identity(old).flatMap { OpenFile(path: old, identity: $0) }), layout: previous.layout)
        }
        let made = file.make(archive, order: DataExport.articlesByID(archive), fingerprints: DataFiles.articleFingerprints(archive),
                             previous: opened)
        let new = folder.root.appendingPathComponent("new")
        try FileCalls.create(new.path, holding: .spliced(made.bytes))
        let written = try Data(contentsOf: new)
        #expect(made.bytes.materialized() == written, "in memory as on disk", sourceLocation: sourceLocation)
        let copied = made.bytes.pieces.filter { if case .copied = $0 { true } else { false } }.count
        return (written, made.parts, copied)
    }

    /// The file of each archive, made whole, and the second made from the first.
    private func expectSpliced<File: PartedFile>(_ file: (Archive) -> File, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let before = try archive()
        let after = try archive(adding: Self.edits.adding, removing: Self.edits.removing)
        let old = try make(file(before), before)
        let fresh = try make(file(after), after)
        #expect(old.copied == 0 && fresh.copied == 0, sourceLocation: sourceLocation)
        let layout = DataLayout(fingerprint: 0, parts: old.parts)
        let spliced = try make(file(after), after, previous: (Array(old.bytes), layout))
        #expect(spliced.bytes == fresh.bytes, "\(file(after).path) as made whole", sourceLocation: sourceLocation)
        #expect(spliced.parts == fresh.parts, sourceLocation: sourceLocation)
        // The unchanged parts between two written anew are copied in one range.
        let oldArticles = Set(old.parts.map(\.article))
        let written = fresh.parts.filter { !oldArticles.contains($0.article) }.count
        #expect(spliced.copied > 0 && spliced.copied <= written + 1, "\(spliced.copied) ranges copied", sourceLocation: sourceLocation)

        // Proof of the copy: a part changed in the old file (an unchanged article's) is copied
        // as it stands; an edited article's is written anew.
        let fingerprints = DataFiles.articleFingerprints(after)
        let unchanged = try #require(after.articleIndex["offensive"].map { fingerprints[$0] })
        let edited = try #require(after.articleIndex["meldung-3"].map { fingerprints[$0] })
        let oldPart = try #require(old.parts.first { $0.article == unchanged }?.range)
        var tampered = Array(old.bytes)
        tampered.replaceSubrange(oldPart, with: repeatElement(UInt8(ascii: "X"), count: oldPart.count))
        let copied = try make(file(after), after, previous: (tampered, layout))
        let newPart = try #require(copied.parts.first { $0.article == unchanged }?.range)
        #expect(copied.bytes[newPart].allSatisfy { $0 == UInt8(ascii: "X") }, "copied from the old file", sourceLocation: sourceLocation)
        let editedPart = try #require(fresh.parts.first { $0.article == edited }?.range)
        #expect(copied.bytes[editedPart] == fresh.bytes[editedPart], "written anew", sourceLocation: sourceLocation)

        // A layout that does not fit the old file is not followed past its end.
        let cut = try make(file(after), after, previous: (Array(old.bytes.prefix(old.bytes.count / 2)), layout))
        #expect(cut.bytes == fresh.bytes, sourceLocation: sourceLocation)
    }

    @Test func mentionsCSVCopiesTheUnchangedArticlesRows() throws {
        try expectSpliced { _ in DataExport.MentionsCSV() }
    }

    @Test func articlesCSVCopiesTheUnchangedArticlesRows() throws {
        try expectSpliced { DataExport.ArticlesCSV(language: $0.config.language) }
    }

    @Test func archiveJSONCopiesTheUnchangedArticlesObjects() throws {
        try expectSpliced { DataExport.ArchiveJSON($0) }
    }

    @Test func aFileWithoutArticlesIsItsHeadAndTail() throws {
        let archive = try archive(removing: Self.files.keys.filter { $0.hasPrefix("content/articles/") || $0.hasPrefix("content/notes/") })
        #expect(try make(DataExport.MentionsCSV(), archive).bytes == Data("article,entity,text,start,end,line\r\n".utf8))
        let json = try JSONSerialization.jsonObject(with: make(DataExport.ArchiveJSON(archive), archive).bytes) as? [String: Any]
        #expect((json?["articles"] as? [Any])?.isEmpty == true)
    }

    @Test func theLayoutCacheReadsBackWhatItWrote() throws {
        let site = try TestSite()
        defer { site.delete() }
        let output = site.root.appendingPathComponent("public")
        let layouts = ["data/archive.json": DataLayout(fingerprint: .max, parts: [.init(article: 1, range: 14..<200), .init(article: .max, range: 201..<201)]),
                       "data/mentions.csv": DataLayout(fingerprint: 0, parts: [])]
        DataLayoutCache.save(layouts, site: site.root, output: output)
        #expect(DataLayoutCache.load(site: site.root, output: output) == layouts)
        #expect(DataLayoutCache.load(site: site.root, output: site.root.appendingPathComponent("elsewhere")).isEmpty)
        let file = DataLayoutCache.file(site: site.root, output: output)
        let data = try Data(contentsOf: file)
        try data.dropLast().write(to: file)
        #expect(DataLayoutCache.load(site: site.root, output: output).isEmpty, "cut short: none")
        try (data + Data([0])).write(to: file)
        #expect(DataLayoutCache.load(site: site.root, output: output).isEmpty, "bytes after the end: none")
    }
}

import Foundation
import Testing
@testable import DossierCore

@Suite struct ContentLoaderTests {
    @Test func loadsEveryKindOfContent() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        try site.write("content/assets/img/logo.svg", "<svg/>")
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(content.config.title == "Testarchiv")
        #expect(content.articles.map(\.id).sorted() == ["agentur", "offensive"])
        #expect(content.articles.first { $0.id == "agentur" }?.title == "Efrin unter Beschuss")
        #expect(content.entities.map(\.ref.description).sorted() == [
            "actors/erdogan", "actors/hasim-mihemed", "actors/qsd", "places/damaskus", "places/dera-zor", "places/efrin",
        ])
        #expect(content.entities.first { $0.ref.id == "dera-zor" }?.coordinate == Coordinate(latitude: 35.33, longitude: 40.14))
        #expect(content.notes.first?.articleID == "offensive")
        #expect(content.assets.map(\.path) == ["img/logo.svg"])
    }

    @Test func actorsAndPlacesAreHandedOnBeforeTheArticlesAreRead() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        try site.write("content/articles/kaputt.md", "---\ntitle: [\n---\nText\n")
        try site.write("content/places/kaputt.md", "---\nname: [\n---\n")
        let plain = ContentLoader(site: site.root).load()
        let (content, diagnostics, started, _) = ContentLoader(site: site.root).load { entities, config in
            (entities.map(\.ref.description).sorted(), config.title)
        }
        let handedOn = try #require(started)
        #expect(handedOn.0 == content.entities.map(\.ref.description).sorted() && handedOn.0.count == 6)
        #expect(handedOn.1 == "Testarchiv")
        #expect(content.articles.map(\.id).sorted() == plain.content.articles.map(\.id).sorted())
        #expect(diagnostics.map(\.description) == plain.diagnostics.map(\.description))
        let kaputt = diagnostics.map(\.location.path).filter { $0.hasSuffix("kaputt.md") }
        #expect(kaputt == ["content/articles/kaputt.md", "content/places/kaputt.md"], "the articles' problems come first, as before")
    }

    @Test func duplicateIdsNameBothFiles() throws {
        let site = try TestSite([
            "content/actors/efrin.md": "---\nname: A\n---\n",
            "content/actors/Efrîn.md": "---\nname: B\n---\n",
        ])
        defer { site.delete() }
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(content.entities.count == 1)
        let error = try #require(diagnostics.first { $0.isError })
        #expect(error.message.contains("content/actors/Efrîn.md") && error.message.contains("content/actors/efrin.md"))
        #expect(error.message.contains("'efrin'"))
    }

    @Test func sameIdInDifferentKindsIsFine() throws {
        let site = try TestSite([
            "content/actors/aleppo.md": "---\nname: Aleppo-Gruppe\n---\n",
            "content/places/aleppo.md": "---\nname: Aleppo\n---\n",
        ])
        defer { site.delete() }
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(diagnostics.isEmpty)
        #expect(content.entities.count == 2)
    }

    @Test func invalidUTF8NamesTheFileAndByteOffset() throws {
        let site = try TestSite()
        defer { site.delete() }
        try site.write("content/articles/kaputt.txt", Data([0x54, 0x69, 0x74, 0x65, 0x6C, 0x0A, 0xC3, 0x28]))
        let (_, diagnostics) = ContentLoader(site: site.root).load()
        let error = try #require(diagnostics.first)
        #expect(error.location == SourceLocation(path: "content/articles/kaputt.txt", line: 2, column: 1))
        #expect(error.message.contains("byte offset 6"))
    }

    @Test func reportsEveryProblemNotOnlyTheFirst() throws {
        let site = try TestSite([
            "content/articles/a.md": "---\ndate: 2018-01-01\n---\nKein Titel.\n",
            "content/articles/b.md": "---\ntitle: [kaputt\n---\n",
            "content/actors/c.md": "---\nkind: person\n---\n",
            "content/notes/d.md": "---\ntitle: Notiz\nfarbe: rot\n---\n",
        ])
        defer { site.delete() }
        let (_, diagnostics) = ContentLoader(site: site.root).load()
        #expect(Set(diagnostics.map(\.location.path)) == [
            "content/articles/a.md", "content/articles/b.md", "content/actors/c.md", "content/notes/d.md",
        ])
        #expect(diagnostics.filter(\.isError).count == 3)
        #expect(diagnostics.filter { $0.severity == .warning }.count == 1)
    }

    @Test func aByteOrderMarkIsDropped() throws {
        let site = try TestSite(["content/articles/bom.md": "\u{FEFF}---\ntitle: Mit BOM\n---\nText.\n"])
        defer { site.delete() }
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(diagnostics.isEmpty)
        #expect(content.articles.first?.title == "Mit BOM")
    }

    @Test func aSiteWithoutContentIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, diagnostics) = ContentLoader(site: folder).load()
        #expect(diagnostics.first?.isError == true)
        #expect(diagnostics.first?.message.contains("no content/ folder") == true)
    }

    @Test func siteConfigurationIsRead() throws {
        let site = try TestSite(["content/site.yml": "title: X\nlanguage: en\npretty_urls: true\nunsafe_html: yes\nbase_url: https://x.org/\nfarbe: blau\n"])
        defer { site.delete() }
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(content.config.language == "en")
        #expect(content.config.prettyURLs && content.config.unsafeHTML)
        #expect(content.config.baseURL == "https://x.org/")
        #expect(diagnostics.count == 1 && diagnostics[0].message.contains("'farbe'") && diagnostics[0].location.line == 6)
    }
}

@Suite struct ContentOutsideTheSiteTests {
    @Test func aSymbolicLinkOutOfTheSiteIsNotRead() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-outside-\(UUID().uuidString).md")
        try Data("---\ntitle: Geheim\n---\nVon außerhalb.\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content/articles/fremd.md"),
                                                   withDestinationURL: outside)
        // A link that stays inside the site is fine.
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content/articles/kopie.md"),
                                                   withDestinationURL: site.root.appendingPathComponent("content/articles/offensive.md"))
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(!content.articles.contains { $0.title == "Geheim" })
        #expect(content.articles.contains { $0.id == "kopie" })
        let error = try #require(diagnostics.first { $0.isError })
        #expect(error.location.path == "content/articles/fremd.md")
        #expect(error.message.contains("outside the site folder"))
    }

    @Test func siteYmlLinkedFromOutsideIsNotRead() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-outside-\(UUID().uuidString).yml")
        try Data("title: Fremd\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try site.remove("content/site.yml")
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content/site.yml"), withDestinationURL: outside)
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(content.config.title == "Dossier")
        #expect(diagnostics.map(\.description) == ["content/site.yml: error: not read: a symbolic link to a file outside the site folder"])
    }

    @Test func linkedFoldersAreNotFollowedAndOneOutOfTheSiteIsAnError() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("---\ntitle: Fremd\n---\nText.\n".utf8).write(to: outside.appendingPathComponent("fremd.md"))
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content/articles/fremd"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content/assets"),
                                                   withDestinationURL: site.root.appendingPathComponent("content/notes"))
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content/articles/innen"),
                                                   withDestinationURL: site.root.appendingPathComponent("content/notes"))
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(content.articles.count == 2)
        #expect(content.assets.map(\.path) == ["kommentar.md"], "a linked folder inside the site is read when it is one the loader reads")
        #expect(diagnostics.sortedByLocation().map(\.description) == [
            "content/articles/fremd: error: not read: a symbolic link to a folder outside the site folder",
            "content/articles/innen: warning: not read: symbolic links to folders are not followed",
        ])
    }
}

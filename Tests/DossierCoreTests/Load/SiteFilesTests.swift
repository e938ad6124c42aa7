import Foundation
import Testing
@testable import DossierCore

/// The files of a site are listed with `readdir` and read with `open`: what Foundation's
/// enumerator found, and no file outside the site, even one swapped in after the listing.
@Suite struct SiteFilesTests {
    @Test func theListingIsWhatFoundationsEnumeratorFinds() throws {
        let site = try TestSite([
            "content/articles/b.md": "b", "content/articles/a/c.md": "c", "content/articles/a/tief/d.txt": "d",
            "content/articles/.versteckt.md": "x", "content/articles/.ordner/e.md": "x", "content/articles/a/.f.md": "x",
            "content/articles/Ärger Groß.MD": "x", "content/articles/z.bild.png": "x",
        ])
        defer { site.delete() }
        let folder = site.root.appendingPathComponent("content/articles")
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("kopie.md"), withDestinationURL: folder.appendingPathComponent("b.md"))
        var diagnostics: [Diagnostic] = []
        let listed = SiteFiles(root: site.root, stage: .load).list(folder, displayedAs: "content/articles", &diagnostics)

        let base = folder.resolvingSymlinksInPath()
        let enumerator = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey],
                                                                     options: [.skipsHiddenFiles]))
        var expected: [String] = []
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            if values.isRegularFile == true || values.isSymbolicLink == true {
                expected.append("content/articles" + url.standardizedFileURL.path.dropFirst(base.path.count))
            }
        }
        #expect(diagnostics.isEmpty)
        #expect(listed.map(\.path) == expected.sorted())
        #expect(listed.map(\.name) == listed.map { URL(fileURLWithPath: $0.path).lastPathComponent })
        #expect(listed.filter(\.isSymbolicLink).map(\.name) == ["kopie.md"])
    }

    @Test func aFileSwappedForALinkOutOfTheSiteAfterTheListingIsNotRead() throws {
        let site = try TestSite(["content/articles/b.md": "---\ntitle: B\n---\n"])
        defer { site.delete() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-outside-\(UUID().uuidString).md")
        try Data("---\ntitle: Geheim\n---\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        let files = SiteFiles(root: site.root, stage: .load)
        var diagnostics: [Diagnostic] = []
        let file = try #require(files.list(site.root.appendingPathComponent("content/articles"), displayedAs: "content/articles", &diagnostics).first)
        #expect(files.readText(file, &diagnostics)?.text == "---\ntitle: B\n---\n")

        try site.remove("content/articles/b.md")
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content/articles/b.md"), withDestinationURL: outside)
        #expect(files.readText(file, &diagnostics) == nil)
        #expect(diagnostics.map(\.description) == ["content/articles/b.md: error: not read: a symbolic link to a file outside the site folder"])
    }

    @Test func aFileTooLargeOrNotUTF8IsAnErrorWhenReadFromTheListing() throws {
        let site = try TestSite(["content/articles/gross.md": String(repeating: "Text. ", count: 50_000)])
        defer { site.delete() }
        try site.write("content/articles/kaputt.md", Data(Array("---\ntitle: Ä\n---\nab".utf8) + [0xFF]))
        let files = SiteFiles(root: site.root, stage: .load, maximumFileSize: 100_000)
        var diagnostics: [Diagnostic] = []
        for file in files.list(site.root.appendingPathComponent("content/articles"), displayedAs: "content/articles", &diagnostics) {
            #expect(files.readText(file, &diagnostics) == nil)
        }
        #expect(diagnostics.map(\.description) == [
            "content/articles/gross.md: error: not read: the file has 0.3 MB, more than the 0.1 MB a file may have; split it",
            "content/articles/kaputt.md:4:3: error: not valid UTF-8: invalid byte sequence at byte offset 20",
        ])
    }

    @Test(arguments: ["qsd-dera-zor.md", "a.b.md", "Ärger.MD", "x.", "foo", "foo.tar.gz", "foo-1.txt", "a..md", "-.md", "UPPER.md",
                      "mit leerzeichen.md", "über.md", "x.m-d", "2016.md", "a.MD"])
    func fileNamesSplitAsURLSplitsThem(name: String) {
        let url = URL(fileURLWithPath: name)
        #expect(FileName(name).stem == url.deletingPathExtension().lastPathComponent)
        #expect(FileName(name).pathExtension == url.pathExtension)
    }
}

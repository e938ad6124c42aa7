import Foundation
import Testing
@testable import DossierCore

@Suite struct SiteFilesTests {
    @Test func listsFilesInFoldersBelowSortedAndPassesOverHiddenOnes() throws {
        let site = try TestSite(["content/articles/b.md": "b", "content/articles/2018/05/a.md": "a",
                                 "content/articles/.versteckt.md": "x", "content/articles/.entwurf/c.md": "c"])
        defer { site.delete() }
        let files = SiteFiles(root: site.root, stage: .load)
        var diagnostics: [Diagnostic] = []
        let found = files.files(in: site.root.appendingPathComponent("content/articles"), displayedAs: "content/articles", &diagnostics)
        #expect(found.map(\.path) == ["content/articles/2018/05/a.md", "content/articles/b.md"])
        #expect(found.map(\.url.lastPathComponent) == ["a.md", "b.md"])
        #expect(diagnostics.isEmpty)
    }

    @Test func readsAFileWhole() throws {
        let text = "---\ntitle: Lang\n---\n" + String(repeating: "Ein Satz über Efrîn. ", count: 10_000)
        let site = try TestSite(["content/articles/lang.md": text])
        defer { site.delete() }
        var diagnostics: [Diagnostic] = []
        let file = SiteFiles(root: site.root, stage: .load)
            .readText(site.root.appendingPathComponent("content/articles/lang.md"), path: "lang.md", &diagnostics)
        #expect(file?.text == text)
        #expect(diagnostics.isEmpty)
    }
}

@Suite struct SourceTextTests {
    @Test func linesEndAtLineFeedsCarriageReturnsAndBoth() {
        let file = SourceText(path: "a.md", text: "eins\r\nzwei\rdrei\nvier\r\n\r\nsechs")
        #expect(file.lineCount == 6)
        #expect((1...6).map { file.slice(file.lineRange($0)) } == ["eins", "zwei", "drei", "vier", "", "sechs"])
        #expect(file.location(ofOffset: 11).line == 3)
    }

    @Test func invalidUTF8IsAnErrorWhereItStands() throws {
        let bytes = Array("Zeile eins\nZwei: ".utf8) + [0xC3, 0x28] + Array(" Rest".utf8)
        #expect(throws: SourceText.InvalidUTF8.self) { try SourceText(path: "a.md", utf8: bytes) }
        do {
            _ = try SourceText(path: "a.md", utf8: bytes)
        } catch {
            #expect(error.location == SourceLocation(path: "a.md", line: 2, column: 7))
            #expect(error.byteOffset == 17)
        }
    }

    @Test func aByteOrderMarkIsDropped() throws {
        let file = try SourceText(path: "a.md", utf8: [0xEF, 0xBB, 0xBF] + Array("Text".utf8))
        #expect(file.text == "Text")
        #expect(file.scalars.count == 4)
    }

    @Test(arguments: ["Grüße aus Wien", "„Efrîn“ – Şam", "Ein Bild 📷 aus Efrîn", ""])
    func scalarsAreTheTextsWhateverTheyNeedToBeStored(text: String) {
        let file = SourceText(path: "a.md", text: text)
        #expect(Array(file.scalars) == Array(text.unicodeScalars))
        #expect(file.slice(0..<file.scalars.count) == text)
    }
}

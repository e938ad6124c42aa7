import Foundation
import Testing
@testable import DossierCore

@Suite struct PlainTextDocumentTests {
    /// The seed article of the demo archive, as the repository keeps it.
    static func seed() throws -> SourceText {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../content/articles/qsd-dera-zor.txt").standardizedFileURL
        return SourceText(path: "content/articles/qsd-dera-zor.txt", text: try String(contentsOf: url, encoding: .utf8))
    }

    @Test func seedArticleHasHeadlineSubheadingsAndParagraphs() throws {
        let file = try Self.seed()
        let document = try #require(PlainTextDocument.parse(file))
        #expect(file.slice(document.headline) == "QSD werden sich in Dêra Zor mit irakischer Armee koordinieren")
        let subheadings = document.blocks.filter { $0.kind == .subheading }.map { file.slice($0.lines[0]) }
        #expect(subheadings == [
            "Stopp der Offensive stärkte den IS",
            "Die Offensive wird mit der Koalition und der irakischen Armee koordiniert werden",
        ])
        let paragraphs = document.blocks.filter { $0.kind == .paragraph }
        #expect(paragraphs.count == 7)
        #expect(file.slice(paragraphs[0].lines[0]).hasPrefix("Für die Kommandantur der Demokratischen Kräfte Syriens"))
        // The two subheadings each stand before their own paragraphs.
        let kinds = document.blocks.map(\.kind)
        #expect(kinds == [.paragraph, .paragraph, .paragraph, .subheading, .paragraph, .paragraph,
                          .subheading, .paragraph, .paragraph])
    }

    @Test func aShortLineEndingASentenceIsAParagraph() throws {
        let file = SourceText(path: "a.txt", text: "Titel\n\nEin kurzer Satz.\n\nNoch einer.\n")
        let document = try #require(PlainTextDocument.parse(file))
        #expect(document.blocks.map(\.kind) == [.paragraph, .paragraph])
    }

    @Test func aLastShortLineIsNotASubheading() throws {
        let file = SourceText(path: "a.txt", text: "Titel\n\nText.\n\nOhne Punkt am Ende\n")
        let document = try #require(PlainTextDocument.parse(file))
        #expect(document.blocks.map(\.kind) == [.paragraph, .paragraph])
    }

    @Test func linesOfAParagraphStayTogetherAndCRLFIsALineEnd() throws {
        let file = SourceText(path: "a.txt", text: "  Titel  \r\n\r\nZeile eins\r\nZeile zwei.\r\n")
        let document = try #require(PlainTextDocument.parse(file))
        #expect(file.slice(document.headline) == "Titel")
        #expect(document.blocks.count == 1)
        #expect(document.blocks[0].lines.map(file.slice) == ["Zeile eins", "Zeile zwei."])
    }

    @Test func anEmptyTextHasNoDocument() {
        #expect(PlainTextDocument.parse(SourceText(path: "a.txt", text: " \n\n  \n")) == nil)
    }
}

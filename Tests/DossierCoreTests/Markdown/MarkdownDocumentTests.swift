import Testing
@testable import DossierCore

@Suite struct MarkdownDocumentTests {
    private func document(_ markdown: String) -> (MarkdownDocument, SourceText) {
        let file = SourceText(path: "a.md", text: markdown)
        return (MarkdownDocument(MarkdownSource(file: file, range: 0..<file.scalars.count, firstLine: 1)), file)
    }

    @Test func rawHTMLIsOmittedUnlessUnsafe() {
        let markdown = "Text <script>alert(1)</script> und [x](javascript:alert(1))\n\n<div onclick=\"x()\">roh</div>\n"
        let (safe, _) = document(markdown)
        let html = safe.renderHTML()
        #expect(!html.contains("<script"))
        #expect(!html.contains("onclick"))
        #expect(!html.contains("javascript:"))
        let (unsafe, _) = document(markdown)
        #expect(unsafe.renderHTML(unsafe: true).contains("<div onclick"))
    }

    @Test func linkableTextLeavesOutCodeLinksAndHTML() {
        let (doc, _) = document("# Kopf *Efrîn*\n\nA `code` [link](x) <b>html</b> Ende\n")
        let blocks = doc.inlineText().blocks
        #expect(blocks.count == 2)
        func runs(_ block: TextBlock) -> [String] {
            block.runs.map { String(scalars: block.text[$0.range]) }
        }
        #expect(runs(blocks[0]) == ["Kopf ", "Efrîn"])
        #expect(runs(blocks[1]) == ["A ", " ", " ", "html", " Ende"])
        #expect(String(scalars: blocks[1].text) == "A code link html Ende")
    }

    @Test func textIsAlignedWithTheSourceAcrossBlockQuotesAndIndentation() {
        let (doc, file) = document("> Zeile eins\n> Zeile zwei\n\n- Punkt\n  weiter\n")
        for block in doc.inlineText().blocks {
            for run in block.runs {
                let text = block.text[run.range]
                for (scalar, offset) in zip(text, run.offsets) where scalar != " " {
                    #expect(file.scalars[offset] == scalar)
                }
            }
        }
    }

    /// Text nodes that stand in the file as they are take their offsets from where they
    /// start: scalars of one to four bytes before a name, at every position of an eight-byte
    /// word, still give the name's offsets, and a mark on it wraps it.
    @Test func offsetsOfVerbatimTextCountScalarsOfEveryLength() {
        for prefix in ["", "ä", "a€", "ab😀", "äöü€😀x", "Straße in Dêra 😀 ", "0123456ä"] {
            let text = prefix + "Dêra Zor und mehr."
            let (doc, file) = document(text + "\n")
            let start = prefix.unicodeScalars.count
            let block = doc.inlineText().blocks[0]
            #expect(block.runs.count == 1)
            #expect(block.offsets == Array(0..<text.unicodeScalars.count), "\(prefix)")
            #expect(block.runs[0].offsets == block.offsets)
            #expect(String(scalars: file.scalars[start..<(start + 8)]) == "Dêra Zor")
            let html = doc.renderHTML(marks: [InlineMark(range: start..<(start + 8), open: "<a>", close: "</a>")])
            #expect(html == "<p>\(prefix)<a>Dêra Zor</a> und mehr.</p>\n", "\(prefix)")
        }
    }

    @Test func marksWrapTheirSpanAndMayReplaceIt() {
        let (doc, _) = document("Die QSD und die YPG.\n")
        let html = doc.renderHTML(marks: [
            InlineMark(range: 4..<7, open: "<a href=\"q\">", close: "</a>"),
            InlineMark(range: 16..<19, open: "<a href=\"y\">", close: "</a>", replacement: "<Volk>"),
        ])
        #expect(html == "<p>Die <a href=\"q\">QSD</a> und die <a href=\"y\">&lt;Volk&gt;</a>.</p>\n")
    }

    @Test func aMarkMaySpanALineBreak() {
        let (doc, _) = document("Die Demokratischen\nKräfte Syriens.\n")
        let html = doc.renderHTML(marks: [InlineMark(range: 4..<33, open: "<a>", close: "</a>")])
        #expect(html == "<p>Die <a>Demokratischen\nKräfte Syriens</a>.</p>\n")
    }

    @Test func plainTextBecomesHeadingsAndParagraphsWithEscapedText() throws {
        let file = SourceText(path: "a.txt", text: "Titel\n\nKämpfer*innen <b>\nZeile\n\nZwischentitel\n\nSchluss.\n")
        let plain = try #require(PlainTextDocument.parse(file))
        let html = MarkdownDocument(plain, of: file).renderHTML()
        #expect(html == "<p>Kämpfer*innen &lt;b&gt;\nZeile</p>\n<h2>Zwischentitel</h2>\n<p>Schluss.</p>\n")
    }

    /// Found by fuzzing: a NUL in a plain-text article ended its line's text there, for the
    /// linker and on the page, as libcmark reads its text as a C string.
    @Test func aNulInPlainTextKeepsTheRestOfTheLine() throws {
        let file = SourceText(path: "a.txt", text: "Titel\n\nvor\u{0}nach Efrîn\n")
        let plain = try #require(PlainTextDocument.parse(file))
        let document = MarkdownDocument(plain, of: file)
        let block = try #require(document.inlineText().blocks.first)
        #expect(Array(block.text) == Array("vor\u{FFFD}nach Efrîn".unicodeScalars))
        #expect(block.offsets == Array(7..<21))
        #expect(document.renderHTML() == "<p>vor\u{FFFD}nach Efrîn</p>\n")
    }

    @Test func plainTextHasALineBreakBeforeEveryBlockOnceTextCameBefore() {
        let block = { (text: String) in TextBlock(text: Array(text.unicodeScalars), offsets: [], runs: []) }
        #expect(InlineText(blocks: [block(""), block("a"), block(""), block("ä😀")]).plainText == "a\n\nä😀")
        #expect(InlineText(blocks: []).plainText == "")
    }
}

// A plain-text article as agencies deliver it: the parser, the text the linker reads from it,
// and `dossier import`, whose Markdown must show the same text again.
@testable import DossierCore
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = SourceText(path: "content/articles/fuzz.txt", text: FuzzInput.text(data, size))
    var diagnostics: [Diagnostic] = []
    let article = ArticleLoader.load(id: "fuzz", file: file, format: .plainText, &diagnostics)
    file.checkLocations(of: diagnostics)
    invariant((article == nil) == diagnostics.hasErrors, "an article \(article == nil ? "left out without" : "loaded despite") an error")

    var splitDiagnostics: [Diagnostic] = []
    guard let split = FrontMatterSplit.split(file, &splitDiagnostics) else { return 0 }
    guard let document = PlainTextDocument.parse(file, from: split.body.lowerBound) else {
        invariant(file.scalars[split.body].allSatisfy(\.isTrimmable), "no document in a text that is not blank")
        return 0
    }
    checkStructure(of: document, in: file, from: split.body.lowerBound)
    if let article {
        guard case .plainText(let loaded) = article.body else { fatalError("a plain-text article with another body") }
        invariant(loaded == document, "the loader parsed another document")
        invariant(article.title == file.slice(document.headline) && article.titleOffsets == Array(document.headline),
                  "the title is not the headline")
    }
    checkLinkerText(of: document, in: file)
    checkImport(of: document, in: file)
    return 0
}

/// The text of each block as the page shows it: its lines joined by spaces, a NUL shown as
/// U+FFFD (as CommonMark has it).
private func text(of block: PlainTextDocument.Block, in file: SourceText) -> String {
    block.lines.map(file.slice).joined(separator: " ").replacing("\u{0}", with: "\u{FFFD}")
}

/// The headline and the blocks' lines are trimmed, non-empty, on one line each, in order, and
/// together hold every character of the text that is not white space or a byte-order mark.
private func checkStructure(of document: PlainTextDocument, in file: SourceText, from start: Int) {
    let ranges = [document.headline] + document.blocks.flatMap(\.lines)
    var covered = start
    for range in ranges {
        invariant(!range.isEmpty && range.lowerBound >= covered && range.upperBound <= file.scalars.count,
                  "line \(range) out of order or bounds (after \(covered))")
        invariant(file.scalars[covered..<range.lowerBound].allSatisfy(\.isTrimmable),
                  "text left out before \(range): \(file.slice(covered..<range.lowerBound).debugDescription)")
        invariant(file.line(ofOffset: range.lowerBound) == file.line(ofOffset: range.upperBound - 1), "\(range) spans lines")
        invariant(!file.scalars[range.lowerBound].properties.isWhitespace && !file.scalars[range.upperBound - 1].properties.isWhitespace,
                  "an untrimmed line \(file.slice(range).debugDescription)")
        covered = range.upperBound
    }
    invariant(file.scalars[covered...].allSatisfy(\.isTrimmable), "text left out at the end")
    for (index, block) in document.blocks.enumerated() {
        let lines = block.lines.map { file.line(ofOffset: $0.lowerBound) }
        invariant(zip(lines, lines.dropFirst()).allSatisfy { $1 == $0 + 1 }, "a block's lines \(lines) are not consecutive")
        if index > 0 {
            let previous = file.line(ofOffset: document.blocks[index - 1].lines.last!.lowerBound)
            invariant(lines[0] > previous + 1, "blocks on lines \(previous) and \(lines[0]) without a blank line between")
        }
        if block.kind == .subheading {
            invariant(block.lines.count == 1 && block.lines[0].count <= PlainTextDocument.subheadingMaximumLength,
                      "a subheading of \(block.lines.count) lines")
            invariant(index < document.blocks.count - 1, "the last block is a subheading")
        }
    }
}

/// What the linker reads: one block per block, its text placed on the file's characters.
private func checkLinkerText(of document: PlainTextDocument, in file: SourceText) {
    let blocks = MarkdownDocument(document, of: file).inlineText().blocks
    invariant(blocks.count == document.blocks.count, "\(blocks.count) text blocks for \(document.blocks.count) blocks")
    for (block, textBlock) in zip(document.blocks, blocks) {
        let expected = text(of: block, in: file)
        invariant(String(scalars: textBlock.text) == expected,
                  "the linker reads \(String(scalars: textBlock.text).debugDescription), not \(expected.debugDescription)")
        invariant(textBlock.offsets.count == textBlock.text.count, "\(textBlock.offsets.count) offsets for \(textBlock.text.count) characters")
        for (scalar, offset) in zip(textBlock.text, textBlock.offsets) where offset >= 0 && scalar != " " && scalar != "\u{FFFD}" {
            invariant(file.scalars[offset] == scalar, "\(scalar.escaped(asASCII: true)) placed on \(file.scalars[offset].escaped(asASCII: true))")
        }
    }
}

/// `dossier import` writes a Markdown article that loads, with the headline as its title and
/// each block's text unchanged.
private func checkImport(of document: PlainTextDocument, in file: SourceText) {
    let markdown = ArticleImporter.markdown(of: document, in: file, metadata: .init())
    let imported = SourceText(path: "content/articles/imported.md", text: markdown)
    var diagnostics: [Diagnostic] = []
    guard let article = ArticleLoader.load(id: "imported", file: imported, format: .markdown, &diagnostics) else {
        fatalError("invariant violated: the imported article does not load: \(diagnostics)\n\(markdown)")
    }
    invariant(article.title == file.slice(document.headline),
              "imported title \(article.title.debugDescription), not \(file.slice(document.headline).debugDescription)")
    let shown = Linker.inlineText(of: article).blocks.map { String(scalars: $0.text) }
    let expected = document.blocks.map { text(of: $0, in: file) }
    invariant(shown == expected, "the imported article shows \(shown), not \(expected)\n\(markdown)")
}

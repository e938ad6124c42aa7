// Anchoring a note's quoted passage in an article: any quote against any text.
//
// Input: the quote, a NUL byte, the article's text (paragraphs separated by blank lines, each
// a block of the text passages are anchored in, as an article's blocks are).
@testable import DossierCore
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let (quoteBytes, articleBytes) = FuzzInput.split(data, size, at: 0)
    guard let articleBytes else { return 0 }
    let quote = FuzzInput.text(quoteBytes)
    let file = SourceText(path: "content/articles/fuzz.txt", text: FuzzInput.text(articleBytes))
    let text = AnchorText(blocks: paragraphs(of: file))

    let result = PassageAnchoring.anchor(quote, in: text)
    check(result, quote: quote, text: text, file: file)
    if let anchor = result.anchor {
        // Anchored again after the passage it was anchored to: as good a place, or the same.
        let again = PassageAnchoring.anchor(quote, in: text, after: anchor.range.upperBound)
        check(again, quote: quote, text: text, file: file)
        invariant(again.anchor?.method == anchor.method && again.anchor?.similarity == anchor.similarity,
                  "anchored \(anchor.method) at first, then \(String(describing: again.anchor?.method))")
    }
    return 0
}

/// The runs of non-blank lines, each a block whose characters are the file's.
private func paragraphs(of file: SourceText) -> [TextBlock] {
    var blocks: [TextBlock] = []
    var start: Int?
    var end = 0
    for line in 1...file.lineCount {
        let range = file.lineRange(line)
        let isBlank = file.scalars[range].allSatisfy(\.isSpace)
        if !isBlank, start == nil { start = range.lowerBound }
        if !isBlank { end = range.upperBound }
        if let first = start, isBlank || line == file.lineCount {
            blocks.append(TextBlock(text: Array(file.scalars[first..<end]), offsets: Array(first..<end), runs: []))
            start = nil
        }
    }
    return blocks
}

private func check(_ result: PassageAnchoring.Result, quote: String, text: AnchorText, file: SourceText) {
    let quoteScalars = Array(quote.unicodeScalars)
    let normalizedQuote = PassageAnchoring.normalize(quoteScalars).scalars
    guard let anchor = result.anchor else {
        invariant(result.candidates == 0, "no anchor among \(result.candidates) candidates")
        // Only the blank lines joining blocks have no place in the file.
        invariant(quoteScalars.allSatisfy { $0 == "\n" } || !isInside(quoteScalars, text.scalars),
                  "a quote that stands in the article as it is is an orphan")
        return
    }
    invariant(result.candidates >= 1, "an anchor among no candidates")
    invariant(!anchor.range.isEmpty && anchor.range.lowerBound >= 0 && anchor.range.upperBound <= file.scalars.count,
              "anchor \(anchor.range) out of the file's \(file.scalars.count)")
    invariant(anchor.prefix.unicodeScalars.count <= PassageAnchor.contextLength
              && anchor.suffix.unicodeScalars.count <= PassageAnchor.contextLength, "context longer than \(PassageAnchor.contextLength)")
    invariant((PassageAnchoring.minimumSimilarity...1).contains(anchor.similarity), "similarity \(anchor.similarity)")
    let normalizedExact = PassageAnchoring.normalize(Array(anchor.exact.unicodeScalars)).scalars
    switch anchor.method {
    case .exact:
        invariant(anchor.exact == quote && anchor.similarity == 1, "an exact anchor on \(anchor.exact.debugDescription)")
    case .normalized:
        invariant(isInside(normalizedQuote, normalizedExact) && anchor.similarity == 1,
                  "a normalised anchor on \(anchor.exact.debugDescription)")
        invariant(!isInside(quoteScalars, text.scalars), "a normalised anchor for a quote that stands as it is")
    case .fuzzy:
        invariant(anchor.similarity < 1, "a fuzzy anchor as good as an exact one")
        invariant(!isInside(normalizedQuote, PassageAnchoring.normalize(text.scalars).scalars),
                  "a fuzzy anchor for a quote that stands normalised")
    }
}

private func isInside(_ needle: [Unicode.Scalar], _ haystack: [Unicode.Scalar]) -> Bool {
    guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
    return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
}

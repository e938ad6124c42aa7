import Testing
@testable import DossierCore

/// Anchoring a quoted passage, and keeping it anchored when the article is edited.
@Suite struct PassageAnchoringTests {
    static let article = """
        Die QSD melden Fortschritte. Aufgrund der Angriffe des türkischen Staates auf Efrîn war die Operation gegen \
        den Islamischen Staat in Dêra Zor gestoppt worden. Der Koordinator sprach mit der Agentur „ANHA“.
        """
    static let quote = "Aufgrund der Angriffe des türkischen Staates auf Efrîn war die Operation gegen den Islamischen Staat in Dêra Zor gestoppt worden."

    /// A one-paragraph article's anchor text, offsets as in the file.
    private func text(_ body: String) -> (AnchorText, SourceText) {
        let file = SourceText(path: "a.txt", text: body)
        let scalars = Array(file.scalars)
        return (AnchorText(blocks: [TextBlock(text: scalars, offsets: Array(0..<scalars.count), runs: [])]), file)
    }

    private func anchored(_ quote: String, in body: String, after: Int? = nil) -> (PassageAnchoring.Result, SourceText) {
        let (text, file) = text(body)
        return (PassageAnchoring.anchor(quote, in: text, after: after), file)
    }

    @Test func exactMatchComesFirst() throws {
        let (result, file) = anchored(Self.quote, in: Self.article)
        let anchor = try #require(result.anchor)
        #expect(anchor.method == .exact)
        #expect(file.slice(anchor.range) == Self.quote)
        #expect(anchor.prefix.hasSuffix("Fortschritte. "))
        #expect(anchor.suffix.hasPrefix(" Der Koordinator"))
    }

    @Test func reflowedWhitespaceCaseDiacriticsAndQuotesStillMatchExactlyWhereTheyStand() throws {
        let reflowed = Self.article.replacingOccurrences(of: " des türkischen ", with: "\n  des Türkischen ")
        let (result, file) = anchored(Self.quote.replacingOccurrences(of: "Efrîn", with: "Efrin"), in: reflowed)
        let anchor = try #require(result.anchor)
        #expect(anchor.method == .normalized)
        #expect(file.slice(anchor.range).hasPrefix("Aufgrund der Angriffe\n  des Türkischen"))
        #expect(file.slice(anchor.range).hasSuffix("gestoppt worden."))
        let (quoted, _) = anchored("Agentur \"ANHA\"", in: Self.article)
        #expect(quoted.anchor?.method == .normalized)
    }

    @Test func aWordCorrectedInsideThePassageKeepsItAnchored() throws {
        let corrected = Self.article.replacingOccurrences(of: "gestoppt worden", with: "angehalten worden")
        let (result, file) = anchored(Self.quote, in: corrected)
        let anchor = try #require(result.anchor)
        #expect(anchor.method == .fuzzy)
        #expect(anchor.similarity >= PassageAnchoring.minimumSimilarity)
        #expect(file.slice(anchor.range).hasPrefix("Aufgrund der Angriffe"))
        #expect(file.slice(anchor.range).hasSuffix("angehalten worden."))
    }

    @Test func aSentenceInsertedBeforeMovesTheAnchorWithTheText() throws {
        let inserted = "Eine neue Einleitung steht nun am Anfang. " + Self.article
        let (result, file) = anchored(Self.quote, in: inserted)
        let anchor = try #require(result.anchor)
        #expect(file.slice(anchor.range) == Self.quote)
        #expect(anchor.range.lowerBound == (try #require(anchored(Self.quote, in: Self.article).0.anchor)).range.lowerBound + 42)
    }

    @Test func aDeletedPassageIsAnOrphan() {
        let deleted = Self.article.replacingOccurrences(of: Self.quote, with: "")
        #expect(anchored(Self.quote, in: deleted).0.anchor == nil)
    }

    @Test func aDifferentSentenceIsBelowTheThreshold() {
        let (result, _) = anchored("Die Operation gegen den Islamischen Staat wurde in Rakka fortgesetzt.", in: Self.article)
        #expect(result.anchor == nil)
    }

    @Test func aQuoteFoundTwiceIsAnchoredByItsContextOrReportedAsATie() throws {
        let body = "Die Lage ist ernst. Dazwischen steht viel. Die Lage ist ernst. Ende."
        let (tie, _) = anchored("Die Lage ist ernst.", in: body)
        #expect(tie.candidates == 2)
        #expect(tie.anchor?.range.lowerBound == 0)
        let (second, _) = anchored("Die Lage ist ernst.", in: body, after: 25)
        #expect(second.candidates == 1)
        #expect(second.anchor?.range.lowerBound == 43)
    }

    @Test func fuzzyMatchingFindsTheClosestPlace() {
        let text = Array("abcdefghij klmnopq abcdXfghij".unicodeScalars)
        let matches = PassageAnchoring.fuzzyMatches(Array("abcdefghij".unicodeScalars), in: text)
        #expect(matches.map(\.range) == [0..<10])
        #expect(matches.first?.similarity == 1)
    }
}

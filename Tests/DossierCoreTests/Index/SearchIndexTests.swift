import Testing
@testable import DossierCore

@Suite struct SearchIndexTests {
    private func titles(of word: String, in index: SearchIndex) -> [String] {
        (index.postings(of: word) ?? []).map { index.documents[$0.document].title }
    }

    @Test func wordsAreFoldedAsNamesAre() throws {
        let index = try SearchIndex.ofFixture()
        #expect(titles(of: "efrin", in: index).contains("Efrîn"))
        #expect(titles(of: "dera", in: index).contains("Dêra Zor"))
        #expect(titles(of: "erdogan", in: index).contains("Recep Tayyip Erdoğan"))
        #expect(index.postings(of: "Efrîn") == nil && index.postings(of: "efrîn") == nil)
        #expect(SearchIndex.words(in: "Straße, EU-Kommission; Erdoğan'ın") == ["strasse", "eu", "kommission", "erdogan", "in"])
        // Letters of one to four bytes, and a symbol of four that ends a word.
        #expect(SearchIndex.words(in: "東京😀Мир, 𝒜b 中文") == ["東京", "мир", "𝒜b", "中文"])
    }

    /// ASCII runs are folded apart from other scalars (handed over as they stand when they are
    /// the whole word): a word is the same whichever way it is read.
    @Test func wordsOfASCIIRunsAndOtherScalarsFoldAlike() {
        #expect(SearchIndex.words(in: "Gemäß ÄRZTE abc–DEF über-Über a1B2 x") == ["gemass", "arzte", "abc", "def", "uber", "uber", "a1b2", "x"])
        // Every sequence of four pieces (capitals, small letters, digits, umlauts, ß, a dash, a
        // space, a full stop), against folding scalar by scalar.
        let pieces = ["A", "b", "7", "ä", "Ü", "–", " ", ".", "ß"]
        var texts = [""]
        for _ in 0..<4 { texts = texts.flatMap { text in pieces.map { text + $0 } } }
        for text in texts {
            #expect(SearchIndex.words(in: text) == Self.foldedWords(text), "\(text)")
        }
    }

    /// Words as folding each scalar and splitting at what is not a letter or digit gives them.
    private static func foldedWords(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        for scalar in text.unicodeScalars {
            for piece in TextFolding.fold(scalar) {
                if piece.properties.isAlphabetic || piece.properties.numericType != nil {
                    word.unicodeScalars.append(piece)
                } else if !word.isEmpty {
                    words.append(word)
                    word = ""
                }
            }
        }
        return word.isEmpty ? words : words + [word]
    }

    @Test func everyKindIsADocumentWithItsPage() throws {
        let index = try SearchIndex.ofFixture()
        let byTitle = Dictionary(index.documents.map { ($0.title, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byTitle["QSD setzen Offensive in Dêra Zor fort"]?.path == "articles/offensive/index.html")
        #expect(byTitle["QSD setzen Offensive in Dêra Zor fort"]?.date == "2018-05-01")
        #expect(byTitle["Demokratische Kräfte Syriens"]?.kind == .actor)
        #expect(byTitle["Efrîn"]?.path == "places/efrin/index.html")
        #expect(byTitle["Zur Offensive"]?.kind == .note)
        #expect(index.documents.map(\.kind) == index.documents.map(\.kind).sorted { $0.rawValue < $1.rawValue })
    }

    @Test func titlesAndAliasesWeighMoreThanText() throws {
        let index = try SearchIndex.ofFixture()
        let postings = try #require(index.postings(of: "sdf"))
        #expect(postings.map { index.documents[$0.document].title } == ["Demokratische Kräfte Syriens"])
        #expect(postings[0].weight == SearchIndex.titleWeight)
        let syriens = try #require(index.postings(of: "syriens"))
        let actor = try #require(syriens.first { index.documents[$0.document].kind == .actor })
        let place = try #require(syriens.first { index.documents[$0.document].title == "Efrîn" })
        #expect(actor.weight > place.weight, "a word of the name outweighs one of the description")
    }

    @Test func textShowsLinkLabelsAndIsCapped() throws {
        let long = String(repeating: "Wort ", count: 1_000)
        let index = try SearchIndex.ofFixture(with: ["content/articles/lang.md": "---\ntitle: Lang\n---\nSiehe [[qsd|die Kräfte]]. \(long)\n"])
        let document = try #require(index.documents.first { $0.title == "Lang" })
        #expect(document.text.hasPrefix("Siehe die Kräfte. Wort"))
        #expect(document.text.unicodeScalars.count == SearchIndex.snippetSource)
        #expect(index.postings(of: "wort")?.first { index.documents[$0.document].title == "Lang" }?.weight == 1_000,
                "the whole text is indexed, not only the snippet")
    }

    @Test func theFoldTableHoldsTheArchivesUnusualCharacters() throws {
        let index = try SearchIndex.ofFixture()
        #expect(index.folds["î"] == "i")
        #expect(index.folds["ğ"] == "g")
        #expect(index.folds["ä"] == "a")
        #expect(index.folds["e"] == nil, "ASCII folds without a table")
    }
}

@Suite struct WordTableTests {
    @Test func wordsKeepTheirIdsAsTheTableGrows() {
        var table = WordTable()
        let words = (0..<5_000).map { "wort\($0)" } + ["", "ä", "wort1"]
        let ids = words.map { table.id(of: Array($0.utf8)) }
        #expect(ids.prefix(5_000) == Array(0..<5_000).map(Int32.init)[...])
        #expect(ids.last == 1, "a word seen again keeps its id")
        #expect(table.count == 5_002)
        #expect(words.indices.allSatisfy { table.existingID(of: Array(words[$0].utf8)) == ids[$0] })
        #expect(table.word(5_001) == "ä" && table.existingID(of: Array("wort5000".utf8)) == nil)
    }
}

import Testing
@testable import DossierCore

@Suite struct TextFoldingTests {
    @Test(arguments: [
        ("Erdoğan", "erdogan"), ("Efrîn", "efrin"), ("Dêra Zor", "dera zor"), ("Haşim", "hasim"),
        ("Ćevapi", "cevapi"), ("Straße", "strasse"), ("ÆRØ", "aero"), ("KOBANÊ", "kobane"), ("Iİı", "iii"),
        ("People’s", "people's"),
    ])
    func foldsCaseAndDiacritics(text: String, folded: String) {
        #expect(TextFolding.fold(text) == folded)
    }

    @Test func decomposedAndComposedFoldAlike() {
        #expect(TextFolding.fold("Efr\u{0069}\u{0302}n") == TextFolding.fold("Efr\u{00EE}n"))
    }

    @Test func keepsAMapBackToTheOriginal() {
        let (folded, origins) = TextFolding.foldWithOrigins(Array("aße".unicodeScalars))
        #expect(String(scalars: folded) == "asse")
        #expect(origins == [0, 1, 1, 2])
    }
}

@Suite struct TokenizerTests {
    @Test func tokensKeepTheirFoldedFormAndWhereTheyCameFrom() {
        let text = Array("Efr\u{0069}\u{0302}n's „Nord-Irak“".unicodeScalars)
        let tokenized = Tokenizer.tokenize(text[...])
        #expect(tokenized.tokens.map(tokenized.key) == ["efrin", "'", "s", "„", "nord", "-", "irak", "“"])
        #expect(tokenized.tokens.map(tokenized.isWord) == [true, false, true, false, true, false, true, false])
        // The combining circumflex folds to nothing but belongs to the word it follows.
        #expect(tokenized.tokens[0].range == 0..<6)
        #expect(tokenized.isKey(tokenized.tokens[5], "-"))
    }
}

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

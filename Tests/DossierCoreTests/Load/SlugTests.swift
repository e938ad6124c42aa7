import Testing
@testable import DossierCore

@Suite struct SlugTests {
    @Test(arguments: [
        ("Haşim Mihemed", "hasim-mihemed"),
        ("Efrîn", "efrin"),
        ("Dêra Zor", "dera-zor"),
        ("Ost-Ghouta", "ost-ghouta"),
        ("Straße der Märtyrer", "strasse-der-martyrer"),
        ("  --QSD__2018--  ", "qsd-2018"),
    ])
    func transliteratesFileNames(name: String, slug: String) {
        #expect(Slug.make(from: name) == slug)
    }

    @Test func keepsSlugsAsTheyAre() {
        #expect(Slug.isSlug("qsd-dera-zor"))
        #expect(Slug.make(from: "qsd-dera-zor") == "qsd-dera-zor")
        #expect(!Slug.isSlug("QSD"))
        #expect(!Slug.isSlug("a--b"))
        #expect(!Slug.isSlug("-a"))
    }

    @Test func nothingLeftIsEmpty() {
        #expect(Slug.make(from: "—…—") == "")
    }
}

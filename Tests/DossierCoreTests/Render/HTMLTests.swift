import Testing
@testable import DossierCore

@Suite struct HTMLTests {
    @Test func onlyWebAddressesBecomeLinksAndTheyArePercentEncoded() {
        #expect(HTML.webURL(" https://de.wikipedia.org/wiki/Efrîn ") == "https://de.wikipedia.org/wiki/Efr%C3%AEn")
        #expect(HTML.webURL("http://example.org/a?b=c#d") == "http://example.org/a?b=c#d")
        #expect(HTML.webURL("javascript:alert(1)") == nil)
        #expect(HTML.webURL("data:text/html,<b>") == nil)
        #expect(HTML.webURL("https://x.org/\" onclick=\"a") == nil)
    }

    @Test func escapesEverythingThatCouldBreakOutOfTextOrAttributes() {
        #expect(HTML.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTML.escape("Dêra Zor") == "Dêra Zor")
    }

    @Test func aCombiningMarkAfterACharacterToEscapeDoesNotStopTheEscape() {
        // `<` and U+0338 are one grapheme cluster (≮), but the browser reads a `<`.
        #expect(HTML.escape("a<\u{338}b") == "a&lt;\u{338}b")
    }
}

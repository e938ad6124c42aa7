import Testing
@testable import DossierCore

@Suite struct FeedsTests {
    @Test(arguments: [
        ("2018-05-01", "2018-05-01T00:00:00Z"),
        ("2018-05-01T10:30", "2018-05-01T10:30:00Z"),
        ("2018-05-01 10:30:15+02:00", "2018-05-01T10:30:15+02:00"),
        ("2018-05-01T10:30:15.5Z", "2018-05-01T10:30:15.5Z"),
    ])
    func atomTimestampsAreRFC3339(date: String, timestamp: String) throws {
        #expect(Feeds.timestamp(try #require(ArticleDate(date))) == timestamp)
    }

    @Test func xmlEscapingLeavesOutWhatXMLForbids() {
        #expect(XML.escape("a<b>&\"c'\u{1}\u{FFFE}\t") == "a&lt;b&gt;&amp;&quot;c&apos;\t")
    }
}

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

    /// Links made from another file's links (the base derived once) are those made anew.
    @Test(arguments: [nil, "https://example.org/archiv", "https://example.org/", "not a url"])
    func linksFromAnotherFileAreThoseMadeAnew(baseURL: String?) {
        var config = SiteConfig()
        config.title = "Rojava-Archiv: Ärzte"
        config.baseURL = baseURL
        config.prettyURLs = baseURL == nil
        let first = SiteLinks(config, from: "feed.xml")
        for path in ["actors/x/feed.xml", "sitemap.xml", "data/notes.jsonld"] {
            let made = SiteLinks(config, from: path)
            let derived = first.from(path)
            for target in ["index.html", "articles/a-b.html", "places/efrin/index.html"] {
                #expect(derived.url(target) == made.url(target))
                #expect(derived.url(target, fragment: "passage-1") == made.url(target, fragment: "passage-1"))
                #expect(derived.id(for: target) == made.id(for: target))
            }
        }
    }
}

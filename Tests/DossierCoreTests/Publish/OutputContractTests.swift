import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import DossierCore

/// The feeds, sitemap, 404 page, data files and JSON-LD of DESIGN §4, read back by parsing them.
@Suite struct OutputContractTests {
    /// The elements of an XML file: (name, attributes, text) in document order.
    final class Elements: NSObject, XMLParserDelegate {
        var items: [(name: String, attributes: [String: String], text: String)] = []
        private var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            items.append((name, attributes, ""))
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if let index = items.lastIndex(where: { $0.name == name && $0.text.isEmpty }) { items[index].text = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            text = ""
        }
        static func parse(_ data: Data) throws -> Elements {
            let elements = Elements()
            let parser = XMLParser(data: data)
            parser.delegate = elements
            guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
            return elements
        }
    }

    private func data(_ site: TestSite, _ path: String) throws -> Data {
        try Data(contentsOf: site.root.appendingPathComponent("public/" + path))
    }

    @Test func atomFeedsForTheArchiveAndEveryMentionedEntity() throws {
        let site = try TestSite(fixtureWith: [
            "content/site.yml": "title: Testarchiv\nbase_url: https://archiv.example.org/dossier/\n",
            "content/actors/niemand.md": "---\nname: Niemand Bekanntes\n---\n",
        ])
        defer { site.delete() }
        #expect(site.build().published)
        let feed = try Elements.parse(try data(site, "feed.xml"))
        #expect(feed.items.first?.name == "feed" && feed.items.first?.attributes["xmlns"] == "http://www.w3.org/2005/Atom")
        #expect(feed.items.filter { $0.name == "entry" }.count == 2)
        #expect(feed.items.contains { $0.name == "id" && $0.text == "https://archiv.example.org/dossier/articles/offensive/index.html" })
        #expect(feed.items.contains { $0.name == "updated" && $0.text == "2018-05-01T00:00:00Z" })
        #expect(feed.items.contains { $0.name == "link" && $0.attributes["rel"] == "self"
            && $0.attributes["href"] == "https://archiv.example.org/dossier/feed.xml" })

        let qsd = try Elements.parse(try data(site, "actors/qsd/feed.xml"))
        #expect(qsd.items.filter { $0.name == "entry" }.count == 1)
        #expect(site.exists("public/actors/niemand/index.html") && !site.exists("public/actors/niemand/feed.xml"))
        let page = try site.read("public/actors/qsd/index.html")
        #expect(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Demokratische Kräfte Syriens – Testarchiv\" href=\"../../actors/qsd/feed.xml\">"))
    }

    @Test func withoutABaseURLFeedLinksAreRelativeAndIdsAreTagURIs() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let feed = try Elements.parse(try data(site, "feed.xml"))
        #expect(feed.items.contains { $0.name == "id" && $0.text == "tag:testarchiv.dossier,2000:articles/offensive/index.html" })
        #expect(feed.items.contains { $0.name == "link" && $0.attributes["href"] == "articles/offensive/index.html" })
        // Entity feeds share their entries: links from two folders down, for actors and places alike.
        for path in ["actors/qsd/feed.xml", "places/efrin/feed.xml"] {
            let entityFeed = try Elements.parse(try data(site, path))
            let hrefs = entityFeed.items.filter { $0.name == "link" && $0.attributes["rel"] == "alternate" }.compactMap { $0.attributes["href"] }
            #expect(hrefs.count == 2, "\(path): the entity page and one article")
            #expect(hrefs.allSatisfy { $0.hasPrefix("../../") }, "\(path): \(hrefs)")
        }
        let undated = try Elements.parse(try data(site, "places/efrin/feed.xml"))
        #expect(undated.items.filter { $0.name == "updated" }.allSatisfy { $0.text == Feeds.undated })
    }

    @Test func theSitemapListsEveryPage() throws {
        let site = try TestSite(fixtureWith: ["content/site.yml": "title: T\nbase_url: https://x.example/\n"])
        defer { site.delete() }
        let report = site.build()
        let locations = try Elements.parse(try data(site, "sitemap.xml")).items.filter { $0.name == "loc" }.map(\.text)
        #expect(locations.count == report.pages - 1, "every page but the 404 page")
        #expect(locations.contains("https://x.example/places/efrin/index.html"))
        #expect(locations.contains("https://x.example/index.html"))
    }

    @Test func aNotFoundPage() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let page = try site.read("public/404.html")
        #expect(page.contains("Seite nicht gefunden"))
        #expect(page.contains("href=\"articles/index.html\""))
    }

    @Test func dataFilesForResearchers() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        let entityRows = try site.read("public/data/entities.csv").split(separator: "\r\n")
        #expect(entityRows.first == "entity,kind,name,aliases,category,mentions,articles,lat,lon,within,wikidata")
        #expect(entityRows.contains("dera-zor,place,Dêra Zor,Deir ez-Zor,,2,1,35.33,40.14,,"))
        let articles = try site.read("public/data/articles.csv").split(separator: "\r\n")
        #expect(articles.first == "article,title,date,source,url,language,authors,mentions,entities,file")
        #expect(articles.contains("offensive,QSD setzen Offensive in Dêra Zor fort,2018-05-01,ANF,,de,,7,3,content/articles/offensive.md"))

        let archive = try #require(try JSONSerialization.jsonObject(with: try data(site, "data/archive.json")) as? [String: Any])
        let records = try #require(archive["articles"] as? [[String: Any]])
        let mentionRows = try site.read("public/data/mentions.csv").split(separator: "\r\n").count - 1
        #expect(records.reduce(0) { $0 + (($1["mentions"] as? [Any])?.count ?? 0) } == mentionRows)
        #expect((archive["entities"] as? [Any])?.count == 6)
        // Entities are written by hand: each with every key, in the encoder's sorted order and
        // number format.
        let entityText = String(decoding: try data(site, "data/archive.json"), as: UTF8.self)
        #expect(entityText.contains(#"{"aliases":["Deir ez-Zor"],"category":null,"id":"dera-zor","kind":"place","lat":35.33,"lon":40.14,"mentions":2,"name":"Dêra Zor","wikidata":null,"within":null}"#))
        let entities = try #require(archive["entities"] as? [[String: Any]])
        #expect(entities.allSatisfy { $0.keys.sorted() == ["aliases", "category", "id", "kind", "lat", "lon", "mentions", "name", "wikidata", "within"] })
        let undated = try #require(records.first { $0["id"] as? String == "agentur" })
        #expect(undated["date"] is NSNull, "an absent value is written as null, not left out")
        #expect(undated.keys.sorted() == ["authors", "date", "file", "id", "language", "mentions", "source", "title", "url"])
        let note = try #require((archive["notes"] as? [[String: Any]])?.first)
        #expect((note["passages"] as? [[String: Any]])?.first?["start"] as? Int != nil)
    }

    /// The data page documents every column of every CSV as the build wrote it, in the site's
    /// language; the README documents them too.
    @Test func theDataPageAndTheReadmeDocumentEveryColumn() throws {
        for language in ["de", "en"] {
            let site = try TestSite(fixtureWith: ["content/site.yml": "title: Testarchiv\nlanguage: \(language)\n"])
            defer { site.delete() }
            _ = site.build()
            let page = try site.read("public/data/index.html")
            for file in ["mentions.csv", "entities.csv", "articles.csv"] {
                let header = try #require(try site.read("public/data/\(file)").split(separator: "\r\n").first)
                let section = try #require(page.firstMatch(of: try Regex("<section class=\"data-file\" id=\"file-[a-z]+\" [^>]*>\\s*<h2[^>]*><a href=\"../data/\(file)\" download>(?s:.*?)</section>")))
                let documented = section.output[0].substring.map(String.init)?.matches(of: /<tr><td><code>([a-z]+)<\/code><\/td><td>([^<]+)<\/td><\/tr>/) ?? []
                #expect(documented.map { String($0.output.1) } == header.split(separator: ",").map(String.init), "\(language) \(file)")
                #expect(documented.allSatisfy { !$0.output.2.hasPrefix("data_") }, "every meaning is a word of the strings file, not its key")
            }
            #expect(page.contains("<a href=\"../data/archive.json\" download>") && page.contains("<a href=\"../data/notes.jsonld\" download>"))
        }
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../README.md").standardizedFileURL, encoding: .utf8)
        for file in DataExport.files {
            let section = try #require(readme.range(of: "`data/\(file.name)`"), "README documents \(file.name)")
            let table = readme[section.upperBound...].prefix(1_500)
            for column in file.columns {
                #expect(table.contains("`\(column)`"), "README documents \(file.name)'s column \(column)")
            }
        }
    }

    @Test func pagesCarrySchemaOrgJSONLD() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        func jsonLD(_ path: String) throws -> [String: Any] {
            let page = try site.read("public/" + path)
            let match = try #require(page.firstMatch(of: /<script type="application\/ld\+json">(.*?)<\/script>/))
            return try #require(try JSONSerialization.jsonObject(with: Data(String(match.output.1).utf8)) as? [String: Any])
        }
        let article = try jsonLD("articles/offensive/index.html")
        #expect(article["@type"] as? String == "NewsArticle")
        #expect((article["about"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Demokratische Kräfte Syriens", "Dêra Zor"])
        #expect((article["mentions"] as? [Any])?.count == 3)
        #expect(article["datePublished"] as? String == "2018-05-01")
        let place = try jsonLD("places/efrin/index.html")
        #expect(place["@type"] as? String == "Place")
        #expect((place["geo"] as? [String: Any])?["latitude"] as? Double == 36.51)
        #expect(try jsonLD("actors/hasim-mihemed/index.html")["@type"] as? String == "Person")
        #expect(try jsonLD("actors/qsd/index.html")["@type"] as? String == "Organization")
        #expect(try jsonLD("index.html")["@type"] as? String == "WebSite")
    }
}

import Foundation
import Testing
@testable import DossierCore

@Suite struct StructuredDataTests {
    /// The article JSON-LD as the generic encoder wrote it before `StructuredData.article`
    /// wrote it directly.
    private struct EncodedArticle: Encodable {
        let context = "https://schema.org", type = "NewsArticle"
        let headline, inLanguage: String
        let about, mentions: [Reference]
        let datePublished: String?
        let publisher: Named?
        let author: [Named]?
        let isBasedOn, description: String?

        enum CodingKeys: String, CodingKey {
            case context = "@context", type = "@type"
            case headline, inLanguage, about, mentions, datePublished, publisher, author, isBasedOn, description
        }
    }

    private struct Reference: Encodable {
        let type, name, url: String

        enum CodingKeys: String, CodingKey {
            case type = "@type", name, url
        }
    }

    private struct Named: Encodable {
        let type, name: String

        enum CodingKeys: String, CodingKey {
            case type = "@type", name
        }
    }

    @Test func theArticlesJSONIsWhatTheEncoderWrote() throws {
        // YAML escapes in double quotes: quotes, a backslash, controls, line separators.
        let tricky = #"\"Zitat\" \\ <script>&</script> \t \b \f \r \x01 \x1f \u2028 \u2029 \x85 é 😀 /"#
        let site = try TestSite(fixtureWith: [
            "content/articles/zeichen.md": """
                ---
                title: "\(tricky) QSD in Efrîn"
                date: 2019-03-04
                source: "\(tricky)"
                summary: "\(tricky)"
                authors: ["\(tricky)", B]
                url: https://example.org/ä?q=x&y=1
                language: en
                ---
                QSD und Haşim Mihemed in Efrîn.
                """,
        ])
        defer { site.delete() }
        let renderer = try TemplateKeysTests.renderer(of: site)
        let archive = renderer.archive
        let paths = SitePaths(prettyURLs: false)
        #expect(archive.articles.count == 3)
        for linked in archive.articles {
            let article = linked.article
            let path = SitePaths.article(article.id)
            func references(_ refs: [EntityRef]) -> [Reference] {
                var seen: Set<EntityRef> = []
                return refs.filter { seen.insert($0).inserted }.compactMap { ref in
                    archive.registry[ref].map { entity in
                        Reference(type: entity.ref.kind == .place ? "Place" : entity.category == "person" ? "Person" : "Organization",
                                  name: entity.name, url: paths.href(from: path, to: SitePaths.entity(ref)))
                    }
                }
            }
            let encoded = ScriptJSON.encode(EncodedArticle(
                headline: article.title, inLanguage: article.language ?? archive.config.language,
                about: references(linked.mentions.filter(\.inHeadline).map(\.entity)), mentions: references(linked.mentions.map(\.entity)),
                datePublished: article.date?.timestamp, publisher: article.publisher.map { Named(type: "Organization", name: $0) },
                author: article.authors.isEmpty ? nil : article.authors.map { Named(type: "Person", name: $0) },
                isBasedOn: article.url.flatMap(HTML.webURL), description: article.summary))
            #expect(StructuredData.article(linked, archive: archive, at: path, paths: paths) == encoded)
        }
        let zeichen = try #require(archive.article(withID: "zeichen"))
        #expect(zeichen.article.title.contains("\u{2028}") && zeichen.article.publisher != nil && !zeichen.mentions.isEmpty)
    }
}

import Foundation

/// schema.org JSON-LD for the pages: NewsArticle (with `about` and `mentions`), Person or
/// Organization, Place (with coordinates), WebSite. Links in it are relative to the page.
enum StructuredData {
    static func article(_ linked: LinkedArticle, archive: Archive, at path: String, paths: SitePaths) -> String {
        let article = linked.article
        func references(_ refs: [EntityRef]) -> [Reference] {
            orderedUnique(refs).compactMap { ref in
                archive.registry[ref].map { Reference(type: type(of: $0), name: $0.name, url: paths.href(from: path, to: SitePaths.entity(ref))) }
            }
        }
        return ScriptJSON.encode(NewsArticle(
            headline: article.title, inLanguage: article.language ?? archive.config.language,
            about: references(linked.mentions.filter(\.inHeadline).map(\.entity)),
            mentions: references(linked.mentions.map(\.entity)),
            datePublished: article.date?.timestamp, publisher: article.publisher.map { Named(type: "Organization", name: $0) },
            author: article.authors.isEmpty ? nil : article.authors.map { Named(type: "Person", name: $0) },
            isBasedOn: article.url.flatMap(HTML.webURL), description: article.summary))
    }

    static func entity(_ entity: Entity) -> String {
        let sameAs = (entity.wikidata.map { ["https://www.wikidata.org/wiki/\($0)"] } ?? []) + entity.links.compactMap(HTML.webURL)
        return ScriptJSON.encode(Thing(type: type(of: entity), name: entity.name,
                            alternateName: entity.aliases.isEmpty ? nil : entity.aliases, sameAs: sameAs.isEmpty ? nil : sameAs,
                            geo: entity.coordinate.map { Geo(latitude: $0.latitude, longitude: $0.longitude) }))
    }

    static func website(_ config: SiteConfig) -> String {
        ScriptJSON.encode(WebSite(name: config.title, description: config.description, inLanguage: config.language))
    }

    private static func type(of entity: Entity) -> String {
        if entity.ref.kind == .place { return "Place" }
        return entity.category == "person" ? "Person" : "Organization"
    }

    private static func orderedUnique(_ refs: [EntityRef]) -> [EntityRef] {
        var seen: Set<EntityRef> = []
        return refs.filter { seen.insert($0).inserted }
    }

    private struct NewsArticle: Encodable {
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

    private struct Thing: Encodable {
        let context = "https://schema.org"
        let type, name: String
        let alternateName, sameAs: [String]?
        let geo: Geo?

        enum CodingKeys: String, CodingKey {
            case context = "@context", type = "@type"
            case name, alternateName, sameAs, geo
        }
    }

    private struct WebSite: Encodable {
        let context = "https://schema.org", type = "WebSite"
        let name, description, inLanguage: String

        enum CodingKeys: String, CodingKey {
            case context = "@context", type = "@type"
            case name, description, inLanguage
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

    private struct Geo: Encodable {
        let type = "GeoCoordinates"
        let latitude, longitude: Double

        enum CodingKeys: String, CodingKey {
            case type = "@type", latitude, longitude
        }
    }
}

import Foundation

/// schema.org JSON-LD for the pages: NewsArticle (with `about` and `mentions`), Person or
/// Organization, Place (with coordinates), WebSite. Links in it are relative to the page.
enum StructuredData {
    /// Written directly, keys in sorted order and absent ones left out: the bytes
    /// `ScriptJSON.encode` gives for it (a test compares them), which the generic encoder took
    /// longer to make than the rest of the article's page.
    static func article(_ linked: LinkedArticle, archive: Archive, at path: String, paths: SitePaths) -> String {
        let article = linked.article
        var json = JSONText(forScript: true)
        func references(_ key: StaticString, _ refs: [EntityRef]) {
            json.key(key)
            let entities = orderedUnique(refs).compactMap { archive.registry.entity($0) { (ref: $0.ref, type: type(of: $0), name: $0.name) } }
            json.array(entities) { json, entity in
                json.object { json in
                    json.key("@type", first: true)
                    json.string(entity.type)
                    json.key("name")
                    json.string(entity.name)
                    json.key("url")
                    json.string(paths.href(from: path, to: SitePaths.entity(entity.ref)))
                }
            }
        }
        json.raw(UInt8(ascii: "{"))
        json.key("@context", first: true)
        json.string("https://schema.org")
        json.key("@type")
        json.string("NewsArticle")
        references("about", linked.mentions.filter(\.inHeadline).map(\.entity))
        if !article.authors.isEmpty {
            json.key("author")
            json.array(article.authors) { json, author in
                json.object { json in
                    json.key("@type", first: true)
                    json.string("Person")
                    json.key("name")
                    json.string(author)
                }
            }
        }
        if let date = article.date {
            json.key("datePublished")
            json.string(date.timestamp)
        }
        if let summary = article.summary {
            json.key("description")
            json.string(summary)
        }
        json.key("headline")
        json.string(article.title)
        json.key("inLanguage")
        json.string(article.language ?? archive.config.language)
        if let url = article.url.flatMap(HTML.webURL) {
            json.key("isBasedOn")
            json.string(url)
        }
        references("mentions", linked.mentions.map(\.entity))
        if let publisher = article.publisher {
            json.key("publisher")
            json.object { json in
                json.key("@type", first: true)
                json.string("Organization")
                json.key("name")
                json.string(publisher)
            }
        }
        json.raw(UInt8(ascii: "}"))
        return String(decoding: json.bytes, as: UTF8.self)
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

    private struct Geo: Encodable {
        let type = "GeoCoordinates"
        let latitude, longitude: Double

        enum CodingKeys: String, CodingKey {
            case type = "@type", latitude, longitude
        }
    }
}

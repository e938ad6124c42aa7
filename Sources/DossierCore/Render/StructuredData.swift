import Foundation

/// schema.org JSON-LD for the pages: NewsArticle (with `about` and `mentions`), Person or
/// Organization, Place (with coordinates), WebSite. Links in it are relative to the page.
enum StructuredData {
    static func article(_ linked: LinkedArticle, archive: Archive, at path: String, paths: SitePaths) -> String {
        let article = linked.article
        let mentioned = orderedUnique(linked.mentions.map(\.entity))
        let inHeadline = orderedUnique(linked.mentions.filter(\.inHeadline).map(\.entity))
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
            "inLanguage": article.language ?? archive.config.language,
            "about": inHeadline.compactMap { reference($0, archive: archive, at: path, paths: paths) },
            "mentions": mentioned.compactMap { reference($0, archive: archive, at: path, paths: paths) },
        ]
        if let date = article.date { object["datePublished"] = date.timestamp }
        if let publisher = article.publisher { object["publisher"] = ["@type": "Organization", "name": publisher] }
        if !article.authors.isEmpty { object["author"] = article.authors.map { ["@type": "Person", "name": $0] } }
        if let url = article.url.flatMap(HTML.webURL) { object["isBasedOn"] = url }
        if let summary = article.summary { object["description"] = summary }
        return encode(object)
    }

    static func entity(_ entity: Entity) -> String {
        var object: [String: Any] = ["@context": "https://schema.org", "@type": type(of: entity), "name": entity.name]
        if !entity.aliases.isEmpty { object["alternateName"] = entity.aliases }
        let sameAs = (entity.wikidata.map { ["https://www.wikidata.org/wiki/\($0)"] } ?? []) + entity.links.compactMap(HTML.webURL)
        if !sameAs.isEmpty { object["sameAs"] = sameAs }
        if let coordinate = entity.coordinate {
            object["geo"] = ["@type": "GeoCoordinates", "latitude": coordinate.latitude, "longitude": coordinate.longitude]
        }
        return encode(object)
    }

    static func website(_ config: SiteConfig) -> String {
        encode(["@context": "https://schema.org", "@type": "WebSite", "name": config.title,
                "description": config.description, "inLanguage": config.language])
    }

    private static func type(of entity: Entity) -> String {
        if entity.ref.kind == .place { return "Place" }
        return entity.category == "person" ? "Person" : "Organization"
    }

    private static func reference(_ ref: EntityRef, archive: Archive, at path: String, paths: SitePaths) -> [String: Any]? {
        guard let entity = archive.registry[ref] else { return nil }
        return ["@type": type(of: entity), "name": entity.name, "url": paths.href(from: path, to: SitePaths.entity(ref))]
    }

    private static func orderedUnique(_ refs: [EntityRef]) -> [EntityRef] {
        var seen: Set<EntityRef> = []
        return refs.filter { seen.insert($0).inserted }
    }

    /// JSON that is safe inside `<script>`: `<`, `>` and `&` as `\u` escapes, so no content
    /// can close the element or open a comment.
    private static func encode(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}

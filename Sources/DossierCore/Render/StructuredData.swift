import Foundation

/// schema.org JSON-LD for the pages: NewsArticle (with `about` and `mentions`), Person or
/// Organization, Place (with coordinates), WebSite. Links in it are relative to the page.
enum StructuredData {
    /// Written directly, keys in sorted order and absent ones left out: the bytes
    /// `ScriptJSON.encode` gives for it (a test compares them), which the generic encoder took
    /// longer to make than the rest of the article's page.
    static func article(_ linked: LinkedArticle, archive: Archive, at path: String, paths: SitePaths) -> String {
        let article = linked.article
        var json = ScriptJSONWriter()
        func references(_ key: StaticString, _ refs: [EntityRef]) {
            json.key(key)
            json.array(orderedUnique(refs).compactMap { archive.registry[$0] }) { json, entity in
                json.key("@type", first: true)
                json.string(type(of: entity))
                json.key("name")
                json.string(entity.name)
                json.key("url")
                json.string(paths.href(from: path, to: SitePaths.entity(entity.ref)))
            }
        }
        json.key("@context", first: true)
        json.string("https://schema.org")
        json.key("@type")
        json.string("NewsArticle")
        references("about", linked.mentions.filter(\.inHeadline).map(\.entity))
        if !article.authors.isEmpty {
            json.key("author")
            json.array(article.authors) { json, author in
                json.key("@type", first: true)
                json.string("Person")
                json.key("name")
                json.string(author)
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
        return json.text
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

/// JSON written a piece at a time as `ScriptJSON` writes it: strings escaped as JSONEncoder
/// escapes them, then `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes. One object at the top.
private struct ScriptJSONWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]

    var text: String { String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self) }

    /// `"key":`, after a comma unless it is the object's first.
    mutating func key(_ key: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes += UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        bytes += Array("\":".utf8)
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""): bytes += Array("\\\"".utf8)
                case UInt8(ascii: "\\"): bytes += Array("\\\\".utf8)
                case 0x08: bytes += Array("\\b".utf8)
                case UInt8(ascii: "\t"): bytes += Array("\\t".utf8)
                case UInt8(ascii: "\n"): bytes += Array("\\n".utf8)
                case 0x0C: bytes += Array("\\f".utf8)
                case UInt8(ascii: "\r"): bytes += Array("\\r".utf8)
                case 0x00...0x1F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    let hex = Array("0123456789abcdef".utf8)
                    bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                case 0xE2 where index + 1 < utf8.count && utf8[index] == 0x80 && (utf8[index + 1] == 0xA8 || utf8[index + 1] == 0xA9):
                    bytes += Array((utf8[index + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    index += 2
                default:
                    bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `[{…},{…}]`, each object's members written by `members`.
    mutating func array<Element>(_ elements: [Element], _ members: (inout ScriptJSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            object { members(&$0, element) }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func object(_ members: (inout ScriptJSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        members(&self)
        bytes.append(UInt8(ascii: "}"))
    }
}

import Foundation

/// Atom feeds (RFC 4287) and the sitemap. Links in them are absolute when the site has a
/// `base_url`, else relative to the file; an Atom id must be an absolute IRI, so without a
/// `base_url` it is a `tag:` URI made from the site's title.
public enum Feeds {
    /// The newest articles a feed lists.
    public static let entryLimit = 50

    /// `feed.xml` for the whole archive, and `actors/<id>/feed.xml`, `places/<id>/feed.xml`
    /// for every entity that is mentioned.
    public static func all(_ archive: Archive) -> [OutputFile] {
        all(archive, lists: lists(archive))
    }

    /// The feeds of `lists` (some of `lists(archive)`).
    static func all(_ archive: Archive, lists: [List]) -> [OutputFile] {
        let links = SiteLinks(archive.config, from: "feed.xml")
        // An article's entry reads the same in every entity feed (all two folders down): written once.
        let articles = Array(Set(lists.filter { $0.entity != nil }.flatMap(\.articles))).sorted()
        let entries = Dictionary(uniqueKeysWithValues: zip(articles, Parallel.map(articles) {
            entry(archive, article: $0, link: links.from("actors/x/feed.xml"))
        }))
        return Parallel.map(lists) { list in
            guard let entity = list.entity else {
                return feed(archive, links: links, path: list.path, title: archive.config.title, page: SitePaths.home,
                            articles: list.articles, entries: [:])
            }
            return feed(archive, links: links, path: list.path, title: "\(entity.name) – \(archive.config.title)",
                        page: SitePaths.entity(entity.ref), articles: list.articles, entries: entries)
        }
    }

    /// A feed: its path, the entity it is of (none for the whole archive's), its articles
    /// (indices into the archive, newest first).
    struct List: Sendable {
        let path: String
        let entity: Entity?
        let articles: [Int]
    }

    /// Every feed of the archive, the whole archive's first.
    static func lists(_ archive: Archive) -> [List] {
        let mentioned = archive.registry.entities.filter { archive.backlinks[$0.ref]?.isEmpty == false }
        return [List(path: "feed.xml", entity: nil, articles: Array(archive.articles.indices.prefix(entryLimit)))]
            + mentioned.map { entity in
                List(path: feedPath(of: entity.ref), entity: entity,
                     articles: archive.backlinks[entity.ref, default: []].prefix(entryLimit).map(\.article))
            }
    }

    public static func feedPath(of ref: EntityRef) -> String { "\(ref.kind.folder)/\(ref.id)/feed.xml" }

    /// A feed of `articles` (indices into the archive), with entries from `entries` where given.
    private static func feed(_ archive: Archive, links: SiteLinks, path: String, title: String, page: String, articles: [Int],
                             entries: [Int: String]) -> OutputFile {
        let link = links.from(path)
        let updated = articles.compactMap { archive.articles[$0].article.date }.max().map(timestamp) ?? undated
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(XML.escape(archive.config.language))">
              <title>\(XML.escape(title))</title>
              <id>\(XML.escape(link.id(for: path)))</id>
              <updated>\(updated)</updated>
              <link rel="self" href="\(XML.escape(link.url(path)))"/>
              <link rel="alternate" type="text/html" href="\(XML.escape(link.url(page)))"/>
              <generator>Dossier</generator>

            """
        for index in articles {
            xml += entries[index] ?? entry(archive, article: index, link: link)
        }
        return OutputFile(path: path, text: xml + "</feed>\n")
    }

    /// `updated` of an undated article, which Atom requires: the start of the epoch.
    static let undated = "1970-01-01T00:00:00Z"

    private static func entry(_ archive: Archive, article index: Int, link: SiteLinks) -> String {
        let linked = archive.articles[index]
        let article = linked.article
        let articlePath = SitePaths.article(article.id)
        let names = Set(linked.mentions.map(\.entity)).compactMap { archive.registry.entity($0) { $0.name } }.sorted()
        var xml = """
              <entry>
                <title>\(XML.escape(article.title))</title>
                <id>\(XML.escape(link.id(for: articlePath)))</id>
                <updated>\(article.date.map(timestamp) ?? undated)</updated>
                <link rel="alternate" type="text/html" href="\(XML.escape(link.url(articlePath)))"/>

            """
        xml += "    <author><name>\(XML.escape(article.authors.first ?? article.publisher ?? archive.config.title))</name></author>\n"
        if let summary = article.summary { xml += "    <summary>\(XML.escape(summary))</summary>\n" }
        for name in names { xml += "    <category term=\"\(XML.escape(name))\"/>\n" }
        return xml + "  </entry>\n"
    }

    /// `sitemap.xml`: every page of the site.
    public static func sitemap(_ archive: Archive, pages: [String]) -> OutputFile {
        let link = SiteLinks(archive.config, from: "sitemap.xml")
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages.sorted() where page.hasSuffix(".html") && page != "404.html" {
            xml += "  <url><loc>\(XML.escape(link.url(page)))</loc></url>\n"
        }
        return OutputFile(path: "sitemap.xml", text: xml + "</urlset>\n")
    }

    /// RFC 3339, as Atom wants it: a date alone is midnight UTC, a time without zone is UTC.
    static func timestamp(_ date: ArticleDate) -> String {
        guard date.timestamp.count > 10 else { return date.day + "T00:00:00Z" }
        var text = date.day + "T" + date.timestamp.dropFirst(11)
        if text.filter({ $0 == ":" }).count == 1 { text += ":00" }
        let zone = text.dropFirst(19)
        if zone.isEmpty { text += "Z" }
        return text
    }
}

/// Links from a file of the site: absolute under `base_url`, else relative.
struct SiteLinks {
    let from: String
    private let paths: SitePaths
    /// The site's `base_url` when it is a web URL, ending in `/`.
    private let base: String?
    /// The authority of the `tag:` ids of a site without a `base_url`.
    private let tagAuthority: String

    init(_ config: SiteConfig, from path: String) {
        self.from = path
        self.paths = SitePaths(prettyURLs: config.prettyURLs)
        let base = config.baseURL.flatMap(HTML.webURL)
        self.base = base.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        let slug = base == nil ? Slug.make(from: config.title) : ""
        self.tagAuthority = (slug.isEmpty ? "archive" : slug) + ".dossier"
    }

    private init(_ links: SiteLinks, from path: String) {
        self.from = path
        self.paths = links.paths
        self.base = links.base
        self.tagAuthority = links.tagAuthority
    }

    /// The same links from another file of the site, without deriving the base anew (the
    /// title's slug goes through ICU).
    func from(_ path: String) -> SiteLinks {
        SiteLinks(self, from: path)
    }

    func url(_ target: String, fragment: String? = nil) -> String {
        guard let base else { return paths.href(from: from, to: target, fragment: fragment) }
        let page = paths.href(from: SitePaths.home, to: target, fragment: fragment)
        return base + (page == "./" ? "" : page)
    }

    /// An absolute IRI for a page: its URL under `base_url`, else a `tag:` URI.
    func id(for target: String) -> String {
        if base != nil { return url(target) }
        return "tag:\(tagAuthority),2000:\(target)"
    }
}

enum XML {
    /// Text and attribute values; characters XML 1.0 forbids are left out.
    static func escape(_ text: String) -> String {
        // Most text has nothing to escape or leave out (U+FFFE and U+FFFF begin with 0xEF).
        let plain = text.utf8.allSatisfy { byte in
            switch byte {
            case 0..<0x20, 0xEF, UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): false
            default: true
            }
        }
        if plain { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

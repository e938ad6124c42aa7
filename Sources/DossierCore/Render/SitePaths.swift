/// Where each page of the site is written, and the relative links between pages (DESIGN §4):
/// every link names its file (`../../actors/qsd/index.html`), so the site works from any
/// sub-path and from disk; with `pretty_urls` links end in the folder instead.
public struct SitePaths: Sendable {
    public let prettyURLs: Bool
    /// Articles per page of the chronological archive.
    public static let articlesPerPage = 50

    public init(prettyURLs: Bool) {
        self.prettyURLs = prettyURLs
    }

    public static let home = "index.html"

    public static func articleList(page: Int) -> String {
        page <= 1 ? "articles/index.html" : "articles/page/\(page)/index.html"
    }

    public static func article(_ id: String) -> String { "articles/\(id)/index.html" }
    public static func entityList(_ kind: EntityKind) -> String { "\(kind.folder)/index.html" }
    /// An actor's or place's page; its mentions go on over further pages,
    /// `articlesPerEntityPage` articles each, newest first.
    public static func entity(_ ref: EntityRef, page: Int = 1) -> String {
        page <= 1 ? "\(ref.kind.folder)/\(ref.id)/index.html" : "\(ref.kind.folder)/\(ref.id)/page/\(page)/index.html"
    }
    /// Articles listed with their mentions per page of an actor or place.
    public static let articlesPerEntityPage = 50

    /// How many pages `count` items take, `perPage` each (at least one).
    public static func pageCount(_ count: Int, perPage: Int) -> Int {
        max(1, (count + perPage - 1) / perPage)
    }
    public static let noteList = "notes/index.html"
    /// Served by static hosts for paths that name no file.
    public static let notFound = "404.html"
    public static func note(_ id: String) -> String { "notes/\(id)/index.html" }
    /// The page that documents the files under `data/`.
    public static let data = "data/index.html"
    /// The search page; its index files lie beside it (`SearchFiles`).
    public static let search = "search/index.html"

    public static func target(_ target: LinkTarget) -> String {
        switch target {
        case .entity(let ref): entity(ref)
        case .article(let id): article(id)
        case .note(let id): note(id)
        }
    }

    /// The relative link from the page at `page` to the file at `target` (both site-relative).
    /// It runs for every link of every page: the depth is counted, not split out.
    public func href(from page: String, to target: String, fragment: String? = nil) -> String {
        var link = ""
        let depth = Self.depth(of: page)
        link.reserveCapacity(3 * depth + target.utf8.count + (fragment.map { $0.utf8.count + 1 } ?? 0))
        for _ in 0..<depth { link += "../" }
        if prettyURLs, target.hasSuffix("index.html") {
            link += target.dropLast("index.html".count)
            if link.isEmpty { link = "./" }
        } else {
            link += target
        }
        if let fragment {
            link += "#"
            link += fragment
        }
        return link
    }

    /// How many folders down a site-relative path lies: its non-empty parts less one.
    static func depth(of path: String) -> Int {
        var path = path
        let parts = path.withUTF8 { bytes in
            var parts = 0
            var previous = UInt8(ascii: "/")
            for byte in bytes {
                if previous == UInt8(ascii: "/"), byte != UInt8(ascii: "/") { parts += 1 }
                previous = byte
            }
            return parts
        }
        return max(parts - 1, 0)
    }
}

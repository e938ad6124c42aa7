/// The keys the layout is given on every page, but the page's title: they depend only on how
/// deep the page lies (its links climb that many folders) and on its section (the navigation
/// marks it), so each such object is made once and shared by all pages alike.
struct LayoutKeys: Sendable {
    private let config: SiteConfig
    private let paths: SitePaths
    /// The theme's words, `{{t.key}}`.
    private let words: TemplateValue
    private var made: [Place: TemplateObject] = [:]

    /// How deep a page lies and the first part of its path (its section, or its file name).
    private struct Place: Hashable {
        let depth: Int
        let section: String

        init(_ path: String) {
            let parts = path.split(separator: "/")
            depth = parts.count - 1
            section = parts.first.map(String.init) ?? ""
        }
    }

    /// The sections the navigation marks, by their folders.
    private static let sections = ["articles", "actors", "places", "notes", "search"]

    init(config: SiteConfig, paths: SitePaths, words: InterfaceStrings) {
        self.config = config
        self.paths = paths
        self.words = .object(TemplateObject(words: words.words))
        // Made ahead for where the site's pages lie (up to four folders down: an actor's or
        // place's further pages); `at` makes the keys for any other place when asked.
        let folders = Self.sections + [EntityKind.actor.folder, EntityKind.place.folder, "data"]
        let examples = [SitePaths.home, SitePaths.notFound] + folders.flatMap { folder in
            (1...4).map { depth in folder + String(repeating: "/x", count: depth - 1) + "/index.html" }
        }
        for path in examples { made[Place(path)] = keys(at: path) }
    }

    /// The layout's keys on the page at `path`.
    func at(_ path: String) -> TemplateObject {
        made[Place(path)] ?? keys(at: path)
    }

    /// A link to a feed, as the layout lists them in `feeds`.
    func feedLink(title: String, path feed: String, at path: String) -> TemplateObject {
        ["title": .string(title), "href": .string(paths.href(from: path, to: feed))]
    }

    private func keys(at path: String) -> TemplateObject {
        let place = Place(path)
        var keys: TemplateObject = [
            "lang": .string(config.language),
            "site_title": .string(config.title),
            "site_description": .string(config.description),
            "stylesheet": .string(paths.href(from: path, to: "assets/dossier.css")),
            "favicon": .string(paths.href(from: path, to: "assets/favicon.svg")),
            "nav": [
                "home": .string(paths.href(from: path, to: SitePaths.home)),
                "articles": .string(paths.href(from: path, to: SitePaths.articleList(page: 1))),
                "actors": .string(paths.href(from: path, to: SitePaths.entityList(.actor))),
                "places": .string(paths.href(from: path, to: SitePaths.entityList(.place))),
                "notes": .string(paths.href(from: path, to: SitePaths.noteList)),
                "search": .string(paths.href(from: path, to: SitePaths.search)),
                "data": .string(paths.href(from: path, to: SitePaths.data)),
            ],
            "in_home": .bool(path == SitePaths.home),
            "feeds": [.object(feedLink(title: config.title, path: "feed.xml", at: path))],
            "t": words,
            "json_ld": false,
        ]
        for section in Self.sections { keys["in_" + section] = .bool(place.section == section) }
        return keys
    }
}

import Foundation

/// The `render` stage: one page per article, actor, place and note, the home page and the
/// list pages, each a Mustache template filled with a context made from the archive.
///
/// A page's context is two values, the layout's keys below the page's (which win, as a page
/// may set `json_ld` and `feeds`): the layout's keys but the title depend only on how deep the
/// page lies and in which section, so they are made once for each (`LayoutKeys`).
public struct SiteRenderer: Sendable {
    public let archive: Archive
    public private(set) var theme: Theme
    private let paths: SitePaths
    /// The theme's words in the site's language.
    private let strings: InterfaceStrings
    private var layoutKeys: LayoutKeys
    /// What maps are drawn from; nil when there is nothing to draw.
    private let basemap: Basemap?
    /// The places with coordinates, most mentioned first (their names are placed first).
    private let mappedPlaces: [MappedPlace]
    /// The places each place holds (that lie `within` it), by the holder's id, in registry order.
    private let placesWithin: [String: [EntityRef]]
    /// What lists show of each article (by index in the archive) and of each actor and place.
    private let articleEntries: [ArticleEntry]
    private let entityEntries: [EntityRef: EntityEntry]

    /// A place as maps show it, and the frame of its own map.
    private struct MappedPlace: Sendable {
        let ref: EntityRef
        let mark: PlaceMap.Mark
        let frame: MapFrame
    }

    /// `basemap` is needed only when some place has coordinates (see `Basemap.builtIn`).
    public init(archive: Archive, theme: Theme, basemap: Basemap?) {
        self.archive = archive
        self.theme = theme
        self.paths = SitePaths(prettyURLs: archive.config.prettyURLs)
        self.strings = theme.strings(for: archive.config.language)
        self.layoutKeys = LayoutKeys(config: archive.config, paths: paths, words: strings)
        self.basemap = basemap
        placesWithin = archive.registry.entities.reduce(into: [:]) { within, place in
            if place.ref.kind == .place, let outer = place.within { within[outer, default: []].append(place.ref) }
        }
        articleEntries = Parallel.map(archive.articles) { ArticleEntry($0, language: archive.config.language) }
        entityEntries = Dictionary(archive.registry.entities.map { ($0.ref, EntityEntry($0, mentionCount: archive.mentionCount(of: $0.ref))) },
                                   uniquingKeysWith: { first, _ in first })
        mappedPlaces = basemap.map { basemap in
            archive.registry.entities.filter { $0.ref.kind == .place }
                .sorted { (-archive.mentionCount(of: $0.ref), $0.ref.id) < (-archive.mentionCount(of: $1.ref), $1.ref.id) }
                .compactMap { place in
                    guard let coordinate = place.coordinate else { return nil }
                    // A place that is a country is shown whole.
                    let country = basemap.country(namedAnyOf: [place.name] + place.aliases, around: coordinate)
                    return MappedPlace(ref: place.ref, mark: PlaceMap.Mark(name: place.name, coordinate: coordinate, country: country?.name),
                                       frame: country.map { MapFrame(enclosing: $0.mainBounds) } ?? MapFrame(around: coordinate))
                }
        } ?? []
    }

    /// The pages of the site, but for those whose fingerprint equals the one in `previous`
    /// (by path): their files from the last build are still right, and are not rendered again.
    /// Each page goes to `deliver` as soon as it is made (from any thread), so the pages of a
    /// large archive need not all be held at once.
    public func render(reusing previous: [String: UInt64], deliver: @Sendable (OutputFile) -> Void) -> RenderedSite {
        let fingerprints = PageFingerprints(self)
        let pages = Parallel.map(self.pages) { page in
            let path = self.path(of: page)
            return (page: page, path: path, fingerprint: fingerprints.of(page, at: path))
        }
        // Actors' and places' pages, the costliest, are rendered first: at the end no core is
        // left alone with a share of them. The results are put back in page order.
        let order = pages.indices.filter { pages[$0].page.isEntity } + pages.indices.filter { !pages[$0].page.isEntity }
        // Each chunk renders with a renderer of its own (`unshared`), made when it first renders
        // a page: after an edit, most chunks render none.
        let rendered = Parallel.map(order, state: { nil as SiteRenderer? }) { index, renderer -> (path: String, rendered: Bool, fingerprint: UInt64?) in
            let page = pages[index]
            if let fingerprint = page.fingerprint, previous[page.path] == fingerprint { return (page.path, false, fingerprint) }
            let own = renderer ?? unshared()
            renderer = own
            deliver(own.file(of: page.page))
            return (page.path, true, page.fingerprint)
        }
        var results = rendered
        for (result, index) in zip(rendered, order) { results[index] = result }
        return RenderedSite(rendered: results.filter(\.rendered).map(\.path), reused: results.filter { !$0.rendered }.map(\.path),
                            fingerprints: results.reduce(into: [:]) { $0[$1.path] = $1.fingerprint })
    }

    /// The same renderer for one thread: with templates and layout keys of its own, which every
    /// page reads. Shared by the cores, the reference counts of their parts, changed for every
    /// page by each core, kept each core waiting for the other's cache.
    func unshared() -> SiteRenderer {
        var renderer = self
        renderer.theme = theme.unshared()
        renderer.layoutKeys = LayoutKeys(config: archive.config, paths: paths, words: strings)
        return renderer
    }

    /// One page, rendered.
    func file(of page: Page) -> OutputFile {
        let (path, template, context) = self.context(of: page)
        return OutputFile(path: path, contents: Data(theme.render(template, context)))
    }

    /// The keys each page template is given, nested ones included: what a theme may use.
    /// Templates are checked against these rather than against one build's contexts, in which an
    /// optional key (a second archive page, an orphaned passage) may happen to be absent.
    /// A test renders a full fixture and requires its contexts to give exactly these keys.
    public static let pageKeys: [String: Set<String>] = {
        let layout: Set = ["lang", "site_title", "site_description", "page_title", "stylesheet", "favicon", "nav", "home", "articles",
                           "actors", "places", "notes", "search", "data", "in_home", "in_articles", "in_actors", "in_places", "in_notes", "in_search",
                           "feeds", "json_ld", "title", "href", "t"]
        let articleItem: Set = ["title", "href", "mention_count", "date", "date_display", "publisher", "author", "summary"]
        let entityItem: Set = ["name", "href", "kind", "count", "category"]
        let noteItem: Set = ["title", "href", "author", "date", "date_display", "publisher", "article_title", "article_href"]
        let items = articleItem.union(entityItem).union(noteItem)
        let entity = layout.union(items).union([
            "aliases", "has_aliases", "description_html", "links", "text", "has_links", "mentioned_in", "mentions", "before",
            "match", "after", "article_count", "articles_count_text", "timeline_svg", "has_notes", "contains", "has_contains", "wikidata", "id",
            "coordinate", "lat", "lon", "display", "within", "companions", "has_companions", "first_page", "pagination", "label",
            "previous", "next",
        ])
        return [
            "home": layout.union(items).union(["latest_articles", "latest_notes", "has_latest_notes", "top_actors",
                                               "has_top_actors", "top_places", "has_top_places", "archive_href"]),
            "list": layout.union(items).union(["heading", "items", "meta", "pagination", "label", "previous", "next", "groups",
                                               "group", "group_id", "letters", "has_letters", "kind_groups", "has_kind_groups",
                                               "map_svg"]),
            "article": layout.union(items).union(["related", "has_related", "shared", "title_html", "body_html", "authors_text", "has_actors", "has_places",
                                                  "has_notes", "orphans", "has_orphans", "quote", "note_title", "note_href",
                                                  "source_url", "article_lang"]),
            "actor": entity,
            "place": entity.union(["map_svg"]),
            "not-found": layout,
            "search": layout.union(["root", "search_meta", "search_script"]),
            "data": layout.union(["files", "file_id", "name", "href", "about", "has_columns", "columns", "column", "meaning"]),
            "note": layout.union(noteItem).union(entityItem).union(["body_html", "orphans", "has_orphans", "quote", "line",
                                                                    "about", "has_about", "article"]),
        ]
    }()

    /// The keys the pages of this archive were given, per template (for testing `pageKeys`).
    func givenKeys() -> [String: Set<String>] {
        var keys: [String: Set<String>] = [:]
        for page in pages {
            let (_, template, context) = self.context(of: page)
            keys[template, default: []].formUnion(context.reduce(into: Set<String>()) { $0.formUnion(Self.keys(of: $1)) })
        }
        return keys
    }

    /// A page of the site, as a value that any core can render.
    enum Page: Sendable {
        case home, notFound, noteList, search, data
        case articleList(page: Int, of: Int)
        case article(Int)
        case entityList(EntityKind)
        case entity(Int, page: Int, of: Int)
        case note(Int)

        var isEntity: Bool {
            if case .entity = self { true } else { false }
        }
    }

    var pages: [Page] {
        let listPages = SitePaths.pageCount(archive.articles.count, perPage: SitePaths.articlesPerPage)
        let entityPages = archive.registry.entities.indices.flatMap { index in
            let count = SitePaths.pageCount(archive.backlinks[archive.registry.entities[index].ref]?.count ?? 0,
                                            perPage: SitePaths.articlesPerEntityPage)
            return (1...count).map { Page.entity(index, page: $0, of: count) }
        }
        return [.home, .notFound, .noteList, .search, .data] + (1...listPages).map { .articleList(page: $0, of: listPages) }
            + archive.articles.indices.map(Page.article) + EntityKind.allCases.map(Page.entityList)
            + entityPages + archive.notes.indices.map(Page.note)
    }

    /// Where a page is written.
    func path(of page: Page) -> String {
        switch page {
        case .home: SitePaths.home
        case .notFound: SitePaths.notFound
        case .noteList: SitePaths.noteList
        case .search: SitePaths.search
        case .data: SitePaths.data
        case .articleList(let number, _): SitePaths.articleList(page: number)
        case .article(let index): SitePaths.article(archive.articles[index].article.id)
        case .entityList(let kind): SitePaths.entityList(kind)
        case .entity(let index, let number, _): SitePaths.entity(archive.registry.entities[index].ref, page: number)
        case .note(let index): SitePaths.note(archive.notes[index].note.id)
        }
    }

    /// A page's path, template and context: the layout's keys, then the page's, which win.
    func context(of page: Page) -> (path: String, template: String, context: [TemplateValue]) {
        let path = path(of: page)
        func made(_ template: String, _ title: String, _ context: TemplateObject) -> (String, String, [TemplateValue]) {
            var context = context
            context["page_title"] = .string(path == SitePaths.home ? archive.config.title : "\(title) – \(archive.config.title)")
            return (path, template, [.object(layoutKeys.at(path)), .object(context)])
        }
        switch page {
        case .home:
            return made("home", archive.config.title, homeContext(at: path))
        case .notFound:
            return made("not-found", strings["not_found_title"], [:])
        case .noteList:
            return made("list", strings["notes"], noteListContext(at: path))
        case .search:
            return made("search", strings["search"], [
                "root": .string(paths.href(from: path, to: "")),
                "search_meta": "meta.js",
                "search_script": .string(paths.href(from: path, to: "assets/search.js")),
            ])
        case .data:
            return made("data", strings["data"], dataContext(at: path))
        case .articleList(let number, let count):
            return made("list", strings["articles"], articleListContext(page: number, of: count, at: path))
        case .article(let index):
            return made("article", archive.articles[index].article.title, articleContext(index, at: path))
        case .entityList(let kind):
            return made("list", heading(for: kind), entityListContext(kind, at: path))
        case .entity(let index, let number, let count):
            let entity = archive.registry.entities[index]
            let title = number == 1 ? entity.name : "\(entity.name) (\(strings.format("page_of", ["page": String(number), "pages": String(count)])))"
            return made(entity.ref.kind.rawValue, title, entityContext(entity, page: number, of: count, at: path))
        case .note(let index):
            let linked = archive.notes[index]
            return made("note", linked.note.title, noteContext(linked, at: path))
        }
    }

    /// Every key of a context, nested ones included (but for the words under `t`, which the
    /// theme checks against its strings files).
    private static func keys(of value: TemplateValue) -> Set<String> {
        switch value {
        case .object(let object):
            return object.keys.reduce(into: Set(object.keys)) { $0.formUnion($1 == "t" ? [] : keys(of: object[$1] ?? false)) }
        case .list(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion(keys(of: $1)) }
        case .string, .bool, .number:
            return []
        }
    }

    // MARK: - Pages

    private func homeContext(at path: String) -> TemplateObject {
        let top: (EntityKind) -> [TemplateObject] = { kind in
            archive.registry.entities.filter { $0.ref.kind == kind && archive.mentionCount(of: $0.ref) > 0 }
                .sorted { (-archive.mentionCount(of: $0.ref), $0.ref.id) < (-archive.mentionCount(of: $1.ref), $1.ref.id) }
                .prefix(10).compactMap { entityItem($0.ref, at: path) }
        }
        let topActors = top(.actor)
        let topPlaces = top(.place)
        return [
            "latest_articles": TemplateValue(archive.articles.indices.prefix(10).map { articleItem($0, at: path) }),
            "latest_notes": TemplateValue(archive.notes.prefix(5).map { noteItem($0, at: path) }),
            "has_latest_notes": .bool(!archive.notes.isEmpty),
            "top_actors": TemplateValue(topActors),
            "has_top_actors": .bool(!topActors.isEmpty),
            "top_places": TemplateValue(topPlaces),
            "has_top_places": .bool(!topPlaces.isEmpty),
            "archive_href": .string(paths.href(from: path, to: SitePaths.articleList(page: 1))),
            "json_ld": .string(StructuredData.website(archive.config)),
        ]
    }

    /// One page of the archive, newest first, grouped by month.
    private func articleListContext(page number: Int, of count: Int, at path: String) -> TemplateObject {
        let start = (number - 1) * SitePaths.articlesPerPage
        let language = archive.config.language
        var groups: [(month: String?, label: String, items: [TemplateObject])] = []
        for index in archive.articles.indices.dropFirst(start).prefix(SitePaths.articlesPerPage) {
            let entry = articleEntries[index]
            var item = articleItem(index, at: path)
            item["meta"] = Self.meta([entry.dayText, entry.publisher])
            if groups.last?.month == entry.month, !groups.isEmpty {
                groups[groups.count - 1].items.append(item)
            } else {
                let label = archive.articles[index].article.date.map { DateDisplay.month($0, language: language) } ?? strings["undated"]
                groups.append((entry.month, label, [item]))
            }
        }
        return [
            "heading": .string(strings["articles"]),
            "groups": TemplateValue(groups.map { Self.group($0.label, id: $0.month.map { "m-" + $0 } ?? "ohne-datum", items: $0.items) }),
            "pagination": pagination(page: number, of: count, at: path, pageAt: SitePaths.articleList),
        ]
    }

    /// Links to the page before and after; false when there is only one.
    private func pagination(page number: Int, of count: Int, at path: String, pageAt: (Int) -> String) -> TemplateValue {
        guard count > 1 else { return false }
        return [
            "label": .string(strings.format("page_of", ["page": String(number), "pages": String(count)])),
            "previous": number > 1 ? .string(paths.href(from: path, to: pageAt(number - 1))) : false,
            "next": number < count ? .string(paths.href(from: path, to: pageAt(number + 1))) : false,
        ]
    }

    /// All actors or places, A–Z with a letter bar, and again grouped by kind.
    private func entityListContext(_ kind: EntityKind, at path: String) -> TemplateObject {
        let entities = archive.registry.entities.filter { $0.ref.kind == kind }
        func item(_ entity: Entity) -> TemplateObject {
            var item = entityItem(entity.ref, at: path) ?? [:]
            let count = archive.mentionCount(of: entity.ref)
            item["title"] = .string(entity.name)
            item["summary"] = entity.aliases.isEmpty ? false : .string(entity.aliases.joined(separator: ", "))
            item["meta"] = Self.meta([entity.category, strings.count(count, one: "mention_one", other: "mentions_other")])
            return item
        }
        let byLetter = Dictionary(grouping: entities) { Self.initial(of: $0.name) }
        // A to Z, then `#` for names that start otherwise.
        let letters = byLetter.keys.filter { $0 != "#" }.sorted() + (byLetter["#"] == nil ? [] : ["#"])
        func letterID(_ letter: String) -> String { "buchstabe-" + (letter == "#" ? "andere" : letter.lowercased()) }
        let letterGroups = letters.map { Self.group($0, id: letterID($0), items: byLetter[$0, default: []].map(item)) }
        let byKind = Dictionary(grouping: entities) { $0.category ?? strings["no_kind"] }
        let kindGroups = byKind.keys.sorted().map { category in
            Self.group(category, id: "art-" + Slug.make(from: category), items: byKind[category, default: []].compactMap { entityItem($0.ref, at: path) })
        }
        return [
            "heading": .string(heading(for: kind)),
            "groups": TemplateValue(letterGroups),
            "letters": TemplateValue(letters.map { ["group": .string($0), "group_id": .string(letterID($0))] }),
            "has_letters": .bool(letters.count > 1),
            "kind_groups": TemplateValue(kindGroups),
            "has_kind_groups": .bool(byKind.count > 1),
            "map_svg": TemplateValue(kind == .place ? placesMap() : nil),
        ]
    }

    /// The data page: each file under `data/`, what it holds and, for a CSV, each column.
    private func dataContext(at path: String) -> TemplateObject {
        let files = DataExport.files.map { file -> TemplateObject in
            let stem = file.name.split(separator: ".").first.map(String.init) ?? file.name
            return [
                "name": .string(file.name),
                "file_id": .string("file-" + stem),
                "href": .string(paths.href(from: path, to: "data/" + file.name)),
                "about": .string(strings["data_" + stem]),
                "has_columns": .bool(!file.columns.isEmpty),
                "columns": TemplateValue(file.columns.map { ["column": .string($0), "meaning": .string(strings["data_\(stem)_\($0)"])] }),
            ]
        }
        return ["files": TemplateValue(files)]
    }

    /// A map of every place with coordinates.
    private func placesMap() -> String? {
        guard let basemap, let box = GeoBox(around: mappedPlaces.map(\.mark.coordinate)) else { return nil }
        return PlaceMap(frame: MapFrame(enclosing: box), basemap: basemap)
            .svg(here: nil, others: mappedPlaces.map(\.mark), label: strings["places_map_label"])
    }

    /// A map of a place among its neighbours, with the other places in its frame.
    private func map(of place: Entity) -> String? {
        guard let basemap, let here = mappedPlaces.first(where: { $0.ref == place.ref }) else { return nil }
        return PlaceMap(frame: here.frame, basemap: basemap)
            .svg(here: here.mark, others: mappedPlaces.filter { $0.ref != place.ref }.map(\.mark),
                 label: strings.format("map_label", ["name": place.name]))
    }

    private func noteListContext(at path: String) -> TemplateObject {
        [
            "heading": .string(strings["notes"]),
            "groups": TemplateValue([Self.group(nil, id: nil, items: archive.notes.map { linked -> TemplateObject in
                var item = noteItem(linked, at: path)
                item["summary"] = false
                item["meta"] = Self.meta([linked.note.author,
                                          linked.note.date.map { DateDisplay.text($0, language: archive.config.language) }])
                return item
            })]),
        ]
    }

    private static func group(_ label: String?, id: String?, items: [TemplateObject]) -> TemplateObject {
        ["group": TemplateValue(label), "group_id": TemplateValue(id), "items": TemplateValue(items)]
    }

    /// The letter an index files a name under: its first letter, folded to A–Z, else `#`.
    private static func initial(of name: String) -> String {
        guard let first = TextFolding.fold(name).unicodeScalars.first(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }),
              ("a"..."z").contains(first) else { return "#" }
        return String(first).uppercased()
    }

    private func articleContext(_ index: Int, at path: String) -> TemplateObject {
        let linked = archive.articles[index]
        let article = linked.article
        var counts: [EntityRef: Int] = [:]
        for mention in linked.mentions { counts[mention.entity, default: 0] += 1 }
        // The link to each entity mentioned, escaped, made once however often it is mentioned.
        let entityHrefs = Dictionary(uniqueKeysWithValues: counts.keys.map { ($0, HTML.escape(paths.href(from: path, to: SitePaths.entity($0)))) })
        let marks = linked.mentions.map { mentionMark($0, href: entityHrefs[$0.entity] ?? "") } + linked.links.map { linkMark($0, at: path) }
        let headlineMarks = linked.mentions.filter(\.inHeadline).map { mentionMark($0, href: entityHrefs[$0.entity] ?? "") }
        let annotations = annotations(of: article.id, at: path)
        let document = switch article.body {
        case .markdown(let source): MarkdownDocument(source)
        case .plainText(let document): MarkdownDocument(document, of: article.file)
        }
        // Each passage in a layer of its own: passages of different notes may overlap.
        let body = document.renderHTML(layers: [marks] + annotations.marks.map { [$0] }, beside: annotations.asides,
                                       unsafe: archive.config.unsafeHTML)
        let mentioned: (EntityKind) -> [TemplateObject] = { kind in
            counts.keys.filter { $0.kind == kind }.compactMap { entityEntries[$0] }
                .sorted { (-counts[$0.ref, default: 0], $0.name) < (-counts[$1.ref, default: 0], $1.name) }
                .map { entity in
                    var item = entityItem(entity, at: path)
                    item["count"] = .number(counts[entity.ref, default: 0])
                    return item
                }
        }
        let actors = mentioned(.actor)
        let places = mentioned(.place)
        let notes = (archive.notesByArticle[article.id] ?? []).map { noteItem(archive.notes[$0], at: path) }
        let related = archive.related[index].map { entry -> TemplateObject in
            var item = articleItem(entry.other, at: path)
            item["shared"] = .number(entry.shared)
            return item
        }
        var context = articleItem(index, at: path)
        context["title_html"] = .string(HTML.markedText(article.title, offsets: article.titleOffsets, marks: headlineMarks))
        context["body_html"] = .string(body)
        context["authors_text"] = article.authors.isEmpty ? false : .string(article.authors.joined(separator: ", "))
        context["actors"] = TemplateValue(actors)
        context["has_actors"] = .bool(!actors.isEmpty)
        context["places"] = TemplateValue(places)
        context["has_places"] = .bool(!places.isEmpty)
        context["notes"] = TemplateValue(notes)
        context["has_notes"] = .bool(!notes.isEmpty)
        context["related"] = TemplateValue(related)
        context["has_related"] = .bool(!related.isEmpty)
        context["orphans"] = TemplateValue(annotations.orphans)
        context["has_orphans"] = .bool(!annotations.orphans.isEmpty)
        context["source_url"] = TemplateValue(article.url.flatMap(HTML.webURL))
        context["json_ld"] = .string(StructuredData.article(linked, archive: archive, at: path, paths: paths))
        context["article_lang"] = TemplateValue(article.language.flatMap { $0 == archive.config.language ? nil : $0 })
        return context
    }

    /// An actor's or place's page: what it is, then the articles that mention it, newest first,
    /// `articlesPerEntityPage` a page; the description, map, timeline, notes and companions
    /// stand on the first page only.
    private func entityContext(_ entity: Entity, page number: Int, of count: Int, at path: String) -> TemplateObject {
        let backlinks = archive.backlinks[entity.ref] ?? []
        let start = (number - 1) * SitePaths.articlesPerEntityPage
        // Values made as they are listed: the longest lists of the site.
        let mentionedIn = backlinks.dropFirst(start).prefix(SitePaths.articlesPerEntityPage).map { backlink -> TemplateValue in
            var item = articleItem(backlink.article, at: path)
            let articleHref = paths.href(from: path, to: SitePaths.article(articleEntries[backlink.article].id))
            item["mentions"] = .list(backlink.mentions.map { mention -> TemplateValue in
                [
                    "before": .string(mention.context.before),
                    "match": .string(mention.context.match),
                    "after": .string(mention.context.after),
                    "href": .string(articleHref + "#m-\(mention.ordinal)"),
                ]
            })
            return .object(item)
        }
        let links = entity.links.compactMap(HTML.webURL).map { ["href": .string($0), "text": .string($0)] as TemplateObject }
        let first = number == 1
        let notes = first ? (archive.noteBacklinks[entity.ref] ?? []).map { noteItem(archive.notes[$0], at: path) } : []
        let contained = entity.ref.kind == .place
            ? (placesWithin[entity.ref.id] ?? []).compactMap { entityItem($0, at: path) }
            : []
        var context = entityItem(entity.ref, at: path) ?? [:]
        let aliases = entity.aliases + entity.shownAliases
        context["aliases"] = .list(aliases.map(TemplateValue.string))
        context["has_aliases"] = .bool(!aliases.isEmpty)
        context["first_page"] = .bool(first)
        context["description_html"] = .string(first ? renderMarkdown(archive.descriptions[entity.ref], at: path) : "")
        context["links"] = TemplateValue(links)
        context["has_links"] = .bool(!links.isEmpty)
        context["mentioned_in"] = .list(mentionedIn)
        context["mention_count"] = .number(archive.mentionCount(of: entity.ref))
        context["article_count"] = .number(backlinks.count)
        context["articles_count_text"] = .string(strings.count(backlinks.count, one: "in_article_one", other: "in_articles_other"))
        context["pagination"] = pagination(page: number, of: count, at: path) { SitePaths.entity(entity.ref, page: $0) }
        context["notes"] = TemplateValue(notes)
        context["has_notes"] = .bool(!notes.isEmpty)
        context["contains"] = TemplateValue(contained)
        context["has_contains"] = .bool(!contained.isEmpty)
        context["wikidata"] = entity.wikidata.flatMap { id -> TemplateValue? in
            id.wholeMatch(of: /Q[0-9]+/) == nil ? nil : ["id": .string(id), "href": .string("https://www.wikidata.org/wiki/\(id)")]
        } ?? false
        context["coordinate"] = entity.coordinate.map { coordinate -> TemplateValue in
            ["lat": .string(String(coordinate.latitude)), "lon": .string(String(coordinate.longitude)),
             "display": .string(Self.coordinateText(coordinate))]
        } ?? false
        context["json_ld"] = .string(StructuredData.entity(entity))
        var months: [String: Int] = [:]
        for backlink in first ? backlinks : [] {
            if let month = articleEntries[backlink.article].month { months[month, default: 0] += backlink.mentions.count }
        }
        context["timeline_svg"] = TemplateValue(TimelineChart.svg(months, language: archive.config.language,
                                                                  label: strings.format("timeline_label", ["name": entity.name])))
        if !backlinks.isEmpty {
            context["feeds"] = TemplateValue([layoutKeys.feedLink(title: archive.config.title, path: "feed.xml", at: path),
                                              layoutKeys.feedLink(title: "\(entity.name) – \(archive.config.title)",
                                                                  path: Feeds.feedPath(of: entity.ref), at: path)])
        }
        let companions = (first ? archive.companions[entity.ref] ?? [] : []).compactMap { companion -> TemplateObject? in
            guard var item = entityItem(companion.entity, at: path) else { return nil }
            item["count"] = .number(companion.articles)
            return item
        }
        context["companions"] = TemplateValue(companions)
        context["has_companions"] = .bool(!companions.isEmpty)
        context["within"] = entity.within.flatMap { entityItem(EntityRef(.place, $0), at: path) }.map(TemplateValue.object) ?? false
        if entity.ref.kind == .place {
            context["map_svg"] = TemplateValue(first ? map(of: entity) : nil)
        }
        return context
    }

    /// The passages the notes on an article quote: a mark on each, its commentary beside it,
    /// and the orphans, whose quotes are no longer in the article.
    private func annotations(of articleID: String, at path: String)
        -> (marks: [InlineMark], asides: [(offset: Int, html: String)], orphans: [TemplateObject]) {
        var marks: [InlineMark] = []
        var asides: [(offset: Int, html: String)] = []
        var orphans: [TemplateObject] = []
        for index in archive.notesByArticle[articleID] ?? [] {
            let linked = archive.notes[index]
            let note = linked.note
            let noteHref = paths.href(from: path, to: SitePaths.note(note.id))
            let commentaries = renderNote(linked, at: path).commentaries
            for passage in linked.passages {
                guard let anchor = passage.anchor else {
                    orphans.append(["quote": .string(passage.quote), "note_title": .string(note.title), "note_href": .string(noteHref)])
                    continue
                }
                let id = passage.elementID(in: note.id)
                let attributes = "class=\"passage\" data-note=\"\(HTML.escape(note.id))\""
                marks.append(InlineMark(range: anchor.range, open: "<mark \(attributes)>", close: "</mark>",
                                        firstOpen: "<mark \(attributes) id=\"\(HTML.escape(id))\">", splittable: true))
                let byline = note.author.map { " · " + HTML.escape($0) } ?? ""
                let commentary = passage.number <= commentaries.count ? commentaries[passage.number - 1] : ""
                asides.append((anchor.range.upperBound - 1, """
                    <aside class="annotation" aria-label="\(HTML.escape(strings.format("note_label", ["title": note.title])))">
                    <p class="annotation-source"><a href="\(HTML.escape(noteHref))">\(HTML.escape(note.title))</a>\(byline)</p>
                    \(commentary)</aside>
                    """))
            }
        }
        return (marks, asides, orphans)
    }

    /// A note's HTML, with a link after each quote to its passage (or the word that it is orphaned),
    /// and the commentary after each quote.
    private func renderNote(_ linked: LinkedNote, at path: String) -> (html: String, commentaries: [String]) {
        let note = linked.note
        let afterQuote = linked.passages.map { passage -> String in
            guard passage.anchor != nil, let articleID = note.articleID else {
                return "<p class=\"passage-orphan\" id=\"passage-\(passage.number)\">\(HTML.escape(strings["orphaned_passage"]))</p>"
            }
            let href = paths.href(from: path, to: SitePaths.article(articleID), fragment: passage.elementID(in: note.id))
            return "<p class=\"passage-link\" id=\"passage-\(passage.number)\"><a href=\"\(HTML.escape(href))\">\(HTML.escape(strings["to_passage"]))</a></p>"
        }
        return MarkdownDocument(linked.body.source).renderNote(marks: linked.body.links.map { linkMark($0, at: path) },
                                                               afterQuote: afterQuote, unsafe: archive.config.unsafeHTML)
    }

    private func noteContext(_ linked: LinkedNote, at path: String) -> TemplateObject {
        let note = linked.note
        let about = note.about.flatMap { archive.registry.entities(withID: $0.id) }.compactMap { entityItem($0, at: path) }
        var context = noteItem(linked, at: path)
        let orphans = linked.passages.filter { $0.anchor == nil }.map { ["quote": .string($0.quote), "line": .number($0.line)] as TemplateObject }
        context["body_html"] = .string(renderNote(linked, at: path).html)
        context["orphans"] = TemplateValue(orphans)
        context["has_orphans"] = .bool(!orphans.isEmpty)
        context["about"] = TemplateValue(about)
        context["has_about"] = .bool(!about.isEmpty)
        context["article"] = note.articleID.flatMap(archive.article(withID:)).map { article -> TemplateValue in
            ["title": .string(article.article.title), "href": .string(paths.href(from: path, to: SitePaths.article(article.article.id)))]
        } ?? false
        return context
    }

    // MARK: - Items and marks

    // Items set every key their templates ask for, absent ones to `false`: Mustache looks a
    // missing key up in the enclosing contexts and would show the page's value instead.

    /// The article at `index` in the archive.
    private func articleItem(_ index: Int, at path: String) -> TemplateObject {
        let entry = articleEntries[index]
        return [
            "title": .string(entry.title),
            "href": .string(paths.href(from: path, to: SitePaths.article(entry.id))),
            "mention_count": .number(entry.mentionCount),
            "date": TemplateValue(entry.day),
            "date_display": TemplateValue(entry.dayText),
            "publisher": TemplateValue(entry.publisher),
            "author": false,
            "summary": TemplateValue(entry.summary),
        ]
    }

    /// An actor or place; nil when there is none by that reference.
    private func entityItem(_ ref: EntityRef, at path: String) -> TemplateObject? {
        entityEntries[ref].map { entityItem($0, at: path) }
    }

    private func entityItem(_ entity: EntityEntry, at path: String) -> TemplateObject {
        [
            "name": .string(entity.name),
            "href": .string(paths.href(from: path, to: SitePaths.entity(entity.ref))),
            "kind": .string(entity.ref.kind.rawValue),
            "count": entity.mentionCount > 0 ? .number(entity.mentionCount) : false,
            "category": TemplateValue(entity.category),
        ]
    }

    private func noteItem(_ linked: LinkedNote, at path: String) -> TemplateObject {
        let note = linked.note
        let article = note.articleID.flatMap { archive.articleIndex[$0] }.map { articleEntries[$0] }
        return [
            "title": .string(note.title),
            "href": .string(paths.href(from: path, to: SitePaths.note(note.id))),
            "author": TemplateValue(note.author),
            "date": TemplateValue(note.date?.day),
            "date_display": TemplateValue(note.date.map { DateDisplay.text($0, language: archive.config.language) }),
            "publisher": false,
            "article_title": TemplateValue(article?.title),
            "article_href": TemplateValue(article.map { paths.href(from: path, to: SitePaths.article($0.id)) }),
        ]
    }

    /// A mention as a link to its entity, at `href` (escaped).
    private func mentionMark(_ mention: Mention, href: String) -> InlineMark {
        InlineMark(range: mention.range,
                   open: "<a class=\"mention mention-\(mention.entity.kind.rawValue)\" id=\"m-\(mention.ordinal)\" href=\"\(href)\">",
                   close: "</a>", replacement: mention.label)
    }

    private func linkMark(_ link: WikiLink, at path: String) -> InlineMark {
        let href = HTML.escape(paths.href(from: path, to: SitePaths.target(link.target)))
        return InlineMark(range: link.range, open: "<a class=\"wiki-link\" href=\"\(href)\">", close: "</a>", replacement: link.label)
    }

    private func renderMarkdown(_ linked: LinkedMarkdown?, at path: String) -> String {
        guard let linked else { return "" }
        return MarkdownDocument(linked.source).renderHTML(marks: linked.links.map { linkMark($0, at: path) },
                                                          unsafe: archive.config.unsafeHTML)
    }

    /// The parts that are there, joined; false when none is.
    private static func meta(_ parts: [String?]) -> TemplateValue {
        let present = parts.compactMap { $0 }
        return present.isEmpty ? false : .string(present.joined(separator: " · "))
    }

    private func heading(for kind: EntityKind) -> String {
        strings[kind.folder]
    }

    /// `36.51° N, 36.87° E`.
    private static func coordinateText(_ coordinate: Coordinate) -> String {
        func format(_ value: Double, _ positive: String, _ negative: String) -> String {
            let rounded = (abs(value) * 10_000).rounded() / 10_000
            return "\(rounded)° \(value >= 0 ? positive : negative)"
        }
        return format(coordinate.latitude, "N", "S") + ", " + format(coordinate.longitude, "E", "W")
    }
}

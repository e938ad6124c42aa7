import Yams

/// Reads one article file: front matter and a Markdown or plain-text body.
enum ArticleLoader {
    static func load(id: String, file: SourceText, format: ArticleFormat, _ diagnostics: inout [Diagnostic]) -> Article? {
        guard let split = FrontMatterSplit.split(file, &diagnostics) else { return nil }
        var fields = FrontMatterFields(split, of: file)
        let title: String?
        let titleOffsets: [Int]?
        let body: ArticleBody
        switch format {
        case .markdown:
            title = fields.string("title", required: true)
            titleOffsets = title.flatMap { title in
                fields.scalarOffset("title").flatMap { locate(title, in: file, from: $0, frontMatterEnd: split.body.lowerBound) }
            }
            body = .markdown(MarkdownSource(file: file, range: split.body, firstLine: split.bodyFirstLine))
        case .plainText:
            guard let document = PlainTextDocument.parse(file, from: split.body.lowerBound) else {
                diagnostics.append(.error(.load, at: file.location(line: split.bodyFirstLine),
                                          "empty article: a plain-text article starts with its headline"))
                return nil
            }
            title = file.slice(document.headline)
            titleOffsets = Array(document.headline)
            body = .plainText(document)
        }
        let date = fields.date("date")
        let publisher = fields.string("source")
        let url = fields.string("url")
        let language = fields.string("language")
        let authors = fields.strings("author") + fields.strings("authors")
        let summary = fields.string("summary")
        let unlinked = fields.strings("unlinked")
        fields.finish()
        diagnostics += fields.diagnostics
        guard let title, !fields.hasErrors else { return nil }
        return Article(id: id, file: file, format: format, title: title, titleOffsets: titleOffsets, date: date,
                       publisher: publisher, url: url, language: language, authors: authors, summary: summary,
                       unlinked: unlinked, body: body)
    }

    /// The offsets of a front-matter value in the file, quotes and escapes passed over. Only
    /// the front matter is decoded for it, unless the value does not end there (as it always
    /// should): no entity or escape of the front matter reads past its closing line, so an
    /// alignment found within it is the one found in the whole file.
    private static func locate(_ value: String, in file: SourceText, from start: Int, frontMatterEnd: Int) -> [Int]? {
        func skippable(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\"" || scalar == "'" || SourceAlignment.isLayout(scalar)
        }
        let end = max(start, frontMatterEnd)
        if let offsets = SourceAlignment.offsets(of: value.unicodeScalars, in: file.window(start..<end), from: start, skippable: skippable) {
            return offsets
        }
        guard end < file.scalarCount else { return nil }
        return SourceAlignment.offsets(of: value.unicodeScalars, in: file.window(start..<file.scalarCount), from: start, skippable: skippable)
    }
}

/// Reads one actor or place file.
enum EntityLoader {
    static func load(_ ref: EntityRef, file: SourceText, _ diagnostics: inout [Diagnostic]) -> Entity? {
        guard let split = FrontMatterSplit.split(file, &diagnostics) else { return nil }
        var fields = FrontMatterFields(split, of: file)
        let name = fields.string("name", required: true)
        let aliases = fields.strings("aliases")
        let shownAliases = fields.strings("shown_aliases")
        let category = fields.string("kind")
        let wikidata = fields.string("wikidata")
        let links = fields.strings("links")
        var coordinate: Coordinate?
        var coordinateProblems: [Diagnostic] = []
        var within: String?
        var withinLocation: SourceLocation?
        if ref.kind == .place {
            let latitude = fields.number("lat")
            let longitude = fields.number("lon")
            switch (latitude, longitude) {
            case let (latitude?, longitude?):
                if (-90...90).contains(latitude), (-180...180).contains(longitude) {
                    coordinate = Coordinate(latitude: latitude, longitude: longitude)
                } else {
                    coordinateProblems.append(.error(.load, at: fields.location(of: "lat"),
                                                     "coordinates out of range: lat must lie in -90...90 and lon in -180...180"))
                }
            case (nil, nil): break
            default:
                coordinateProblems.append(.error(.load, at: fields.location(of: latitude == nil ? "lon" : "lat"),
                                                 "a place needs both 'lat' and 'lon', or neither"))
            }
            within = fields.string("within")
            withinLocation = fields.location(of: "within")
        }
        fields.finish()
        diagnostics += fields.diagnostics + coordinateProblems
        guard let name, !fields.hasErrors, coordinateProblems.isEmpty else { return nil }
        return Entity(ref: ref, name: name, aliases: aliases, shownAliases: shownAliases, category: category, wikidata: wikidata, links: links,
                      coordinate: coordinate, within: within, withinLocation: withinLocation,
                      description: MarkdownSource(file: file, range: split.body, firstLine: split.bodyFirstLine))
    }
}

/// Reads one editor's note.
enum NoteLoader {
    static func load(id: String, file: SourceText, _ diagnostics: inout [Diagnostic]) -> Note? {
        guard let split = FrontMatterSplit.split(file, &diagnostics) else { return nil }
        var fields = FrontMatterFields(split, of: file)
        let title = fields.string("title", required: true)
        let author = fields.string("author")
        let date = fields.date("date")
        let articleID = fields.string("article")
        let articleLocation = fields.location(of: "article")
        let aboutLocation = fields.location(of: "about")
        let about = fields.strings("about").map { (id: $0, location: aboutLocation) }
        fields.finish()
        diagnostics += fields.diagnostics
        guard let title, !fields.hasErrors else { return nil }
        return Note(id: id, title: title, author: author, date: date, articleID: articleID,
                    articleLocation: articleID == nil ? nil : articleLocation, about: about,
                    body: MarkdownSource(file: file, range: split.body, firstLine: split.bodyFirstLine))
    }
}

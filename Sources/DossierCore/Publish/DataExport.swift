import Foundation

/// The archive's data for researchers, under `public/data/`.
public enum DataExport {
    /// The files under `data/` and the columns of each CSV, in the order the data page and the
    /// README document them. Each CSV's header is its list here.
    public static let files: [(name: String, columns: [String])] = [
        ("mentions.csv", ["article", "entity", "text", "start", "end", "line"]),
        ("entities.csv", ["entity", "kind", "name", "aliases", "category", "mentions", "articles", "lat", "lon", "within", "wikidata"]),
        ("articles.csv", ["article", "title", "date", "source", "url", "language", "authors", "mentions", "entities", "file"]),
        ("archive.json", []),
        ("notes.jsonld", []),
    ]

    private static func columns(of file: String) -> [String] {
        files.first { $0.name == file }?.columns ?? []
    }

    /// `data/mentions.csv`: one row per mention. `start`/`end` are Unicode-scalar offsets into
    /// the article's source file (end exclusive), `line` is 1-based.
    struct MentionsCSV: PartedFile {
        let path = "data/mentions.csv"
        let head = CSV(header: columns(of: "mentions.csv")).bytes

        func write(_ linked: LinkedArticle, into csv: inout CSV) {
            for mention in linked.mentions {
                csv.cell(linked.article.id)
                csv.cell(mention.entity.id)
                csv.cell(mention.text)
                csv.cell(mention.range.lowerBound)
                csv.cell(mention.range.upperBound)
                csv.cell(mention.line)
                csv.endRow()
            }
        }
    }

    /// The indices of the archive's articles, ordered by id: the order of the data files.
    static func articlesByID(_ archive: Archive) -> [Int] {
        let ids = archive.articles.map(\.article.id)
        return ids.indices.sorted { ids[$0] < ids[$1] }
    }
}

extension DataExport {
    /// `data/entities.csv`: one row per actor and place.
    public static func entitiesCSV(_ archive: Archive) -> OutputFile {
        var csv = CSV(header: columns(of: "entities.csv"))
        for entity in archive.registry.entities {
            csv.append([entity.ref.id, entity.ref.kind.rawValue, entity.name, entity.aliases.joined(separator: "|"),
                        entity.category ?? "", String(archive.mentionCount(of: entity.ref)),
                        String(archive.backlinks[entity.ref]?.count ?? 0),
                        entity.coordinate.map { String($0.latitude) } ?? "", entity.coordinate.map { String($0.longitude) } ?? "",
                        entity.within ?? "", entity.wikidata ?? ""])
        }
        return OutputFile(path: "data/entities.csv", contents: Data(csv.bytes))
    }

    /// `data/articles.csv`: one row per article.
    struct ArticlesCSV: PartedFile {
        let path = "data/articles.csv"
        let head = CSV(header: columns(of: "articles.csv")).bytes
        /// The site's, for articles that name none.
        let language: String

        func write(_ linked: LinkedArticle, into csv: inout CSV) {
            let article = linked.article
            for value in [article.id, article.title, article.date?.timestamp ?? "", article.publisher ?? "", article.url ?? "",
                          article.language ?? language, article.authors.joined(separator: "|")] {
                csv.cell(value)
            }
            csv.cell(linked.mentions.count)
            csv.cell(Set(linked.mentions.map(\.entity)).count)
            csv.cell(article.file.path)
            csv.endRow()
        }
    }

    /// `data/archive.json`: the whole archive in one file: the site, every article with its
    /// mentions, every entity, every note with its passages. The articles, nearly all of the
    /// file, are written by hand; the rest, the tail, through the encoder. Keys sorted.
    struct ArchiveJSON: PartedFile {
        let path = "data/archive.json"
        let head = Array("{\"articles\":[".utf8)
        let separator = [UInt8(ascii: ",")]
        let tail: [UInt8]
        let language: String

        init(_ archive: Archive) {
            tail = DataExport.tail(of: archive)
            language = archive.config.language
        }

        func write(_ linked: LinkedArticle, into json: inout JSONText) {
            articleJSON(linked, language: language, into: &json)
        }
    }

    /// What follows the articles in `archive.json`: the entities, notes and site. The entities,
    /// one per actor and place, are written by hand too (through the encoder they took about
    /// 2% of a rebuild's CPU); the few notes and the site go through the encoder.
    private static func tail(of archive: Archive) -> [UInt8] {
        let document = ArchiveDocument(
            site: .init(title: archive.config.title, language: archive.config.language, description: archive.config.description),
            notes: archive.notes.sorted(by: { $0.note.id < $1.note.id }).map { linked in
                .init(id: linked.note.id, title: linked.note.title, author: .init(linked.note.author),
                      date: .init(linked.note.date?.timestamp), article: .init(linked.note.articleID), about: linked.note.about.map(\.id),
                      passages: linked.passages.map {
                          .init(quote: $0.quote, start: .init($0.anchor?.range.lowerBound), end: .init($0.anchor?.range.upperBound))
                      })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func encoded(_ value: some Encodable) -> String {
            (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        }
        var tail = JSONText()
        tail.raw(UInt8(ascii: "]"))
        tail.key("entities")
        tail.array(archive.registry.entities) { json, entity in
            entityJSON(entity, mentions: archive.mentionCount(of: entity.ref), into: &json)
        }
        tail.key("notes")
        tail.raw(encoded(document.notes))
        tail.key("site")
        tail.raw(encoded(document.site))
        tail.raw("}\n")
        return tail.bytes
    }

    /// An entity of `archive.json`, its keys in sorted order.
    private static func entityJSON(_ entity: Entity, mentions: Int, into json: inout JSONText) {
        json.raw(UInt8(ascii: "{"))
        json.key("aliases", first: true)
        json.array(entity.aliases) { $0.string($1) }
        json.key("category")
        json.optional(entity.category)
        json.key("id")
        json.string(entity.ref.id)
        json.key("kind")
        json.string(entity.ref.kind.rawValue)
        json.key("lat")
        json.optional(entity.coordinate?.latitude)
        json.key("lon")
        json.optional(entity.coordinate?.longitude)
        json.key("mentions")
        json.number(mentions)
        json.key("name")
        json.string(entity.name)
        json.key("wikidata")
        json.optional(entity.wikidata)
        json.key("within")
        json.optional(entity.within)
        json.raw(UInt8(ascii: "}"))
    }

    /// An article of `archive.json`, its keys in sorted order.
    private static func articleJSON(_ linked: LinkedArticle, language: String, into json: inout JSONText) {
        let article = linked.article
        json.raw(UInt8(ascii: "{"))
        json.key("authors", first: true)
        json.array(article.authors) { $0.string($1) }
        json.key("date")
        json.optional(article.date?.timestamp)
        json.key("file")
        json.string(article.file.path)
        json.key("id")
        json.string(article.id)
        json.key("language")
        json.string(article.language ?? language)
        json.key("mentions")
        json.array(linked.mentions) { json, mention in
            json.raw("{\"end\":")
            json.number(mention.range.upperBound)
            json.key("entity")
            json.string(mention.entity.id)
            json.key("kind")
            json.string(mention.entity.kind.rawValue)
            json.key("line")
            json.number(mention.line)
            json.key("start")
            json.number(mention.range.lowerBound)
            json.key("text")
            json.string(mention.text)
            json.raw(UInt8(ascii: "}"))
        }
        json.key("source")
        json.optional(article.publisher)
        json.key("title")
        json.string(article.title)
        json.key("url")
        json.optional(article.url)
        json.raw(UInt8(ascii: "}"))
    }

    /// `data/notes.jsonld`: every anchored passage of every note as a W3C Web Annotation
    /// (https://www.w3.org/TR/annotation-model/) in one AnnotationCollection. The target has a
    /// TextQuoteSelector (the passage with up to 32 characters before and after) and a
    /// TextPositionSelector whose start and end are Unicode-scalar offsets in the article's
    /// source file, as in `mentions.csv`. Ids are absolute with `base_url`, else relative to
    /// this file.
    public static func notesJSONLD(_ archive: Archive) -> OutputFile {
        let path = "data/notes.jsonld"
        let link = SiteLinks(archive.config, from: path)
        func iri(_ target: String, fragment: String? = nil) -> String { link.url(target, fragment: fragment) }
        var items: [[String: Any]] = []
        for linked in archive.notes {
            let note = linked.note
            guard let articleID = note.articleID, archive.article(withID: articleID) != nil else { continue }
            for passage in linked.passages {
                guard let anchor = passage.anchor else { continue }
                var annotation: [String: Any] = [
                    "id": iri(SitePaths.note(note.id), fragment: "passage-\(passage.number)"),
                    "type": "Annotation",
                    "motivation": "commenting",
                    "body": [
                        "type": "TextualBody", "format": "text/plain", "language": archive.config.language,
                        "value": passage.commentary,
                    ] as [String: Any],
                    "target": [
                        "source": iri(SitePaths.article(articleID)),
                        "selector": [
                            ["type": "TextQuoteSelector", "exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix],
                            ["type": "TextPositionSelector", "start": anchor.range.lowerBound, "end": anchor.range.upperBound] as [String: Any],
                        ],
                    ] as [String: Any],
                ]
                if let author = note.author { annotation["creator"] = ["type": "Person", "name": author] }
                if let date = note.date { annotation["created"] = date.timestamp }
                items.append(annotation)
            }
        }
        let collection: [String: Any] = [
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": iri(path),
            "type": "AnnotationCollection",
            "label": "\(archive.config.title): Anmerkungen",
            "total": items.count,
            "first": ["type": "AnnotationPage", "items": items] as [String: Any],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: collection, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return OutputFile(path: path, contents: data + Data("\n".utf8))
    }
}

/// RFC 4180 CSV. A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return first, as OWASP lists them) is prefixed with `'`, so opening the data
/// cannot run anything; a plain decimal number (`-40.25`) stays a number.
struct CSV {
    private(set) var bytes: [UInt8] = []
    private var rowStarted = false

    /// Rows without a header, to join to a CSV that has one.
    init() {}

    init(header: [String]) {
        append(header)
    }

    mutating func append(_ row: [String]) {
        for value in row { cell(value) }
        endRow()
    }

    /// Most cells need neither prefix nor quotes: those are copied as they are.
    mutating func cell(_ value: String) {
        separate()
        let plain = value.utf8.allSatisfy { byte in
            byte != UInt8(ascii: ",") && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r")
        }
        if plain, let first = value.utf8.first, !"=+-@\t".utf8.contains(first) {
            bytes.append(contentsOf: value.utf8)
        } else {
            bytes.append(contentsOf: Self.cell(value).utf8)
        }
    }

    /// A count or offset: never negative, so neither quoted nor prefixed.
    mutating func cell(_ value: Int) {
        guard value >= 0 else { return cell(String(value)) }
        separate()
        bytes.appendDecimal(value)
    }

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
        rowStarted = false
    }

    private mutating func separate() {
        if rowStarted { bytes.append(UInt8(ascii: ",")) }
        rowStarted = true
    }

    private static func cell(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
           value.wholeMatch(of: /[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/) == nil {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The shape of `data/archive.json` but its articles and entities (which `articleJSON` and
/// `entityJSON` write by hand: an article has `authors`, `date`, `file`, `id`, `language`,
/// `mentions` with `end`, `entity`, `kind`, `line`, `start`, `text`, then `source`, `title`,
/// `url`; an entity `aliases`, `category`, `id`, `kind`, `lat`, `lon`, `mentions`, `name`,
/// `wikidata`, `within`); absent values are written as `null`, so every record has every field.
struct ArchiveDocument {
    struct Site: Encodable {
        let title, language, description: String
    }

    struct Note: Encodable {
        let id, title: String
        let author, date, article: Nullable<String>
        let about: [String]
        let passages: [Passage]
    }

    struct Passage: Encodable {
        let quote: String
        let start, end: Nullable<Int>
    }

    let site: Site
    let notes: [Note]
}

/// An optional value that encodes as `null` when absent (the synthesized `Encodable` of an
/// optional property leaves the key out instead).
struct Nullable<Wrapped: Encodable>: Encodable {
    let value: Wrapped?

    init(_ value: Wrapped?) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

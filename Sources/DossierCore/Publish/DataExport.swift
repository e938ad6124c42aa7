import Foundation

/// The archive's data for researchers, under `public/data/`.
public enum DataExport {
    /// `data/mentions.csv`: one row per mention. `start`/`end` are Unicode-scalar offsets into
    /// the article's source file (end exclusive), `line` is 1-based.
    public static func mentionsCSV(_ archive: Archive) -> OutputFile {
        var csv = CSV(header: ["article", "entity", "text", "start", "end", "line"])
        for linked in archive.articles.sorted(by: { $0.article.id < $1.article.id }) {
            for mention in linked.mentions {
                csv.append([linked.article.id, mention.entity.id, mention.text,
                            String(mention.range.lowerBound), String(mention.range.upperBound), String(mention.line)])
            }
        }
        return OutputFile(path: "data/mentions.csv", text: csv.text)
    }
}

extension DataExport {
    /// `data/notes.jsonld`: every anchored passage of every note as a W3C Web Annotation
    /// (https://www.w3.org/TR/annotation-model/) in one AnnotationCollection. The target has a
    /// TextQuoteSelector (the passage with up to 32 characters before and after) and a
    /// TextPositionSelector whose start and end are Unicode-scalar offsets in the article's
    /// source file, as in `mentions.csv`. Ids are absolute with `base_url`, else relative to
    /// this file.
    public static func notesJSONLD(_ archive: Archive) -> OutputFile {
        let path = "data/notes.jsonld"
        let paths = SitePaths(prettyURLs: archive.config.prettyURLs)
        func iri(_ target: String, fragment: String? = nil) -> String {
            guard let base = archive.config.baseURL else { return paths.href(from: path, to: target, fragment: fragment) }
            let page = paths.href(from: SitePaths.home, to: target, fragment: fragment)
            return (base.hasSuffix("/") ? base : base + "/") + (page == "./" ? "" : page)
        }
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
/// carriage return first) is prefixed with `'`, so opening the data cannot run anything.
struct CSV {
    private(set) var text: String

    init(header: [String]) {
        text = ""
        append(header)
    }

    mutating func append(_ row: [String]) {
        text += row.map(Self.cell).joined(separator: ",") + "\r\n"
    }

    private static func cell(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(value) == nil {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

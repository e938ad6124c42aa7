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

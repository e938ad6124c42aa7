import Foundation

/// `dossier import FILE...`: a plain-text article as agencies deliver it becomes
/// `content/articles/<slug>.md`, front matter filled from the file and from flags, the text
/// escaped so that Markdown shows it as it was. Never overwrites an article.
public struct ArticleImporter: Sendable {
    /// Front-matter values given on the command line; they win over the file's own.
    public struct Metadata: Sendable {
        public var date: String?
        public var source: String?
        public var url: String?
        public var language: String?

        public init(date: String? = nil, source: String? = nil, url: String? = nil, language: String? = nil) {
            self.date = date
            self.source = source
            self.url = url
            self.language = language
        }
    }

    public let site: URL

    public init(site: URL) {
        self.site = site
    }

    /// Imports one file; returns the site-relative path written, or the problems that kept it out.
    public func importArticle(from file: URL, metadata: Metadata) -> Result<String, ImportFailure> {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return .failure(ImportFailure(file.path, "cannot read the file"))
        }
        let source: SourceText
        do {
            source = try SourceText(path: file.lastPathComponent, utf8: data)
        } catch {
            return .failure(ImportFailure(file.path, error.description))
        }
        if let date = metadata.date, ArticleDate(date) == nil {
            return .failure(ImportFailure(file.path, "--date must be YYYY-MM-DD or ISO 8601, not '\(date)'"))
        }
        var diagnostics: [Diagnostic] = []
        guard let split = FrontMatterSplit.split(source, &diagnostics) else {
            return .failure(ImportFailure(file.path, diagnostics.map(\.message).joined(separator: "; ")))
        }
        var fields = FrontMatterFields(split, of: source)
        let given = Metadata(date: fields.string("date"), source: fields.string("source"), url: fields.string("url"),
                             language: fields.string("language"))
        guard let document = PlainTextDocument.parse(source, from: split.body.lowerBound) else {
            return .failure(ImportFailure(file.path, "empty article: the first non-empty line is its headline"))
        }

        let id = Slug.make(from: file.deletingPathExtension().lastPathComponent)
        guard !id.isEmpty else { return .failure(ImportFailure(file.path, "the file name gives no id: use letters or digits")) }
        let path = "content/articles/\(id).md"
        for existing in ["md", "txt"] where FileManager.default.fileExists(atPath: site.appendingPathComponent("content/articles/\(id).\(existing)").path) {
            return .failure(ImportFailure(file.path, "content/articles/\(id).\(existing) exists already: it is not overwritten"))
        }

        let markdown = Self.markdown(of: document, in: source, metadata: Metadata(
            date: metadata.date ?? given.date, source: metadata.source ?? given.source,
            url: metadata.url ?? given.url, language: metadata.language ?? given.language))
        let url = site.appendingPathComponent(path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(markdown.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            return .failure(ImportFailure(file.path, "cannot write \(path): \(error.localizedDescription)"))
        }
        return .success(path)
    }

    /// The Markdown article of a plain-text one: the headline as `title`, subheadings as `##`,
    /// paragraphs escaped so that they show as they were.
    static func markdown(of document: PlainTextDocument, in source: SourceText, metadata: Metadata) -> String {
        var lines = ["---", "title: " + yamlString(source.slice(document.headline))]
        let fields = [("date", metadata.date), ("source", metadata.source), ("url", metadata.url), ("language", metadata.language)]
        for (key, value) in fields {
            if let value { lines.append("\(key): " + yamlString(value)) }
        }
        lines += ["---", ""]
        for block in document.blocks {
            let text = block.lines.map { escapeMarkdown(source.slice($0)) }
            lines.append(block.kind == .subheading ? heading(text.joined(separator: " ")) : text.joined(separator: "\n"))
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// A level-2 heading of escaped text; a `#` the text ends with is escaped too, or the heading
    /// would take it for its closing sequence.
    private static func heading(_ escaped: String) -> String {
        let backslashes = escaped.dropLast().reversed().prefix { $0 == "\\" }.count
        guard escaped.last == "#", backslashes.isMultiple(of: 2) else { return "## " + escaped }
        return "## " + escaped.dropLast() + "\\#"
    }

    /// A YAML double-quoted scalar: `"` and `\` escaped, and so is every character YAML does
    /// not let stand as it is (controls, DEL, U+FFFE, U+FFFF) or reads as a line break (U+0085,
    /// U+2028, U+2029).
    static func yamlString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22, 0x5C:
                result += "\\" + String(scalar)
            case 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFFFD, 0x10000...:
                result.unicodeScalars.append(scalar)
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return result + "\""
    }

    /// Plain text as Markdown that shows it unchanged: characters that would start markup are
    /// escaped, and so is a line start that would make a heading, list or quote. Markdown reads
    /// scalars, not characters: a backtick with a combining mark on it still opens code.
    static func escapeMarkdown(_ line: String) -> String {
        var result = ""
        for scalar in line.unicodeScalars {
            if "\\`*_[]<>&|~".unicodeScalars.contains(scalar) { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        if let first = result.unicodeScalars.first, "#+-=>".unicodeScalars.contains(first) {
            result.unicodeScalars.insert("\\", at: result.unicodeScalars.startIndex)
        }
        if let match = result.prefixMatch(of: /\d+[.)]/) {
            result.insert("\\", at: result.index(before: match.range.upperBound))
        }
        return result
    }
}

public struct ImportFailure: Error, CustomStringConvertible {
    public let file: String
    public let message: String

    init(_ file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): error: \(message)" }
}

import Foundation

/// Everything `load` read from a site folder: the input of every later stage.
public struct Content: Sendable {
    public var config: SiteConfig
    public var articles: [Article]
    public var entities: [Entity]
    public var notes: [Note]
    public var assets: [Asset]

    public init(config: SiteConfig, articles: [Article] = [], entities: [Entity] = [], notes: [Note] = [], assets: [Asset] = []) {
        self.config = config
        self.articles = articles
        self.entities = entities
        self.notes = notes
        self.assets = assets
    }
}

/// `content/site.yml`.
public struct SiteConfig: Sendable, Equatable {
    public var title: String = "Dossier"
    public var language: String = "de"
    public var description: String = ""
    /// Absolute URL of the published site; used only where relative links cannot be (feeds, sitemap).
    public var baseURL: String?
    /// Links end in the folder (`actors/qsd/`) instead of naming `index.html`.
    public var prettyURLs: Bool = false
    /// Raw HTML in Markdown is passed through instead of omitted.
    public var unsafeHTML: Bool = false

    public init() {}
}

/// A span of Markdown inside a file: the offsets of the body and the line it starts on.
public struct MarkdownSource: Sendable {
    public let file: SourceText
    public let range: Range<Int>
    public let firstLine: Int

    public init(file: SourceText, range: Range<Int>, firstLine: Int) {
        self.file = file
        self.range = range
        self.firstLine = firstLine
    }

    public var text: String { file.slice(range) }
}

/// A calendar date (`YYYY-MM-DD`) with an optional time, as front matter gives it.
public struct ArticleDate: Sendable, Hashable, Comparable {
    /// `YYYY-MM-DD`.
    public let day: String
    /// The value as written when it carries a time, else `day`; sorts chronologically
    /// within one time zone.
    public let timestamp: String

    public static func < (lhs: ArticleDate, rhs: ArticleDate) -> Bool { lhs.timestamp < rhs.timestamp }

    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and an ISO 8601 time.
    public init?(_ text: String) {
        guard let isValid = Self.isValidInDigits(text) else {
            self.init(parsing: text)
            return
        }
        guard isValid else { return nil }
        self.init(day: String(text.utf8.prefix(10))!, timestamp: text)
    }

    private init(day: String, timestamp: String) {
        self.day = day
        self.timestamp = timestamp
    }

    /// Parses any text as `init` does.
    init?(parsing text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 10, scalars[4] == "-", scalars[7] == "-",
              let year = Int(String(text.prefix(4))),
              let month = Int(String(text.dropFirst(5).prefix(2))),
              let day = Int(String(text.dropFirst(8).prefix(2))),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year)
        else { return nil }
        if scalars.count > 10 {
            guard scalars[10] == "T" || scalars[10] == " " else { return nil }
            let time = String(text.dropFirst(11))
            guard Self.isTime(time) else { return nil }
        }
        self.init(day: String(text.prefix(10)), timestamp: text)
    }

    /// Whether `text` is a valid date as `init` reads it, answered from its bytes when it is
    /// written in ASCII digits as editors write dates (`2016-10-27`, `2016-10-27T20:52:10Z`,
    /// `2016-10-27 20:52+01:00`); nil for anything else, which `init` reads the long way (every
    /// article has a date, and that way costs as much as the rest of its front matter).
    static func isValidInDigits(_ text: String) -> Bool? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ length: Int) -> Int? {
            guard index + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + length)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += length
            return value
        }
        func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip("-"), let month = number(2), skip("-"), let day = number(2) else { return nil }
        let isDay = (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
        guard index < bytes.count else { return isDay }
        guard skip("T") || skip(" "), let hour = number(2), skip(":"), let minute = number(2) else { return nil }
        var isTime = hour <= 23 && minute <= 59
        if skip(":") {
            guard let second = number(2) else { return nil }
            isTime = isTime && second <= 59
            if skip(".") {
                let digits = bytes[index...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
                guard digits > 0 else { return nil }
                index += digits
            }
        }
        if skip("Z") {
            guard index == bytes.count else { return nil }
        } else if skip("+") || skip("-") {
            guard let zoneHours = number(2) else { return nil }
            _ = skip(":")
            guard let zoneMinutes = number(2), index == bytes.count else { return nil }
            isTime = isTime && zoneHours <= 23 && zoneMinutes <= 59
        } else {
            guard index == bytes.count else { return nil }
        }
        return isDay && isTime
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `HH:MM`, optional `:SS` and fraction, optional `Z` or `±HH:MM` (read by hand: a regex
    /// here costs more than the rest of loading an article).
    private static func isTime(_ time: String) -> Bool {
        var rest = Substring(time)
        func number(_ maximum: Int) -> Bool {
            guard rest.count >= 2, let value = Int(rest.prefix(2)), rest.prefix(2).allSatisfy(\.isASCII), value <= maximum else { return false }
            rest = rest.dropFirst(2)
            return true
        }
        func skip(_ character: Character) -> Bool {
            guard rest.first == character else { return false }
            rest = rest.dropFirst()
            return true
        }
        guard number(23), skip(":"), number(59) else { return false }
        if skip(":") {
            guard number(59) else { return false }
            if skip(".") {
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty else { return false }
                rest = rest.dropFirst(digits.count)
            }
        }
        if skip("Z") { return rest.isEmpty }
        if skip("+") || skip("-") {
            guard number(23) else { return false }
            _ = skip(":")
            return number(59) && rest.isEmpty
        }
        return rest.isEmpty
    }
}

public enum ArticleFormat: String, Sendable {
    case markdown, plainText
}

/// A news article: `content/articles/**/<id>.md` or `.txt`.
/// A class, not a struct: every stage hands articles on (lists, maps, the link results) and a
/// copy of a struct of this many fields retained each of them; its fields never change.
public final class Article: Sendable, Identifiable {
    public let id: String
    public let file: SourceText
    public let format: ArticleFormat
    public let title: String
    /// Where the headline stands in the file (front matter `title`, or the first line of a
    /// plain-text article), one offset per scalar of `title`; nil when it cannot be located.
    public let titleOffsets: [Int]?
    public let date: ArticleDate?
    /// Front matter `source`: the publisher or agency.
    public let publisher: String?
    public let url: String?
    public let language: String?
    public let authors: [String]
    public let summary: String?
    /// Entity ids or names the editor does not want linked automatically in this article
    /// (front matter `unlinked`); explicit links still link.
    public let unlinked: [String]
    public let body: ArticleBody

    init(id: String, file: SourceText, format: ArticleFormat, title: String, titleOffsets: [Int]?, date: ArticleDate?,
         publisher: String?, url: String?, language: String?, authors: [String], summary: String?, unlinked: [String],
         body: ArticleBody) {
        self.id = id
        self.file = file
        self.format = format
        self.title = title
        self.titleOffsets = titleOffsets
        self.date = date
        self.publisher = publisher
        self.url = url
        self.language = language
        self.authors = authors
        self.summary = summary
        self.unlinked = unlinked
        self.body = body
    }
}

public enum ArticleBody: Sendable {
    case markdown(MarkdownSource)
    case plainText(PlainTextDocument)
}

public enum EntityKind: String, Sendable, CaseIterable, Hashable, Comparable {
    case actor, place

    /// The folder under `content/` and under `public/`.
    public var folder: String { self == .actor ? "actors" : "places" }

    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Identifies an actor or a place: ids are unique per kind.
public struct EntityRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let kind: EntityKind
    public let id: String

    public init(_ kind: EntityKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public static func < (lhs: EntityRef, rhs: EntityRef) -> Bool { (lhs.kind, lhs.id) < (rhs.kind, rhs.id) }

    public var description: String { "\(kind.folder)/\(id)" }
}

public struct Coordinate: Sendable, Hashable {
    public let latitude: Double
    public let longitude: Double
}

/// An actor (`content/actors/<id>.md`) or a place (`content/places/<id>.md`).
public struct Entity: Sendable, Identifiable {
    public let ref: EntityRef
    public let name: String
    /// The names matched in articles besides `name`.
    public let aliases: [String]
    /// Other names shown on the entity's page but never matched (front matter `shown_aliases`):
    /// spellings too ambiguous to link automatically.
    public let shownAliases: [String]
    /// Front matter `kind`: person, organization, armed-group, city, ...
    public let category: String?
    public let wikidata: String?
    public let links: [String]
    public let coordinate: Coordinate?
    /// The id of the enclosing place, for places.
    public let within: String?
    public let withinLocation: SourceLocation?
    public let description: MarkdownSource

    public var id: EntityRef { ref }
    public var file: SourceText { description.file }
}

/// An editor's commentary: `content/notes/<id>.md`.
public struct Note: Sendable, Identifiable {
    public let id: String
    public let title: String
    public let author: String?
    public let date: ArticleDate?
    /// The id of the article the note comments on, and where the front matter names it.
    public let articleID: String?
    public let articleLocation: SourceLocation?
    /// Entity ids the note is about, each with where it is named.
    public let about: [(id: String, location: SourceLocation)]
    public let body: MarkdownSource

    public var file: SourceText { body.file }
}

/// A file under `content/assets/` (or the theme's `assets/`), copied unchanged to `public/assets/`.
public struct Asset: Sendable {
    /// Path below `assets/`, `/`-separated.
    public let path: String
    public let file: URL
    /// The file as diagnostics name it (`content/assets/logo.svg`).
    public let source: String

    public init(path: String, file: URL, source: String? = nil) {
        self.path = path
        self.file = file
        self.source = source ?? "assets/" + path
    }
}

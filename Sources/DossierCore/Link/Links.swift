/// What an explicit link points to.
public enum LinkTarget: Sendable, Hashable {
    case entity(EntityRef)
    case article(String)
    case note(String)
}

/// An explicit link written in Markdown as `[[target]]` or `[[target|label]]`, resolved.
public struct WikiLink: Sendable {
    /// Source offsets of the whole `[[...]]`.
    public let range: Range<Int>
    public let target: LinkTarget
    /// What the page shows instead of the brackets.
    public let label: String
}

/// The sentence a mention stands in, split around the mention.
public struct SentenceContext: Sendable, Hashable {
    public let before: String
    public let match: String
    public let after: String
}

/// One mention of an actor or place in an article.
public struct Mention: Sendable {
    /// The mention's number in its article, from 1: the anchor `m-<ordinal>` on its page.
    public let ordinal: Int
    public let entity: EntityRef
    /// Source offsets, end exclusive, and the text there as the file has it.
    public let range: Range<Int>
    public let text: String
    public let line: Int
    /// The label of an explicit `[[...]]` link; nil for a name found in the text.
    public let label: String?
    /// Whether it stands in the headline.
    public let inHeadline: Bool
    /// Where `context` stands in the article's title or plain text.
    let sentence: SentenceSpan

    /// The sentence the mention stands in, made from the article's text when asked for (a
    /// page shows it once; kept as strings, the contexts took more memory than the articles).
    public var context: SentenceContext { sentence.context(shown: label) }
}

/// Where a mention's sentence context stands in a text that is kept anyway (the title, the
/// plain text of the body): the UTF-8 offsets of the words before and after the mention, and of
/// the mention, and whether either side is cut short (`…`).
struct SentenceSpan: Sendable {
    let text: String
    let before: Range<UInt32>
    let match: Range<UInt32>
    let after: Range<UInt32>
    let isCutBefore: Bool
    let isCutAfter: Bool

    func context(shown: String?) -> SentenceContext {
        let utf8 = text.utf8
        /// The text of a range, with `…` before or after it. A slice of the text at scalar
        /// boundaries is copied as it is: decoding the bytes again would validate them.
        func string(_ range: Range<UInt32>, ellipsisBefore: Bool = false, ellipsisAfter: Bool = false) -> String {
            let lower = utf8.index(utf8.startIndex, offsetBy: Int(range.lowerBound))
            let part = Substring(utf8[lower..<utf8.index(lower, offsetBy: range.count)])
            guard ellipsisBefore || ellipsisAfter else { return String(part) }
            var string = ellipsisBefore ? "…" : ""
            string.reserveCapacity(part.utf8.count + 6)
            string += part
            if ellipsisAfter { string += "…" }
            return string
        }
        return SentenceContext(before: string(before, ellipsisBefore: isCutBefore), match: shown ?? string(match),
                               after: string(after, ellipsisAfter: isCutAfter))
    }
}

/// A class for the reason `Article` is one.
public final class LinkedArticle: Sendable {
    public let article: Article
    /// In document order, headline first.
    public let mentions: [Mention]
    /// Explicit links to articles and notes (links to entities are mentions).
    public let links: [WikiLink]
    /// The body as plain text, one line per block: what search indexes and quotes.
    public let text: String

    init(article: Article, mentions: [Mention], links: [WikiLink], text: String) {
        self.article = article
        self.mentions = mentions
        self.links = links
        self.text = text
    }
}

/// A note or an entity description with its explicit links resolved.
public struct LinkedMarkdown: Sendable {
    public let source: MarkdownSource
    public let links: [WikiLink]
    /// The text as plain text, one line per block.
    public let text: String
}

public struct LinkedNote: Sendable {
    public let note: Note
    public let body: LinkedMarkdown
    /// The passages of the article the note quotes, in the note's order.
    public let passages: [Passage]
    /// The actors and places whose names the note's text contains (explicit links aside).
    public let mentionedEntities: Set<EntityRef>
}

/// A block quote in a note that quotes the article it comments on, and where it was found.
public struct Passage: Sendable {
    /// The passage's number in its note, from 1.
    public let number: Int
    /// The quoted text, paragraphs separated by blank lines.
    public let quote: String
    /// The line of the note's file the block quote starts on.
    public let line: Int
    /// The plain text of the commentary that follows the quote.
    public let commentary: String
    /// Where the passage stands in the article; nil for an orphan.
    public let anchor: PassageAnchor?

    /// The id of the passage's mark on the article page.
    public func elementID(in note: String) -> String { "passage-\(note)-\(number)" }
}

/// `[[target]]` and `[[target|label]]` in text.
enum WikiLinkSyntax {
    struct Occurrence {
        /// Indices into the scanned scalars.
        let range: Range<Int>
        let target: String
        let label: String?
    }

    static func occurrences(in scalars: [Unicode.Scalar]) -> [Occurrence] {
        // Most texts have none: found by one pass over them for a `[` before anything else.
        guard var index = scalars.withUnsafeBufferPointer({ scalars in
            (0..<max(scalars.count - 1, 0)).first { scalars[$0] == "[" && scalars[$0 + 1] == "[" }
        }) else { return [] }
        var found: [Occurrence] = []
        while index + 1 < scalars.count {
            guard scalars[index] == "[", scalars[index + 1] == "[" else {
                index += 1
                continue
            }
            var end = index + 2
            while end + 1 < scalars.count, !(scalars[end] == "]" && scalars[end + 1] == "]"),
                  scalars[end] != "[", scalars[end] != "\n" { end += 1 }
            guard end + 1 < scalars.count, scalars[end] == "]", scalars[end + 1] == "]" else {
                index += 2
                continue
            }
            let inner = String(scalars: scalars[(index + 2)..<end])
            let parts = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let target = parts[0].trimmingCharacters(in: .whitespaces)
            let label = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
            if !target.isEmpty {
                found.append(Occurrence(range: index..<(end + 2), target: target, label: label?.isEmpty == true ? nil : label))
            }
            index = end + 2
        }
        return found
    }
}

/// The full-text index the search page queries in the browser: every article, actor, place and
/// note as a document, and for each folded word the documents it stands in, weighted. Words
/// are folded as names are for linking (`Efrîn` -> `efrin`), so a reader finds them without
/// their diacritics; the browser matches a query word against the beginnings of these words.
public struct SearchIndex: Sendable {
    public enum Kind: Int, Sendable {
        case article, actor, place, note
    }

    public struct Document: Sendable {
        public let kind: Kind
        public let title: String
        /// Site-relative path of the document's page.
        public let path: String
        /// `YYYY-MM-DD`, for articles and notes that have a date.
        public let date: String?
        /// The start of the document's text, for the snippet around a match.
        public let text: String
    }

    /// A document a word stands in, and how much the word counts there.
    public struct Posting: Sendable, Equatable {
        /// Index into `documents`.
        public let document: Int
        public let weight: Int
    }

    /// Articles newest first, then actors, places and notes.
    public let documents: [Document]
    /// Each folded word with its documents, in document order.
    public let postings: [String: [Posting]]
    /// For each character of the indexed text whose folded form is not itself, that form: the
    /// browser folds a query with this table, so it folds exactly as the build did.
    public let folds: [Unicode.Scalar: String]

    /// How many scalars of a document's text the index keeps for snippets.
    static let snippetSource = 2_000
    /// How much more a word counts in a title, name or alias than in the text.
    static let titleWeight = 10

    public init(_ archive: Archive, paths: SitePaths) {
        var sources: [Source] = archive.articles.map { linked in
            Source(kind: .article, title: linked.article.title, names: [], path: paths.href(from: SitePaths.home, to: SitePaths.article(linked.article.id)),
                   date: linked.article.date?.day, text: linked.text)
        }
        for kind in [EntityKind.actor, .place] {
            sources += archive.registry.entities.filter { $0.ref.kind == kind }.map { entity in
                Source(kind: kind == .actor ? .actor : .place, title: entity.name, names: entity.aliases + entity.shownAliases,
                       path: paths.href(from: SitePaths.home, to: SitePaths.entity(entity.ref)), date: nil,
                       text: archive.descriptions[entity.ref]?.text ?? "")
            }
        }
        sources += archive.notes.map { linked in
            Source(kind: .note, title: linked.note.title, names: [], path: paths.href(from: SitePaths.home, to: SitePaths.note(linked.note.id)),
                   date: linked.note.date?.day, text: linked.body.text)
        }
        let weighted = Parallel.map(sources) { $0.weightedWords() }
        var postings: [String: [Posting]] = [:]
        var folds: [Unicode.Scalar: String] = [:]
        for (document, words) in weighted.enumerated() {
            for (word, weight) in words.weights {
                postings[word, default: []].append(Posting(document: document, weight: weight))
            }
            for scalar in words.unusual where folds[scalar] == nil {
                folds[scalar] = String(scalars: TextFolding.fold(scalar))
            }
        }
        self.documents = sources.map(\.document)
        self.postings = postings
        self.folds = folds
    }

    /// The words of a text as search folds and splits them: runs of letters and digits.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var unusual: Set<Unicode.Scalar> = []
        forEachWord(in: text, unusual: &unusual) { words.append($0) }
        return words
    }

    /// Folds `text` and hands each word to `body`, in one pass; collects in `unusual` the
    /// characters that fold to something else than themselves (for `folds`).
    private static func forEachWord(in text: String, unusual: inout Set<Unicode.Scalar>, _ body: (String) -> Void) {
        var word = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let folded = TextFolding.fold(scalar)
            if !scalar.isASCII, folded != [scalar] { unusual.insert(scalar) }
            for piece in folded {
                if isWordScalar(piece) {
                    word.append(piece)
                } else if !word.isEmpty {
                    body(String(word))
                    word = String.UnicodeScalarView()
                }
            }
        }
        if !word.isEmpty { body(String(word)) }
    }

    /// A letter or digit of folded text (so no capitals): what the browser's `[\p{L}\p{N}]` matches.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// What one document contributes before the documents are numbered.
    private struct Source: Sendable {
        let kind: Kind
        let title: String
        /// Aliases, which count as much as the title.
        let names: [String]
        let path: String
        let date: String?
        let text: String

        var document: Document {
            Document(kind: kind, title: title, path: path, date: date, text: String(String.UnicodeScalarView(text.unicodeScalars.prefix(SearchIndex.snippetSource))))
        }

        func weightedWords() -> (weights: [String: Int], unusual: Set<Unicode.Scalar>) {
            var weights: [String: Int] = [:]
            var unusual: Set<Unicode.Scalar> = []
            for (field, weight) in [(title, SearchIndex.titleWeight), (text, 1)] + names.map({ ($0, SearchIndex.titleWeight) }) {
                SearchIndex.forEachWord(in: field, unusual: &unusual) { weights[$0, default: 0] += weight }
            }
            return (weights, unusual)
        }
    }
}

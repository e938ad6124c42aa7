import Foundation

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
    public let documents: Documents
    /// The words and their postings.
    let terms: Terms
    /// For each character of the indexed text whose folded form is not itself, that form: the
    /// browser folds a query with this table, so it folds exactly as the build did.
    public let folds: [Unicode.Scalar: String]

    /// How many scalars of a document's text the index keeps for snippets.
    static let snippetSource = 2_000
    /// How much more a word counts in a title, name or alias than in the text.
    static let titleWeight = 10

    /// Every folded word once: `postings(ofWord:)` takes a word by its position here.
    var words: WordList { terms.words }

    /// The index, made from the terms of the last build (`last`, which `SearchCache` keeps)
    /// where their runs of documents are unchanged: the documents are cut into runs, each
    /// under the digest of its documents (`Run.digest`), and only the runs not
    /// among the last terms' are indexed (`indexedAnew` of them); the last terms are patched
    /// with them rather than all runs merged again.
    static func indexed(_ archive: Archive, paths: SitePaths, last: Terms? = nil) -> (index: SearchIndex, indexedAnew: Int) {
        var sources: [Source] = archive.articles.enumerated().map { index, linked in
            Source(kind: .article, title: linked.article.title, names: [], path: paths.href(from: SitePaths.home, to: SitePaths.article(linked.article.id)),
                   date: linked.article.date?.day, text: linked.text, digest: archive.articleDigests[index])
        }
        // By index: filtering the registry would copy each entity, a struct of many references.
        let entities = archive.registry.entities
        for kind in [EntityKind.actor, .place] {
            for index in entities.indices where entities[index].ref.kind == kind {
                let ref = entities[index].ref
                sources.append(Source(kind: kind == .actor ? .actor : .place, title: entities[index].name,
                                      names: entities[index].aliases + entities[index].shownAliases,
                                      path: paths.href(from: SitePaths.home, to: SitePaths.entity(ref)), date: nil,
                                      text: archive.descriptions[ref]?.text ?? "", digest: nil))
            }
        }
        sources += archive.notes.enumerated().map { index, linked in
            Source(kind: .note, title: linked.note.title, names: [], path: paths.href(from: SitePaths.home, to: SitePaths.note(linked.note.id)),
                   date: linked.note.date?.day, text: linked.body.text, digest: archive.noteDigests[index])
        }
        let cuts = RunFolder.runs(of: sources.lazy.map(\.path))
        let runs = Parallel.map(cuts) { [sources] run in
            Run(digest: Run.digest(of: sources[run]), documents: run.count, unusual: [])
        }
        let last = last ?? Terms()
        let lastRuns = last.matches(of: runs)
        let chunks = Parallel.map(cuts.indices.filter { lastRuns[$0] == nil }) { [sources] position in
            (position, Chunk(sources[cuts[position]]))
        }
        let terms = last.patched(runs: runs, lastRuns: lastRuns, chunks: Dictionary(uniqueKeysWithValues: chunks))
        var folds: [Unicode.Scalar: String] = [:]
        for run in terms.runs {
            for scalar in run.unusual where folds[scalar] == nil { folds[scalar] = String(scalars: TextFolding.fold(scalar)) }
        }
        return (SearchIndex(documents: Documents(sources: sources), terms: terms, folds: folds), chunks.count)
    }

    /// The documents `word` (folded) stands in, in document order; nil if it stands in none.
    public func postings(of word: String) -> [Posting]? {
        terms.table.existingID(of: Array(word.utf8)).map { postings(ofWord: Int($0)) }
    }

    /// The documents the word with id `word` (an index into `words`) stands in, in document order.
    public func postings(ofWord word: Int) -> [Posting] {
        terms.postingRange(ofWord: word).map { Posting(document: Int(terms.postingDocuments[$0]), weight: Int(terms.postingWeights[$0])) }
    }

    /// How many documents the word with id `word` stands in.
    func postingCount(ofWord word: Int) -> Int {
        terms.postingRange(ofWord: word).count
    }

    /// Calls `body` with each document and weight of the word with id `word`, in document order.
    func forEachPosting(ofWord word: Int, _ body: (_ document: Int32, _ weight: Int32) -> Void) {
        for position in terms.postingRange(ofWord: word) { body(terms.postingDocuments[position], terms.postingWeights[position]) }
    }

    /// Adds the word with id `word` and the digest of its postings to `hash`.
    func combinePostings(ofWord word: Int, into hash: inout StableHash) {
        words.withBytes(of: word) { hash.combine(UnsafeRawBufferPointer($0)) }
        hash.combine(terms.postingDigests[word])
    }

    /// The words of a text as search folds and splits them: runs of letters and digits.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var unusual: Set<Unicode.Scalar> = []
        var word: [UInt8] = []
        forEachWord(in: text, unusual: &unusual, buffer: &word) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// Folds `text` and hands the UTF-8 bytes of each word to `body`, in one pass: a word of
    /// ASCII letters and digits without capitals (most words) as it stands in the text, any
    /// other built in `word` (a buffer the caller keeps, so no word costs an allocation);
    /// collects in `unusual` the characters that fold to something else than themselves (for `folds`).
    static func forEachWord(in text: String, unusual: inout Set<Unicode.Scalar>, buffer word: inout [UInt8],
                            _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        word.removeAll(keepingCapacity: true)
        func endWord() {
            guard !word.isEmpty else { return }
            word.withUnsafeBufferPointer(body)
            word.removeAll(keepingCapacity: true)
        }
        // Over the UTF-8 bytes, ASCII a run at a time: stepping the text's scalars took a share
        // of every full build.
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    // Without the fold table: a-z and 0-9 are word scalars, A-Z fold to a-z, every
                    // other ASCII scalar folds to itself and ends a word.
                    guard isASCIIWordByte(byte) else {
                        endWord()
                        index += 1
                        continue
                    }
                    var end = index
                    var hasCapital = false
                    while end < bytes.count, isASCIIWordByte(bytes[end]) {
                        hasCapital = hasCapital || bytes[end] &- UInt8(ascii: "A") < 26
                        end += 1
                    }
                    let run = UnsafeBufferPointer(rebasing: bytes[index..<end])
                    // Before an ASCII byte or the end, the word ends; before another scalar, it may go on.
                    let endsWord = end == bytes.count || bytes[end] < 0x80
                    if endsWord, word.isEmpty, !hasCapital {
                        body(run)
                    } else {
                        let start = word.count
                        word.append(contentsOf: run)
                        if hasCapital {
                            word.withUnsafeMutableBufferPointer { word in
                                for position in start..<word.count where word[position] &- UInt8(ascii: "A") < 26 { word[position] += 0x20 }
                            }
                        }
                        if endsWord { endWord() }
                    }
                    index = end
                    continue
                }
                let scalar = SourceText.decodeScalar(in: bytes, at: index)
                index += SourceText.scalarLength(startingWith: byte)
                let folded = TextFolding.fold(scalar)
                if folded.count != 1 || folded[0] != scalar { unusual.insert(scalar) }
                for piece in folded {
                    if isWordScalar(piece) {
                        word.append(contentsOf: UTF8.encode(piece)!)
                    } else {
                        endWord()
                    }
                }
            }
        }
        endWord()
    }

    /// An ASCII letter or digit.
    @inline(__always)
    private static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "A") < 26 || byte &- UInt8(ascii: "0") < 10
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

    /// What one document is made of: what it shows, and the fields its words are indexed from.
    /// A class: the index hands its sources around in slices and copies (runs, chunks,
    /// documents), and a struct of six references cost a dozen reference counts per copy.
    final class Source: Sendable {
        let kind: Kind
        let title: String
        /// Aliases, which count as much as the title.
        let names: [String]
        let path: String
        let date: String?
        let text: String
        /// The digest of the file the title and text come from, when there is one.
        let digest: UInt64?

        init(kind: Kind, title: String, names: [String], path: String, date: String?, text: String, digest: UInt64?) {
            self.kind = kind
            self.title = title
            self.names = names
            self.path = path
            self.date = date
            self.text = text
            self.digest = digest
        }

        var document: Document {
            Document(kind: kind, title: title, path: path, date: date, text: Self.prefix(of: text, scalars: SearchIndex.snippetSource))
        }

        /// The first `count` scalars of `text`, counted on its UTF-8 bytes (a scalar begins at
        /// every byte that does not continue one): stepping a `String` scalar by scalar took a
        /// share of every build.
        static func prefix(of text: String, scalars count: Int) -> String {
            var text = text
            return text.withUTF8 { bytes in
                var scalars = 0
                for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
                    if scalars == count { return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<offset]), as: UTF8.self) }
                    scalars += 1
                }
                return String(decoding: bytes, as: UTF8.self)
            }
        }

        /// Adds what the document is made of to `hash`: its kind and path, and the digest of its
        /// file where it has one (its title, date and text are that file's), else its fields and
        /// names. What a docs file shows and what a run's postings come from.
        func combine(into hash: inout StableHash) {
            hash.combine(kind.rawValue)
            hash.combine(path)
            if let digest {
                hash.combine(digest)
                return
            }
            for field in [title, date ?? "", text] { hash.combine(field) }
            hash.combine(names.count)
            for name in names { hash.combine(name) }
        }

        /// The fields whose words are indexed, each with how much a word in it counts.
        var weightedFields: [(text: String, weight: Int32)] {
            [(title, Int32(SearchIndex.titleWeight)), (text, 1)] + names.map { ($0, Int32(SearchIndex.titleWeight)) }
        }
    }

    /// The documents, each made from its source when it is asked for: a build makes only those
    /// of the files it writes (each keeps the start of its text, a copy).
    public struct Documents: RandomAccessCollection, Sendable {
        let sources: [Source]

        public var startIndex: Int { 0 }
        public var endIndex: Int { sources.count }
        public subscript(position: Int) -> Document { sources[position].document }
    }
}

extension SearchIndex {
    public init(_ archive: Archive, paths: SitePaths) {
        self = Self.indexed(archive, paths: paths).index
    }
}

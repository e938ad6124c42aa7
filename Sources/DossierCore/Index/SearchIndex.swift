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
    public let documents: [Document]
    /// Every folded word once, numbered by first appearance: the word ids of `postings(ofWord:)`.
    public let words: [String]
    /// For each character of the indexed text whose folded form is not itself, that form: the
    /// browser folds a query with this table, so it folds exactly as the build did.
    public let folds: [Unicode.Scalar: String]

    /// The postings of all words one after another, word by word, each word's in document
    /// order: word `w`'s are at `postingStarts[w]..<postingStarts[w + 1]`. Flat integer
    /// arrays, not an array per word: a large archive has millions of postings.
    private let postingStarts: [Int32]
    private let postingDocuments: [Int32]
    private let postingWeights: [Int32]
    /// The words' ids by their bytes.
    private let table: WordTable

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
        // Each chunk of documents numbers its words on its own; the chunks' numbers are then
        // mapped to the whole index's, once per word and chunk rather than once per posting.
        let chunkCount = min(sources.count, 64)
        let chunks = (0..<chunkCount).map { chunk in
            sources[(sources.count * chunk / chunkCount)..<(sources.count * (chunk + 1) / chunkCount)]
        }
        let indexed = Parallel.map(chunks) { ChunkIndex($0) }
        var table = WordTable()
        var folds: [Unicode.Scalar: String] = [:]
        let globalIDs = indexed.map { chunk in
            for scalar in chunk.unusual where folds[scalar] == nil {
                folds[scalar] = String(scalars: TextFolding.fold(scalar))
            }
            return (0..<chunk.words.count).map { table.id(of: chunk.words, word: $0) }
        }
        var starts = [Int32](repeating: 0, count: table.count + 1)
        for (chunk, ids) in zip(indexed, globalIDs) {
            for local in chunk.postingWords { starts[Int(ids[Int(local)]) + 1] += 1 }
        }
        for word in 0..<table.count { starts[word + 1] += starts[word] }
        var next = starts
        var documents = [Int32](repeating: 0, count: Int(starts[table.count]))
        var weights = [Int32](repeating: 0, count: Int(starts[table.count]))
        var document: Int32 = 0
        for (chunk, ids) in zip(indexed, globalIDs) {
            for postings in chunk.documentPostings {
                for position in postings {
                    let word = Int(ids[Int(chunk.postingWords[position])])
                    documents[Int(next[word])] = document
                    weights[Int(next[word])] = chunk.postingWeights[position]
                    next[word] += 1
                }
                document += 1
            }
        }
        self.documents = sources.map(\.document)
        self.words = (0..<table.count).map { table.word($0) }
        self.folds = folds
        self.postingStarts = starts
        self.postingDocuments = documents
        self.postingWeights = weights
        self.table = table
    }

    /// The documents `word` (folded) stands in, in document order; nil if it stands in none.
    public func postings(of word: String) -> [Posting]? {
        table.existingID(of: Array(word.utf8)).map { postings(ofWord: Int($0)) }
    }

    /// The documents the word with id `word` (an index into `words`) stands in, in document order.
    public func postings(ofWord word: Int) -> [Posting] {
        postingRange(ofWord: word).map { Posting(document: Int(postingDocuments[$0]), weight: Int(postingWeights[$0])) }
    }

    /// How many documents the word with id `word` stands in.
    func postingCount(ofWord word: Int) -> Int {
        Int(postingStarts[word + 1] - postingStarts[word])
    }

    /// Calls `body` with each document and weight of the word with id `word`, in document order.
    func forEachPosting(ofWord word: Int, _ body: (_ document: Int32, _ weight: Int32) -> Void) {
        for position in postingRange(ofWord: word) { body(postingDocuments[position], postingWeights[position]) }
    }

    private func postingRange(ofWord word: Int) -> Range<Int> {
        Int(postingStarts[word])..<Int(postingStarts[word + 1])
    }

    /// The words of a text as search folds and splits them: runs of letters and digits.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var unusual: Set<Unicode.Scalar> = []
        var word: [UInt8] = []
        forEachWord(in: text, unusual: &unusual, buffer: &word) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// Folds `text` and hands the UTF-8 bytes of each word to `body`, in one pass, building it
    /// in `word` (a buffer the caller keeps, so no word costs an allocation); collects in
    /// `unusual` the characters that fold to something else than themselves (for `folds`).
    private static func forEachWord(in text: String, unusual: inout Set<Unicode.Scalar>, buffer word: inout [UInt8],
                                     _ body: ([UInt8]) -> Void) {
        word.removeAll(keepingCapacity: true)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                // The common case without the fold table: a-z and 0-9 are word scalars, A-Z fold
                // to a-z, every other ASCII scalar folds to itself and ends a word.
                var byte = UInt8(scalar.value)
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 0x20 }
                if (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                    word.append(byte)
                } else if !word.isEmpty {
                    body(word)
                    word.removeAll(keepingCapacity: true)
                }
                continue
            }
            let folded = TextFolding.fold(scalar)
            if folded.count != 1 || folded[0] != scalar { unusual.insert(scalar) }
            for piece in folded {
                if isWordScalar(piece) {
                    word.append(contentsOf: UTF8.encode(piece)!)
                } else if !word.isEmpty {
                    body(word)
                    word.removeAll(keepingCapacity: true)
                }
            }
        }
        if !word.isEmpty { body(word) }
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
            let scalars = text.unicodeScalars
            let end = scalars.index(scalars.startIndex, offsetBy: SearchIndex.snippetSource, limitedBy: scalars.endIndex) ?? scalars.endIndex
            return Document(kind: kind, title: title, path: path, date: date, text: String(scalars[..<end]))
        }

        /// The fields whose words are indexed, each with how much a word in it counts.
        var weightedFields: [(text: String, weight: Int32)] {
            [(title, Int32(SearchIndex.titleWeight)), (text, 1)] + names.map { ($0, Int32(SearchIndex.titleWeight)) }
        }
    }

    /// The postings of a run of documents, with the words numbered within the run.
    private struct ChunkIndex: Sendable {
        var words = WordTable()
        /// Each posting's word (a chunk word id) and weight.
        var postingWords: [Int32] = []
        var postingWeights: [Int32] = []
        /// For each document of the run, the positions of its postings.
        var documentPostings: [Range<Int>] = []
        var unusual: Set<Unicode.Scalar> = []

        init(_ sources: ArraySlice<Source>) {
            // A word's weight in the current document, by chunk word id, and the words it has.
            var weightOfWord: [Int32] = []
            var wordsOfDocument: [Int32] = []
            var buffer: [UInt8] = []
            for source in sources {
                for (field, weight) in source.weightedFields {
                    SearchIndex.forEachWord(in: field, unusual: &unusual, buffer: &buffer) { word in
                        let id = Int(words.id(of: word))
                        if id == weightOfWord.count { weightOfWord.append(0) }
                        if weightOfWord[id] == 0 { wordsOfDocument.append(Int32(id)) }
                        weightOfWord[id] += weight
                    }
                }
                let start = postingWords.count
                for id in wordsOfDocument {
                    postingWords.append(id)
                    postingWeights.append(weightOfWord[Int(id)])
                    weightOfWord[Int(id)] = 0
                }
                documentPostings.append(start..<postingWords.count)
                wordsOfDocument.removeAll(keepingCapacity: true)
            }
        }
    }
}

/// Distinct words as UTF-8 bytes, numbered in the order they were first seen: a hash table
/// over one byte buffer, so a word seen again costs a hash and a comparison, not a `String`.
struct WordTable: Sendable {
    /// Every word's bytes one after another; word `n` ends at `ends[n]`.
    private var bytes: [UInt8] = []
    private var ends: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing, linear probing: each slot holds a word id plus one, or 0 when empty.
    private var slots = [Int32](repeating: 0, count: 1024)

    var count: Int { hashes.count }

    /// The word with id `id`.
    func word(_ id: Int) -> String {
        String(decoding: bytes[ends[id]..<ends[id + 1]], as: UTF8.self)
    }

    /// The id of `word`, which is numbered next if it is new.
    mutating func id(of word: [UInt8]) -> Int32 {
        word.withUnsafeBufferPointer { id(of: $0) }
    }

    /// The id in this table of the word with id `id` in `other`.
    mutating func id(of other: WordTable, word id: Int) -> Int32 {
        other.bytes.withUnsafeBufferPointer { self.id(of: UnsafeBufferPointer(rebasing: $0[other.ends[id]..<other.ends[id + 1]])) }
    }

    /// The id of `word` if the table has it.
    func existingID(of word: [UInt8]) -> Int32? {
        word.withUnsafeBufferPointer { word in
            let slot = find(word, hash: Self.hash(word))
            return slots[slot] == 0 ? nil : slots[slot] - 1
        }
    }

    private mutating func id(of word: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(word)
        let slot = find(word, hash: hash)
        if slots[slot] != 0 { return slots[slot] - 1 }
        let id = Int32(count)
        bytes.append(contentsOf: word)
        ends.append(bytes.count)
        hashes.append(hash)
        slots[slot] = id + 1
        if count * 2 > slots.count { grow() }
        return id
    }

    /// The slot that holds `word`, or the empty slot where it would go.
    private func find(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return bytes.withUnsafeBufferPointer { bytes in
            while slots[slot] != 0 {
                let id = Int(slots[slot] - 1)
                if hashes[id] == hash, ends[id + 1] - ends[id] == word.count,
                   word.count == 0 || memcmp(bytes.baseAddress! + ends[id], word.baseAddress!, word.count) == 0 {
                    return slot
                }
                slot = (slot + 1) & mask
            }
            return slot
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// FNV-1a with a final mix, so the low bits the table uses depend on every byte.
    private static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        value ^= value >> 29
        value &*= 0xbf58_476d_1ce4_e5b9
        return value ^ (value >> 32)
    }
}

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


    /// The index, and the runs of documents it was made from (`chunks`), each indexed apart
    /// under the digest of what its words come from: a build keeps them (`SearchCache`) and
    /// hands them back as `known`, and a run whose digest is there is not indexed again.
    /// `indexedAnew`: how many of the runs were not taken from `known`.
    static func indexed(_ archive: Archive, paths: SitePaths, known: [UInt64: Chunk])
        -> (index: SearchIndex, chunks: [Chunk], indexedAnew: Int) {
        var sources: [Source] = archive.articles.enumerated().map { index, linked in
            Source(kind: .article, title: linked.article.title, names: [], path: paths.href(from: SitePaths.home, to: SitePaths.article(linked.article.id)),
                   date: linked.article.date?.day, text: linked.text, digest: archive.articleDigests[index])
        }
        for kind in [EntityKind.actor, .place] {
            sources += archive.registry.entities.filter { $0.ref.kind == kind }.map { entity in
                Source(kind: kind == .actor ? .actor : .place, title: entity.name, names: entity.aliases + entity.shownAliases,
                       path: paths.href(from: SitePaths.home, to: SitePaths.entity(entity.ref)), date: nil,
                       text: archive.descriptions[entity.ref]?.text ?? "", digest: nil)
            }
        }
        sources += archive.notes.enumerated().map { index, linked in
            Source(kind: .note, title: linked.note.title, names: [], path: paths.href(from: SitePaths.home, to: SitePaths.note(linked.note.id)),
                   date: linked.note.date?.day, text: linked.body.text, digest: archive.noteDigests[index])
        }
        // Each run of documents numbers its words on its own; the runs' numbers are then
        // mapped to the whole index's, once per word and run rather than once per posting.
        let made = Parallel.map(RunFolder.runs(of: sources.lazy.map(\.path))) { [sources] run -> (chunk: Chunk, anew: Bool) in
            let digest = Chunk.digest(of: sources[run])
            if let chunk = known[digest], chunk.documentEnds.count == run.count { return (chunk, false) }
            return (Chunk(sources[run], digest: digest), true)
        }
        let chunks = made.map(\.chunk)
        var table = WordTable()
        var folds: [Unicode.Scalar: String] = [:]
        let globalIDs = chunks.map { chunk in
            for scalar in chunk.unusual where folds[scalar] == nil {
                folds[scalar] = String(scalars: TextFolding.fold(scalar))
            }
            return (0..<chunk.words.count).map { table.id(of: chunk.words, word: $0) }
        }
        var starts = [Int32](repeating: 0, count: table.count + 1)
        for (chunk, ids) in zip(chunks, globalIDs) {
            for local in chunk.postingWords { starts[Int(ids[Int(local)]) + 1] += 1 }
        }
        for word in 0..<table.count { starts[word + 1] += starts[word] }
        var next = starts
        var documents = [Int32](repeating: 0, count: Int(starts[table.count]))
        var weights = [Int32](repeating: 0, count: Int(starts[table.count]))
        var document: Int32 = 0
        for (chunk, ids) in zip(chunks, globalIDs) {
            var position = 0
            for end in chunk.documentEnds {
                while position < Int(end) {
                    let word = Int(ids[Int(chunk.postingWords[position])])
                    documents[Int(next[word])] = document
                    weights[Int(next[word])] = chunk.postingWeights[position]
                    next[word] += 1
                    position += 1
                }
                document += 1
            }
        }
        let index = SearchIndex(documents: Parallel.map(sources) { $0.document }, words: (0..<table.count).map { table.word($0) }, folds: folds,
                                postingStarts: starts, postingDocuments: documents, postingWeights: weights, table: table)
        return (index, chunks, made.filter(\.anew).count)
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

    /// Adds the word with id `word` and its postings to `hash`.
    func combinePostings(ofWord word: Int, into hash: inout StableHash) {
        hash.combine(words[word])
        let range = postingRange(ofWord: word)
        postingDocuments[range].withUnsafeBytes { hash.combine($0) }
        postingWeights[range].withUnsafeBytes { hash.combine($0) }
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
    fileprivate struct Source: Sendable {
        let kind: Kind
        let title: String
        /// Aliases, which count as much as the title.
        let names: [String]
        let path: String
        let date: String?
        let text: String
        /// The digest of the file the title and text come from, when there is one.
        let digest: UInt64?

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

        /// The fields whose words are indexed, each with how much a word in it counts.
        var weightedFields: [(text: String, weight: Int32)] {
            [(title, Int32(SearchIndex.titleWeight)), (text, 1)] + names.map { ($0, Int32(SearchIndex.titleWeight)) }
        }
    }

    /// The postings of a run of documents, with the words numbered within the run.
    struct Chunk: Sendable {
        /// The digest of the run's titles, names and texts (`digest(of:)`).
        let digest: UInt64
        let words: WordList
        /// Each posting's word (a chunk word id) and weight.
        let postingWords: [Int32]
        let postingWeights: [Int32]
        /// For each document of the run, where its postings end (they start where the last
        /// document's end).
        let documentEnds: [Int32]
        /// The characters of the run that fold to something else than themselves.
        let unusual: [Unicode.Scalar]
    }
}

extension SearchIndex {
    public init(_ archive: Archive, paths: SitePaths) {
        self = Self.indexed(archive, paths: paths, known: [:]).index
    }
}

extension SearchIndex.Chunk {
    fileprivate init(_ sources: ArraySlice<SearchIndex.Source>, digest: UInt64) {
        var table = WordTable()
        var unusual: Set<Unicode.Scalar> = []
        var postingWords: [Int32] = []
        var postingWeights: [Int32] = []
        var documentEnds: [Int32] = []
        // A word's weight in the current document, by chunk word id, and the words it has.
        var weightOfWord: [Int32] = []
        var wordsOfDocument: [Int32] = []
        var buffer: [UInt8] = []
        for source in sources {
            for (field, weight) in source.weightedFields {
                SearchIndex.forEachWord(in: field, unusual: &unusual, buffer: &buffer) { word in
                    let id = Int(table.id(of: word))
                    if id == weightOfWord.count { weightOfWord.append(0) }
                    if weightOfWord[id] == 0 { wordsOfDocument.append(Int32(id)) }
                    weightOfWord[id] += weight
                }
            }
            for id in wordsOfDocument {
                postingWords.append(id)
                postingWeights.append(weightOfWord[Int(id)])
                weightOfWord[Int(id)] = 0
            }
            documentEnds.append(Int32(postingWords.count))
            wordsOfDocument.removeAll(keepingCapacity: true)
        }
        self.init(digest: digest, words: table.list, postingWords: postingWords, postingWeights: postingWeights,
                  documentEnds: documentEnds, unusual: unusual.sorted { $0.value < $1.value })
    }

    /// What the run's postings are made from: each document's file digest where it has a
    /// file, else its title, names and text, in order.
    fileprivate static func digest(of sources: ArraySlice<SearchIndex.Source>) -> UInt64 {
        var hash = StableHash()
        hash.combine(sources.count)
        for source in sources {
            if let digest = source.digest {
                hash.combine(digest)
                continue
            }
            hash.combine(source.title)
            hash.combine(source.names.count)
            for name in source.names { hash.combine(name) }
            hash.combine(source.text)
        }
        return hash.value
    }
}

/// Words as UTF-8 bytes one after another: word `n` is `bytes[ends[n]..<ends[n + 1]]`.
struct WordList: Sendable, Equatable {
    var bytes: [UInt8] = []
    var ends: [Int32] = [0]

    var count: Int { ends.count - 1 }

    func word(_ id: Int) -> String {
        String(decoding: bytes[Int(ends[id])..<Int(ends[id + 1])], as: UTF8.self)
    }
}

/// Distinct words as UTF-8 bytes, numbered in the order they were first seen: a hash table
/// over one byte buffer, so a word seen again costs a hash and a comparison, not a `String`.
struct WordTable: Sendable {
    /// Every word, in the order of its id.
    private(set) var list = WordList()
    private var hashes: [UInt64] = []
    /// Open addressing, linear probing: each slot holds a word id plus one, or 0 when empty.
    private var slots = [Int32](repeating: 0, count: 1024)

    var count: Int { hashes.count }

    /// The word with id `id`.
    func word(_ id: Int) -> String {
        list.word(id)
    }

    /// The id of `word`, which is numbered next if it is new.
    mutating func id(of word: [UInt8]) -> Int32 {
        word.withUnsafeBufferPointer { id(of: $0) }
    }

    /// The id in this table of the word with id `id` in `other`.
    mutating func id(of other: WordList, word id: Int) -> Int32 {
        other.bytes.withUnsafeBufferPointer { self.id(of: UnsafeBufferPointer(rebasing: $0[Int(other.ends[id])..<Int(other.ends[id + 1])])) }
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
        list.bytes.append(contentsOf: word)
        list.ends.append(Int32(list.bytes.count))
        hashes.append(hash)
        slots[slot] = id + 1
        if count * 2 > slots.count { grow() }
        return id
    }

    /// The slot that holds `word`, or the empty slot where it would go.
    private func find(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return list.bytes.withUnsafeBufferPointer { bytes in
            while slots[slot] != 0 {
                let id = Int(slots[slot] - 1)
                if hashes[id] == hash, Int(list.ends[id + 1] - list.ends[id]) == word.count,
                   word.count == 0 || memcmp(bytes.baseAddress! + Int(list.ends[id]), word.baseAddress!, word.count) == 0 {
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

import Foundation

extension SearchIndex {
    /// A run of documents as the terms know it: the digest of its documents (`digest(of:)`),
    /// how many documents it has, and the characters of its text that fold to
    /// something else than themselves (for `folds`).
    struct Run: Sendable, Equatable {
        let digest: UInt64
        let documents: Int
        var unusual: [Unicode.Scalar]
    }

    /// The words of the index with their postings, and the runs of documents they come from:
    /// what a build keeps for the next (`SearchCache`), which patches them where runs changed
    /// (`patched`) instead of merging every run again.
    struct Terms: Sendable {
        var runs: [Run] = []
        /// Every word once: its id is its position. No word is without postings.
        var table = WordTable()
        /// The postings of all words one after another, word by word, each word's in document
        /// order: word `w`'s are at `postingStarts[w]..<postingStarts[w + 1]`. Flat integer
        /// arrays, not an array per word: a large archive has millions of postings.
        var postingStarts: [Int32] = [0]
        var postingDocuments: [Int32] = []
        var postingWeights: [Int32] = []
        /// For each word, the digest of its postings: a terms file's fingerprint is made of its
        /// words' (`SearchFiles.plan`) without hashing every posting again.
        var postingDigests: [UInt64] = []
        /// The word ids in the order of the words' UTF-8 bytes (that of their scalars): the
        /// order the shards are cut in and list their words in.
        var wordOrder: [Int32] = []

        var words: WordList { table.list }

        var documentCount: Int { runs.reduce(0) { $0 + $1.documents } }

        func postingRange(ofWord word: Int) -> Range<Int> {
            Int(postingStarts[word])..<Int(postingStarts[word + 1])
        }

        /// For each of `runs`, the position among these terms' runs of the same run (same
        /// digest and size), where there is one that keeps the runs matched so far in order.
        func matches(of runs: [Run]) -> [Int?] {
            var positions: [UInt64: [Int]] = [:]
            for (position, run) in self.runs.enumerated() { positions[run.digest, default: []].append(position) }
            var next = 0
            return runs.map { run in
                guard let position = positions[run.digest]?.first(where: { $0 >= next }),
                      self.runs[position].documents == run.documents else { return nil }
                next = position + 1
                return position
            }
        }

        /// These terms with `runs` as their runs of documents. The postings of a run found among
        /// the last ones (`lastRuns`, as `matches` gives them) are kept, their documents
        /// renumbered where the runs before them changed; the other runs' postings are those
        /// of `chunks` (by position in `runs`). Postings of runs gone are dropped, and so are
        /// the words left without any. Only the words whose postings changed are hashed again.
        func patched(runs: [Run], lastRuns: [Int?], chunks: [Int: Chunk]) -> Terms {
            let lastStarts = Self.starts(of: self.runs)
            let starts = Self.starts(of: runs)
            // Where each last document is now; -1 where its run is gone.
            var documentMap = [Int32](repeating: -1, count: documentCount)
            for (position, last) in lastRuns.enumerated() {
                guard let last else { continue }
                for offset in 0..<runs[position].documents { documentMap[lastStarts[last] + offset] = Int32(starts[position] + offset) }
            }
            var table = self.table
            var added = AddedPostings(chunks, runStarts: starts, table: &table)

            // How many postings each word keeps and gains, and whether they changed.
            var counts = [Int32](repeating: 0, count: table.count)
            var changed = [Bool](repeating: false, count: table.count)
            for word in 0..<table.count {
                if word < self.table.count {
                    for position in postingRange(ofWord: word) {
                        let document = documentMap[Int(postingDocuments[position])]
                        if document >= 0 { counts[word] += 1 }
                        if document != postingDocuments[position] { changed[word] = true }
                    }
                }
                let gained = added.range(ofWord: word).count
                if gained > 0 { changed[word] = true }
                counts[word] += Int32(gained)
            }
            let kept = (0..<table.count).filter { counts[$0] > 0 }

            var terms = Terms(runs: runs)
            for (position, chunk) in chunks { terms.runs[position].unusual = chunk.unusual }
            for (position, last) in lastRuns.enumerated() {
                if let last { terms.runs[position].unusual = self.runs[last].unusual }
            }
            if kept.count == table.count {
                terms.table = table
            } else {
                for word in kept { _ = terms.table.id(of: table.list, word: word) }
            }
            terms.postingStarts = [Int32](repeating: 0, count: kept.count + 1)
            for (id, word) in kept.enumerated() { terms.postingStarts[id + 1] = terms.postingStarts[id] + counts[word] }
            terms.postingDigests = [UInt64](repeating: 0, count: kept.count)
            if postingDocuments.isEmpty {
                // No last postings (a first build): the added ones are all, taken as they are.
                (terms.postingDocuments, terms.postingWeights) = added.take()
                for id in kept.indices {
                    let range = terms.postingRange(ofWord: id)
                    terms.postingDigests[id] = Self.digest(terms.postingDocuments[range], terms.postingWeights[range])
                }
            } else {
                terms.postingDocuments = [Int32](repeating: 0, count: Int(terms.postingStarts[kept.count]))
                terms.postingWeights = terms.postingDocuments
                for (id, word) in kept.enumerated() {
                    guard changed[word] else {
                        terms.copyPostings(ofWord: word, from: self, as: id)
                        continue
                    }
                    terms.mergePostings(ofWord: word, from: self, renumbered: documentMap, and: added, as: id)
                }
            }

            // The last order without the words dropped, merged with the new words sorted.
            var ids = [Int32](repeating: -1, count: table.count)
            for (id, word) in kept.enumerated() { ids[word] = Int32(id) }
            let lastOrder = wordOrder.compactMap { ids[Int($0)] >= 0 ? ids[Int($0)] : nil }
            let newWords = terms.table.list.sorted(kept.indices.filter { kept[$0] >= self.table.count }.map(Int32.init))
            terms.wordOrder = terms.table.list.merged(lastOrder, newWords)
            return terms
        }

        /// Copies the postings of word `word` of `last`, and their digest, as those of word `id`.
        private mutating func copyPostings(ofWord word: Int, from last: Terms, as id: Int) {
            let range = last.postingRange(ofWord: word)
            let start = Int(postingStarts[id])
            postingDocuments.replaceSubrange(start..<start + range.count, with: last.postingDocuments[range])
            postingWeights.replaceSubrange(start..<start + range.count, with: last.postingWeights[range])
            postingDigests[id] = last.postingDigests[word]
        }

        /// Makes the postings of word `id` of the postings of word `word` of `last` whose
        /// documents are still there (`documentMap`: their numbers now) and those `added` has
        /// for it, both in document order, merged; and their digest.
        private mutating func mergePostings(ofWord word: Int, from last: Terms, renumbered documentMap: [Int32],
                                            and added: AddedPostings, as id: Int) {
            var end = Int(postingStarts[id])
            func append(_ document: Int32, _ weight: Int32) {
                postingDocuments[end] = document
                postingWeights[end] = weight
                end += 1
            }
            let gained = added.range(ofWord: word)
            var next = gained.lowerBound
            for position in word < last.table.count ? last.postingRange(ofWord: word) : 0..<0 {
                let document = documentMap[Int(last.postingDocuments[position])]
                guard document >= 0 else { continue }
                while next < gained.upperBound && added.documents[next] < document {
                    append(added.documents[next], added.weights[next])
                    next += 1
                }
                append(document, last.postingWeights[position])
            }
            for position in next..<gained.upperBound { append(added.documents[position], added.weights[position]) }
            let range = postingRange(ofWord: id)
            postingDigests[id] = Self.digest(postingDocuments[range], postingWeights[range])
        }

        /// Where each run's documents start.
        private static func starts(of runs: [Run]) -> [Int] {
            var starts: [Int] = []
            var start = 0
            for run in runs {
                starts.append(start)
                start += run.documents
            }
            return starts
        }

        /// The digest of a word's postings.
        static func digest(_ documents: ArraySlice<Int32>, _ weights: ArraySlice<Int32>) -> UInt64 {
            var hash = StableHash()
            documents.withUnsafeBytes { hash.combine($0) }
            weights.withUnsafeBytes { hash.combine($0) }
            return hash.value
        }
    }

    /// The postings of the runs indexed anew, word by word (ids of the table they were
    /// numbered in), each word's in document order.
    private struct AddedPostings {
        private(set) var starts: [Int32]
        private(set) var documents: [Int32]
        private(set) var weights: [Int32]

        /// The postings of `chunks` (by position among the runs, which start at `runStarts`),
        /// their words numbered in `table`, new ones after its words.
        init(_ chunks: [Int: Chunk], runStarts: [Int], table: inout WordTable) {
            // In run order, so that each word's postings come in document order.
            let chunks = chunks.sorted { $0.key < $1.key }
            let ids = chunks.map { _, chunk in (0..<chunk.words.count).map { table.id(of: chunk.words, word: $0) } }
            starts = [Int32](repeating: 0, count: table.count + 1)
            for ((_, chunk), ids) in zip(chunks, ids) {
                for local in chunk.postingWords { starts[Int(ids[Int(local)]) + 1] += 1 }
            }
            for word in 0..<table.count { starts[word + 1] += starts[word] }
            var next = starts
            documents = [Int32](repeating: 0, count: Int(starts[table.count]))
            weights = documents
            for ((position, chunk), ids) in zip(chunks, ids) {
                var posting = 0
                for (offset, end) in chunk.documentEnds.enumerated() {
                    while posting < Int(end) {
                        let word = Int(ids[Int(chunk.postingWords[posting])])
                        documents[Int(next[word])] = Int32(runStarts[position] + offset)
                        weights[Int(next[word])] = chunk.postingWeights[posting]
                        next[word] += 1
                        posting += 1
                    }
                }
            }
        }

        func range(ofWord word: Int) -> Range<Int> {
            Int(starts[word])..<Int(starts[word + 1])
        }

        /// The documents and weights, given up rather than copied.
        mutating func take() -> (documents: [Int32], weights: [Int32]) {
            defer { (documents, weights) = ([], []) }
            return (documents, weights)
        }
    }

    /// The postings of a run of documents, with the words numbered within the run.
    struct Chunk: Sendable {
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

extension SearchIndex.Chunk {
    init(_ sources: ArraySlice<SearchIndex.Source>) {
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
        self.init(words: table.list, postingWords: postingWords, postingWeights: postingWeights,
                  documentEnds: documentEnds, unusual: unusual.sorted { $0.value < $1.value })
    }
}

extension SearchIndex.Run {
    /// The digest of a run of documents: what each is made of (`Source.combine`), in order.
    static func digest(of sources: ArraySlice<SearchIndex.Source>) -> UInt64 {
        var hash = StableHash()
        hash.combine(sources.count)
        for source in sources { source.combine(into: &hash) }
        return hash.value
    }
}

/// Words as UTF-8 bytes one after another: word `n` is `bytes[ends[n]..<ends[n + 1]]`.
struct WordList: Sendable, Equatable {
    var bytes: [UInt8] = []
    var ends: [Int32] = [0]

    func word(_ id: Int) -> String {
        String(decoding: bytes[Int(ends[id])..<Int(ends[id + 1])], as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of word `id`.
    func withBytes<Result>(of id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(ends[id])..<Int(ends[id + 1])])) }
    }

    /// The words with these ids in the order of their bytes, sorted on all cores (by first byte).
    func sorted(_ ids: [Int32]) -> [Int32] {
        var byFirstByte = [[Int32]](repeating: [], count: 257)
        for id in ids {
            let (start, end) = (Int(ends[Int(id)]), Int(ends[Int(id) + 1]))
            byFirstByte[start == end ? 0 : Int(bytes[start]) + 1].append(id)
        }
        return Parallel.map(byFirstByte.filter { !$0.isEmpty }) { group in group.sorted { precedes($0, $1) } }.flatMap { $0 }
    }

    /// Two lists of word ids, each in the order of the words' bytes, as one in that order.
    func merged(_ first: [Int32], _ second: [Int32]) -> [Int32] {
        guard !second.isEmpty else { return first }
        var merged: [Int32] = []
        merged.reserveCapacity(first.count + second.count)
        var (a, b) = (0, 0)
        while a < first.count && b < second.count {
            if precedes(second[b], first[a]) {
                merged.append(second[b])
                b += 1
            } else {
                merged.append(first[a])
                a += 1
            }
        }
        return merged + first[a...] + second[b...]
    }

    /// Whether word `a`'s bytes come before word `b`'s.
    func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let (aStart, aEnd, bStart, bEnd) = (Int(ends[Int(a)]), Int(ends[Int(a) + 1]), Int(ends[Int(b)]), Int(ends[Int(b) + 1]))
        let common = Swift.min(aEnd - aStart, bEnd - bStart)
        let order = common == 0 ? 0 : bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + aStart, $0.baseAddress! + bStart, common) }
        return order != 0 ? order < 0 : aEnd - aStart < bEnd - bStart
    }
}

/// The words as a collection of strings, each made when asked for.
extension WordList: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { ends.count - 1 }
    subscript(position: Int) -> String { word(position) }
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

    mutating func id(of word: UnsafeBufferPointer<UInt8>) -> Int32 {
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

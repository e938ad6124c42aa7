import Foundation

/// The search index as classic script files under `public/search/`, which the search page
/// loads with `<script>` elements rather than `fetch`, so search works from disk (`file://`)
/// as over HTTP. The index is split so one query loads only a little of a large archive:
///
/// - `meta.js`: the shards by their words' first letters, the document count, the fold table;
/// - `terms-<name>.js`: the words of one shard (those beginning with its letters), each with its
///   documents and weights as a flat list `[document, weight, document, weight, ...]`; the
///   name is the letters in hexadecimal (`shardName`);
/// - `docs-<n>.js`: title, kind, path, date and snippet text of `documentsPerFile` documents.
///
/// Each file calls a function of `DossierSearch` (the theme's `assets/search.js`) with its data.
public enum SearchFiles {
    /// Documents per `docs-<n>.js`.
    static let documentsPerFile = 50
    static let metaPath = "search/meta.js"

    /// A file of the index not yet made: its path, the fingerprint of what it is made from,
    /// and how to make it. A build makes only those whose fingerprint changed.
    struct Planned: Sendable {
        let path: String
        let fingerprint: UInt64
        let make: @Sendable () -> OutputFile
    }

    /// Every file of the index, made on all cores. `postingsPerShard`: the postings in a shard
    /// above which its words are split by one more letter (about 8 bytes each).
    public static func all(_ index: SearchIndex, postingsPerShard: Int = 20_000) -> [OutputFile] {
        Parallel.map(plan(index, postingsPerShard: postingsPerShard)) { $0.make() }
    }

    /// Every file of the index, planned. Each fingerprint starts from `key` (what the tool,
    /// theme and settings make of the files); a terms file's adds its words and the digests of
    /// their postings, a docs file's what its documents are made of (for an article or note its
    /// file's digest: no document is made to take it). `meta.js`, which holds the shards and
    /// the document count, takes `metaFingerprint`, the fingerprint of every document: it is
    /// made whenever any changed, and a build that finds it unchanged carries the whole index
    /// over unmade.
    static func plan(_ index: SearchIndex, postingsPerShard: Int = 20_000, key: UInt64 = 0, metaFingerprint: UInt64 = 0) -> [Planned] {
        let shards = shards(of: index, postingsPerShard: postingsPerShard)
        var files = [Planned(path: metaPath, fingerprint: metaFingerprint) {
            let meta = Meta(documents: index.documents.count, documentsPerFile: documentsPerFile,
                            folds: Dictionary(uniqueKeysWithValues: index.folds.map { (String($0.key), $0.value) }),
                            shards: Dictionary(uniqueKeysWithValues: shards.map { ($0.key, shardName($0.key)) }))
            return OutputFile(path: metaPath, text: "DossierSearch.meta(\(ScriptJSON.encode(meta)));\n")
        }]
        files += Parallel.map(shards) { shard in
            let name = shardName(shard.key)
            var hash = StableHash()
            hash.combine(key)
            hash.combine("terms " + name)
            for word in shard.words { index.combinePostings(ofWord: word, into: &hash) }
            return Planned(path: "search/terms-\(name).js", fingerprint: hash.value) {
                var script = JSONText()
                script.raw("DossierSearch.terms(")
                script.string(name)
                script.raw(UInt8(ascii: ","))
                appendTermsJSON(shard.words, index, to: &script)
                script.raw(");\n")
                return OutputFile(path: "search/terms-\(name).js", contents: Data(script.bytes))
            }
        }
        let starts = Array(stride(from: 0, to: index.documents.count, by: documentsPerFile))
        files += Parallel.map(starts) { start in
            let number = start / documentsPerFile
            let documents = index.documents[start..<min(start + documentsPerFile, index.documents.count)]
            var hash = StableHash()
            hash.combine(key)
            hash.combine("docs")
            hash.combine(number)
            for source in index.documents.sources[documents.indices] { source.combine(into: &hash) }
            return Planned(path: "search/docs-\(number).js", fingerprint: hash.value) {
                // Each document as a compact array: `[kind, title, path, date, text]`, escaped
                // for a script as it is written.
                var script = JSONText(forScript: true)
                script.raw("DossierSearch.docs(")
                script.number(number)
                script.raw(UInt8(ascii: ","))
                script.array(documents) { json, document in
                    json.raw(UInt8(ascii: "["))
                    json.number(document.kind.rawValue)
                    for field in [document.title, document.path, document.date ?? "", document.text] {
                        json.raw(UInt8(ascii: ","))
                        json.string(field)
                    }
                    json.raw(UInt8(ascii: "]"))
                }
                script.raw(");\n")
                return OutputFile(path: "search/docs-\(number).js", contents: Data(script.bytes))
            }
        }
        return files
    }

    /// A shard's name in its file's: its key's UTF-8 bytes in hexadecimal, which any file system
    /// takes and which stays the same while the key does (numbers in key order would shift
    /// with every shard an edit adds, and every later file would be written again).
    static func shardName(_ key: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: key.utf8.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    /// `{"word":[document,weight,...],...}` of the words with these ids, in their order.
    /// Written by hand: the words are runs of letters and digits (`SearchIndex.words`), which
    /// JSON takes as they are, and the encoder spends seconds on a large archive's millions of
    /// numbers.
    static func appendTermsJSON(_ words: [Int], _ index: SearchIndex, to json: inout JSONText) {
        json.raw(UInt8(ascii: "{"))
        for (position, word) in words.enumerated() {
            if position > 0 { json.raw(UInt8(ascii: ",")) }
            json.raw(UInt8(ascii: "\""))
            index.words.withBytes(of: word) { json.raw($0) }
            json.raw("\":[")
            var first = true
            index.forEachPosting(ofWord: word) { document, weight in
                if !first { json.raw(UInt8(ascii: ",")) }
                first = false
                json.number(Int(document))
                json.raw(UInt8(ascii: ","))
                json.number(Int(weight))
            }
            json.raw(UInt8(ascii: "]"))
        }
        json.raw(UInt8(ascii: "}"))
    }

    /// The words (ids into `index.words`) grouped by their first letter; a group with too many
    /// postings is split by one more letter, and so on (its words too short for the longer key
    /// keep the shorter one). In the order of the keys' bytes, each shard's words in that of
    /// theirs: taken from the index's words in byte order (`SearchIndex.Terms.wordOrder`), in
    /// which a group is a run of words, and its postings a difference of two sums.
    static func shards(of index: SearchIndex, postingsPerShard: Int) -> [(key: String, words: [Int])] {
        let order = index.terms.wordOrder
        var postingsBefore = [Int](repeating: 0, count: order.count + 1)
        for (position, word) in order.enumerated() { postingsBefore[position + 1] = postingsBefore[position] + index.postingCount(ofWord: Int(word)) }
        let words = index.words
        var shards: [(key: String, words: [Int])] = []
        words.bytes.withUnsafeBufferPointer { bytes in
            func start(_ position: Int) -> Int { Int(words.ends[Int(order[position])]) }
            func byteCount(_ position: Int) -> Int { Int(words.ends[Int(order[position]) + 1]) - start(position) }
            /// Cuts `range`, words that share their first `keyLength` bytes and are all longer,
            /// by their next letter (in UTF-8 its first byte tells its length).
            func cut(_ range: Range<Int>, after keyLength: Int) {
                var groupStart = range.lowerBound
                while groupStart < range.upperBound {
                    let lead = bytes[start(groupStart) + keyLength]
                    let length = min(keyLength + SourceText.scalarLength(startingWith: lead), byteCount(groupStart))
                    let key = UnsafeBufferPointer(rebasing: bytes[start(groupStart)..<start(groupStart) + length])
                    var groupEnd = groupStart + 1
                    while groupEnd < range.upperBound, byteCount(groupEnd) >= length,
                          memcmp(bytes.baseAddress! + start(groupEnd) + keyLength, key.baseAddress! + keyLength, length - keyLength) == 0 {
                        groupEnd += 1
                    }
                    // A word that is the key itself sorts first in its group.
                    let short = byteCount(groupStart) == length ? 1 : 0
                    let name = String(decoding: key, as: UTF8.self)
                    if postingsBefore[groupEnd] - postingsBefore[groupStart] > postingsPerShard, groupEnd - groupStart > short {
                        if short == 1 { shards.append((name, [Int(order[groupStart])])) }
                        cut(groupStart + short..<groupEnd, after: length)
                    } else {
                        shards.append((name, order[groupStart..<groupEnd].map(Int.init)))
                    }
                    groupStart = groupEnd
                }
            }
            cut(0..<order.count, after: 0)
        }
        return shards
    }

    private struct Meta: Encodable {
        let documents: Int
        let documentsPerFile: Int
        let folds: [String: String]
        let shards: [String: String]
    }
}

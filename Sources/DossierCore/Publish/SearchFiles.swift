import Foundation

/// The search index as classic script files under `public/search/`, which the search page
/// loads with `<script>` elements rather than `fetch`, so search works from disk (`file://`)
/// as over HTTP. The index is split so one query loads only a little of a large archive:
///
/// - `meta.js`: the shards by their words' first letters, the document count, the fold table;
/// - `terms-<n>.js`: the words of one shard (those beginning with its letters), each with its
///   documents and weights as a flat list `[document, weight, document, weight, ...]`;
/// - `docs-<n>.js`: title, kind, path, date and snippet text of `documentsPerFile` documents.
///
/// Each file calls a function of `DossierSearch` (the theme's `assets/search.js`) with its data.
public enum SearchFiles {
    /// Documents per `docs-<n>.js`.
    static let documentsPerFile = 50
    /// `postingsPerShard`: the postings in a shard above which its words are split by one more
    /// letter (about 8 bytes each).
    public static func all(_ index: SearchIndex, postingsPerShard: Int = 20_000) -> [OutputFile] {
        let shards = shards(of: index, postingsPerShard: postingsPerShard)
        let meta = Meta(documents: index.documents.count, documentsPerFile: documentsPerFile,
                        folds: Dictionary(uniqueKeysWithValues: index.folds.map { (String($0.key), $0.value) }),
                        shards: Dictionary(uniqueKeysWithValues: shards.enumerated().map { ($1.key, $0) }))
        var files = [OutputFile(path: "search/meta.js", text: "DossierSearch.meta(\(ScriptJSON.encode(meta)));\n")]
        files += Parallel.map(Array(shards.enumerated())) { number, shard in
            var script = JSONText()
            script.raw("DossierSearch.terms(")
            script.number(number)
            script.raw(UInt8(ascii: ","))
            appendTermsJSON(shard.words, index, to: &script)
            script.raw(");\n")
            return OutputFile(path: "search/terms-\(number).js", contents: Data(script.bytes))
        }
        let starts = Array(stride(from: 0, to: index.documents.count, by: documentsPerFile))
        files += Parallel.map(starts) { start in
            let number = start / documentsPerFile
            // Each document as a compact array: `[kind, title, path, date, text]`, escaped for
            // a script as it is written.
            var script = JSONText(forScript: true)
            script.raw("DossierSearch.docs(")
            script.number(number)
            script.raw(UInt8(ascii: ","))
            script.array(index.documents[start..<min(start + documentsPerFile, index.documents.count)]) { json, document in
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
        return files
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
            json.raw(index.words[word])
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
    /// keep the shorter one). Sorted by key, each shard's words by word.
    static func shards(of index: SearchIndex, postingsPerShard: Int) -> [(key: String, words: [Int])] {
        let scalars = index.words.map { Array($0.unicodeScalars) }
        func shards(of words: [Int], letters: Int) -> [(key: String, words: [Int])] {
            Dictionary(grouping: words) { String(String.UnicodeScalarView(scalars[$0].prefix(letters))) }
                .flatMap { key, words -> [(key: String, words: [Int])] in
                    let postings = words.reduce(0) { $0 + index.postingCount(ofWord: $1) }
                    let longer = words.filter { scalars[$0].count > letters }
                    guard postings > postingsPerShard, !longer.isEmpty else { return [(key, words)] }
                    let short = words.filter { scalars[$0].count <= letters }
                    return (short.isEmpty ? [] : [(key, short)]) + shards(of: longer, letters: letters + 1)
                }
        }
        let unsorted = shards(of: Array(index.words.indices), letters: 1).sorted { $0.key < $1.key }
        return Parallel.map(unsorted) { shard in (shard.key, shard.words.sorted { index.words[$0] < index.words[$1] }) }
    }

    private struct Meta: Encodable {
        let documents: Int
        let documentsPerFile: Int
        let folds: [String: String]
        let shards: [String: Int]
    }
}

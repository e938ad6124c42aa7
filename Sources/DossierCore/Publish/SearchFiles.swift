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
            OutputFile(path: "search/terms-\(number).js", text: "DossierSearch.terms(\(number),\(termsJSON(shard.words, index)));\n")
        }
        for start in stride(from: 0, to: index.documents.count, by: documentsPerFile) {
            let number = start / documentsPerFile
            let documents = index.documents[start..<min(start + documentsPerFile, index.documents.count)].map(EncodedDocument.init)
            files.append(OutputFile(path: "search/docs-\(number).js", text: "DossierSearch.docs(\(number),\(ScriptJSON.encode(documents)));\n"))
        }
        return files
    }

    /// `{"word":[document,weight,...],...}`, sorted by word. Written by hand: the words are runs
    /// of letters and digits (`SearchIndex.words`), which JSON takes as they are, and the
    /// encoder spends seconds on a large archive's millions of numbers.
    static func termsJSON(_ words: [String], _ index: SearchIndex) -> String {
        var json: [UInt8] = [UInt8(ascii: "{")]
        func append(_ number: Int) {
            var digits: [UInt8] = []
            var rest = number
            repeat {
                digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            json.append(contentsOf: digits.reversed())
        }
        for (position, word) in words.enumerated() {
            if position > 0 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "\""))
            json.append(contentsOf: word.utf8)
            json.append(contentsOf: "\":[".utf8)
            for (number, posting) in index.postings[word, default: []].enumerated() {
                if number > 0 { json.append(UInt8(ascii: ",")) }
                append(posting.document)
                json.append(UInt8(ascii: ","))
                append(posting.weight)
            }
            json.append(UInt8(ascii: "]"))
        }
        json.append(UInt8(ascii: "}"))
        return String(decoding: json, as: UTF8.self)
    }

    /// The words grouped by their first letter; a group with too many postings is split by one
    /// more letter, and so on (its words too short for the longer key keep the shorter one).
    /// Sorted by key.
    static func shards(of index: SearchIndex, postingsPerShard: Int) -> [(key: String, words: [String])] {
        func shards(of words: [String], letters: Int) -> [(key: String, words: [String])] {
            Dictionary(grouping: words) { String(String.UnicodeScalarView($0.unicodeScalars.prefix(letters))) }
                .flatMap { key, words -> [(key: String, words: [String])] in
                    let postings = words.reduce(0) { $0 + index.postings[$1, default: []].count }
                    let longer = words.filter { $0.unicodeScalars.count > letters }
                    guard postings > postingsPerShard, !longer.isEmpty else { return [(key, words.sorted())] }
                    let short = words.filter { $0.unicodeScalars.count <= letters }
                    return (short.isEmpty ? [] : [(key, short.sorted())]) + shards(of: longer, letters: letters + 1)
                }
        }
        return shards(of: Array(index.postings.keys), letters: 1).sorted { $0.key < $1.key }
    }

    private struct Meta: Encodable {
        let documents: Int
        let documentsPerFile: Int
        let folds: [String: String]
        let shards: [String: Int]
    }

    /// A document as a compact array: `[kind, title, path, date, text]`.
    private struct EncodedDocument: Encodable {
        let document: SearchIndex.Document

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(document.kind.rawValue)
            try container.encode(document.title)
            try container.encode(document.path)
            try container.encode(document.date ?? "")
            try container.encode(document.text)
        }
    }
}

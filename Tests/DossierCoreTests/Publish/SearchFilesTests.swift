import Foundation
import Testing
@testable import DossierCore

@Suite struct SearchFilesTests {
    /// The JSON the file at `path` hands to `DossierSearch.<function>(...)`, its number argument dropped.
    private func payload(_ path: String, in files: [OutputFile], function: String) throws -> Any {
        let file = try #require(files.first { $0.path == path })
        let text = String(decoding: try #require(file.body.materialized()), as: UTF8.self)
        let call = try #require(text.wholeMatch(of: /DossierSearch\.(\w+)\((?:\d+,|"[0-9a-f]+",)?(.*)\);\n/.dotMatchesNewlines()))
        #expect(String(call.output.1) == function)
        return try JSONSerialization.jsonObject(with: Data(call.output.2.utf8))
    }

    @Test(arguments: ["", "Ωμέγα, ωραίο ωκεανός; мир, миру, Москва; 中文 中国 中; عربي عرب"])
    func everyWordIsInTheOneShardItsKeyBegins(text: String) throws {
        // Words of two-, three- and four-byte letters split as those of ASCII ones do.
        let index = try SearchIndex.ofFixture(with: text.isEmpty ? [:] : ["content/articles/schriften.md": "---\ntitle: Schriften\n---\n\(text)\n"])
        #expect(text.isEmpty || index.postings(of: "миру") != nil)
        for limit in [1, 5, 20_000] {
            let shards = SearchFiles.shards(of: index, postingsPerShard: limit)
            let words = shards.flatMap(\.words).map { index.words[$0] }
            #expect(words.count == index.words.count && Set(words) == Set(index.words))
            #expect(Set(shards.map(\.key)).count == shards.count)
            for shard in shards.map({ (key: $0.key, words: $0.words.map { index.words[$0] }) }) {
                #expect(shard.words == shard.words.sorted())
                #expect(shard.words.allSatisfy { $0.hasPrefix(shard.key) })
                let longer = shards.filter { $0.key.count > shard.key.count && $0.key.hasPrefix(shard.key) }
                #expect(longer.isEmpty || shard.words.allSatisfy { $0.count <= shard.key.count },
                        "a split shard keeps only the words too short for the longer keys")
            }
        }
        #expect(SearchFiles.shards(of: index, postingsPerShard: 1).count > SearchFiles.shards(of: index, postingsPerShard: 20_000).count)
    }

    @Test func filesCarryTheIndexAsScriptCalls() throws {
        let index = try SearchIndex.ofFixture()
        let files = SearchFiles.all(index, postingsPerShard: 5)
        let meta = try #require(try payload("search/meta.js", in: files, function: "meta") as? [String: Any])
        #expect(meta["documents"] as? Int == index.documents.count)
        let shards = try #require(meta["shards"] as? [String: String])
        let key = try #require(shards.keys.filter { "efrin".hasPrefix($0) }.max { $0.count < $1.count })
        let words = try #require(try payload("search/terms-\(shards[key]!).js", in: files, function: "terms") as? [String: [Int]])
        let postings = try #require(words["efrin"])
        #expect(postings.count == index.postings(of: "efrin")!.count * 2)
        let docs = try #require(try payload("search/docs-0.js", in: files, function: "docs") as? [[Any]])
        let efrin = docs[postings[0]]
        #expect(efrin[2] as? String == index.documents[postings[0]].path)
        #expect(files.filter { $0.path.hasPrefix("search/docs-") }.count
                == (index.documents.count + SearchFiles.documentsPerFile - 1) / SearchFiles.documentsPerFile)
    }

    @Test func contentCannotBreakOutOfTheScript() throws {
        let index = try SearchIndex.ofFixture(with: ["content/articles/boese.md": "---\ntitle: \"</script><script>alert(1)</script>\"\n---\nText \u{2028} & <!-- mehr.\n"])
        for file in SearchFiles.all(index) {
            let text = String(decoding: try #require(file.body.materialized()), as: UTF8.self)
            #expect(!text.contains("<") && !text.contains("\u{2028}"), "\(file.path)")
        }
        let docs = try #require(try payload("search/docs-0.js", in: SearchFiles.all(index), function: "docs") as? [[Any]])
        #expect(docs.contains { $0[1] as? String == "</script><script>alert(1)</script>" }, "escaped, not lost")
    }
}

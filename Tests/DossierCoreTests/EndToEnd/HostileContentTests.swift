import Foundation
import Testing
@testable import DossierCore

/// The hostile fixture site builds, and no payload of it is executable in any page, feed or
/// data file. (`.ci/check-inert.py` checks the same build with real HTML and CSV parsers.)
@Suite struct HostileContentTests {
    @Test func payloadsInEveryFieldStayInert() throws {
        let jsonLD = /<script type="application\/ld\+json">(.*?)<\/script>/.dotMatchesNewlines()
        // Every start tag: in Dossier's output any `<` of content is escaped, so each `<` opens a tag.
        let startTag = /<[a-zA-Z][^>]*>/
        let attribute = /\s([a-z:-]+)(?:\s*=\s*"([^"]*)")?/
        let embedding = /^<(script|iframe|object|embed|frame|base|form|style)\b/
        let site = try TestSite(copying: Fixture.hostileSite)
        defer { site.delete() }
        let report = site.build()
        #expect(report.published && report.errors == 0, "\(report.diagnostics.filter(\.isError))")
        let files = try site.snapshot()
        #expect(files.keys.filter { $0.hasSuffix(".html") }.count == report.pages)
        // The theme's own: the search page's form and scripts, which no content reaches.
        let themeTags: Set = ["<form class=\"search-form\" role=\"search\" action=\"../search/index.html\" method=\"get\">",
                              "<script src=\"../assets/search.js\">", "<script src=\"meta.js\">"]
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            let text = String(decoding: data, as: UTF8.self)
            switch URL(fileURLWithPath: path).pathExtension {
            case "html":
                var markup = text
                for block in text.matches(of: jsonLD) {
                    #expect(!block.output.1.contains("<"), "\(path): a < in JSON-LD")
                    #expect((try? JSONSerialization.jsonObject(with: Data(block.output.1.utf8))) != nil, "\(path): JSON-LD is not JSON")
                    markup = markup.replacingOccurrences(of: String(block.output.0), with: "")
                }
                for tag in markup.matches(of: startTag).map({ $0.output.lowercased() }) {
                    #expect(tag.firstMatch(of: embedding) == nil || (path == "search/index.html" && themeTags.contains(tag)), "\(path): \(tag)")
                    for match in tag.matches(of: attribute) {
                        let (name, value) = (match.output.1, match.output.2?.trimmingCharacters(in: .whitespaces) ?? "")
                        #expect(!name.hasPrefix("on"), "\(path): \(tag)")
                        #expect(!(["href", "src", "action", "formaction"].contains(name) && ["javascript:", "data:", "vbscript:", "&#"].contains { value.hasPrefix($0) }),
                                "\(path): \(tag)")
                    }
                }
            case "xml":
                let elements = try OutputContractTests.Elements.parse(data)
                #expect(elements.items.allSatisfy { ["feed", "urlset"].contains($0.name) || !["script", "html"].contains($0.name) })
                #expect(elements.items.allSatisfy { $0.attributes["href"].map { !$0.lowercased().hasPrefix("javascript:") } ?? true }, "\(path)")
            case "js" where path.hasPrefix("search/"):
                // Data handed to the search script: one call, its arguments JSON without a `<`.
                let call = try #require(text.wholeMatch(of: /DossierSearch\.(?:meta|terms|docs)\((?:\d+,|"[0-9a-f]+",)?(.*)\);\n/.dotMatchesNewlines()), "\(path)")
                #expect(!text.contains("<") && !text.contains("\u{2028}"), "\(path)")
                #expect((try? JSONSerialization.jsonObject(with: Data(call.output.1.utf8))) != nil, "\(path) holds no JSON")
            case "json", "jsonld":
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(path) is not JSON")
            case "csv":
                for cell in CSVText.cells(of: text) where cell.first.map("=+-@\t\r".contains) == true {
                    #expect(cell.wholeMatch(of: /[+-]?[0-9]+(\.[0-9]+)?/) != nil, "\(path): a formula cell \(cell)")
                }
            default:
                break
            }
        }
        #expect(try site.read("public/data/entities.csv").contains(",'@Umland <!-- -->,"), "the formula cell is neutralised, not dropped")
    }
}

/// The cells of RFC 4180 CSV text.
enum CSVText {
    static func cells(of text: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var characters = text.makeIterator()
        while let character = characters.next() {
            switch character {
            case "\"" where quoted:
                quoted = false
            case "\"" where cell.isEmpty:
                quoted = true
            case "," where !quoted, "\r\n" where !quoted:
                cells.append(cell)
                cell = ""
            default:
                cell.append(character)
            }
        }
        return cells
    }
}

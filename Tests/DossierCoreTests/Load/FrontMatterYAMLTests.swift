import Testing
import Yams
@testable import DossierCore

/// Front matter read in one pass over libyaml's events must be what Yams composes, and
/// everything that pass does not read is left to Yams.
@Suite struct FrontMatterYAMLTests {
    /// The entries as Yams composes them.
    private func composed(_ yaml: String) throws -> [FrontMatterYAML.Entry] {
        guard let root = try Yams.compose(yaml: yaml, .default, .default, .utf8) else { return [] }
        return try #require(root.mapping).map { key, value in
            FrontMatterYAML.Entry(key: key.scalar!.string, value: YAMLValue(value),
                                  keyMark: YAMLMark(line: key.mark!.line, column: key.mark!.column))
        }
    }

    @Test(arguments: [
        "", "   \n", "# nur ein Kommentar\n", "title: Hallo\n", "title: \"Zitat \\\"x\\\"\"\nauthors: [A, B]\n",
        "title: 'It''s'\ndate: 2016-10-27T20:52:10Z\ncategory: \"Panorama\"\n", "aliases:\n  - Wiens\n  - \"Wien\"\n  -\n",
        "summary: >\n  gefaltet\n  Text\n", "summary: |\n  Zeile\n  Zeile\n", "leer:\nnull: ~\nn: null\nN: NULL\nq: ''\n",
        "title: Ünïcödé 😀 東京\n", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\r", "title: x\n...\n", "---\ntitle: x\n", "list: []\n",
        "t: \"a\\u00e9\\x41\\t\"\n", "k: x # Kommentar\n", "title: a\u{FEFF}b\n", "  title:   eingerückt  \n", "t: \"mehr\n  zeilig\"\n",
        "\u{FEFF}title: BOM am Anfang\n", "x: [a, 'b', \"c\"]\nlat: 36.5\nlon: -4.2\npretty_urls: yes\n",
    ])
    func simpleFrontMatterIsWhatYamsComposes(yaml: String) throws {
        let simple = try #require(FrontMatterYAML.simpleEntries(of: yaml), "read in one pass")
        let yams = try composed(yaml)
        #expect(simple.map(\.key) == yams.map(\.key))
        #expect(simple.map(\.value) == yams.map(\.value))
        #expect(simple.map(\.keyMark) == yams.map(\.keyMark))
    }

    @Test(arguments: [
        "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: !x 1\n", "a:\n  b: c\n", "a: [[1]]\n", "a: [{b: 1}]\n", "a: 1\na: 2\n",
        "a: 1\n\"a\": 2\n", "é: 1\ne\u{301}: 2\n", "- a\n- b\n", "plain\n", "a: [1\n", "a: 1\n---\nb: 2\n", "? [a]\n: 1\n",
        "a: \"\\ufeffx\"\n", "a: &x [1]\n", "a: 'x': y\n", "a: b: c\n", "\t- x\n",
    ])
    func everythingElseIsLeftToYams(yaml: String) {
        #expect(FrontMatterYAML.simpleEntries(of: yaml) == nil)
    }
}

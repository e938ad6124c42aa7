import Testing
@testable import DossierCore

/// The template engine's own behaviour; `TemplateDifferentialTests` checks it against swift-mustache.
@Suite struct TemplateEngineTests {
    /// `templates[name]` rendered with `values` (the innermost last).
    private func render(_ name: String = "page", _ templates: [String: String], _ values: [TemplateValue]) throws -> String {
        let parsed = try templates.mapValues { text throws(TemplateSyntaxError) in try Template(text) }
        return String(decoding: TemplateRenderer.render(name, of: parsed, with: values), as: UTF8.self)
    }

    private func render(_ template: String, _ value: TemplateValue) throws -> String {
        try render("page", ["page": template], [value])
    }

    private func syntaxError(_ template: String) -> TemplateSyntaxError? {
        do {
            _ = try Template(template)
            return nil
        } catch {
            return error
        }
    }

    @Test func variablesAreEscapedUnlessTripleOrAmpersand() throws {
        let value: TemplateValue = ["x": "<a href=\"q\">'&'</a>"]
        #expect(try render("{{x}}", value) == "&lt;a href=&quot;q&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(try render("{{{x}}}|{{& x}}", value) == "<a href=\"q\">'&'</a>|<a href=\"q\">'&'</a>")
        #expect(try render("{{x}}", ["x": "plain Efrîn"]) == "plain Efrîn")
    }

    @Test func aCombiningMarkAfterACharacterToEscapeDoesNotStopTheEscape() throws {
        #expect(try render("{{x}}", ["x": "<\u{338}b>"]) == "&lt;\u{338}b&gt;")
    }

    @Test func numbersAndBooleansShowAsTextListsAndObjectsAndMissingNamesAsNothing() throws {
        let value: TemplateValue = ["n": 42, "yes": true, "no": false, "list": ["a"], "object": ["k": "v"]]
        #expect(try render("{{n}} {{yes}} {{no}} [{{list}}] [{{object}}] [{{missing}}]", value) == "42 true false [] [] []")
    }

    @Test func namesAreLookedUpFromTheInnermostValueOutwards() throws {
        let value: TemplateValue = ["title": "Seite", "nav": ["home": "../index.html"],
                                    "items": [["title": "Eins"], ["name": "Zwei"]]]
        #expect(try render("{{#items}}{{title}}/{{nav.home}};{{/items}}", value) == "Eins/../index.html;Seite/../index.html;")
        // A dotted name's later parts are looked up only in what its first part found.
        #expect(try render("{{#items}}[{{nav.title}}]{{/items}}", value) == "[][]")
        // `.name` looks in the current value only; `.` is the current value.
        #expect(try render("{{#items}}[{{.title}}]{{/items}}", value) == "[Eins][]")
        #expect(try render("{{#list}}{{.}},{{/list}}", ["list": ["a", "b"]]) == "a,b,")
        // The values given: the innermost (last) first.
        #expect(try render("page", ["page": "{{a}}{{b}}"], [["a": "1", "b": "2"], ["a": "3"]]) == "32")
    }

    @Test func sectionsRepeatOverListsShowOnceForOtherValuesAndNotForFalsyOnes() throws {
        let value: TemplateValue = ["list": [["n": 1], ["n": 2]], "empty": [], "yes": true, "no": false,
                                    "text": "", "zero": 0, "object": ["n": 7], "n": 0]
        #expect(try render("{{#list}}{{n}}{{/list}}|{{#empty}}x{{/empty}}|{{#no}}x{{/no}}|{{#missing}}x{{/missing}}", value) == "12|||")
        // True shows the section in the same value; an object, an empty string and 0 are entered.
        #expect(try render("{{#yes}}{{n}}{{/yes}}|{{#object}}{{n}}{{/object}}|{{#text}}[{{.}}]{{/text}}|{{#zero}}{{.}}{{/zero}}", value)
            == "0|7|[]|0")
        #expect(try render("{{^empty}}a{{/empty}}{{^no}}b{{/no}}{{^missing}}c{{/missing}}{{^yes}}d{{/yes}}{{^text}}e{{/text}}", value)
            == "abc")
    }

    @Test func standaloneTagsTakeTheirWholeLine() throws {
        let value: TemplateValue = ["list": ["a", "b"], "yes": true]
        #expect(try render("<ul>\n  {{#list}}\n  <li>{{.}}</li>\n  {{/list}}\n</ul>\n", value) == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n")
        #expect(try render("a\r\n  {{! comment }}  \r\nb\r\n", value) == "a\r\nb\r\n")
        #expect(try render(" {{#yes}} x {{/yes}} \n", value) == "  x  \n", "not standalone: it shares its line")
        // At the very end a standalone tag may lack its line ending.
        #expect(try render("a\n{{#yes}}\nb\n{{/yes}}", value) == "a\nb\n")
    }

    @Test func aStandalonePartialIsIndentedAsItsTag() throws {
        let templates = ["page": "<div>\n  {{> item}}\n</div>\n", "item": "<p>\n{{x}}\n</p>\n"]
        #expect(try render("page", templates, [["x": "a\nb"]]) == "<div>\n  <p>\n  a\nb\n  </p>\n</div>\n")
        #expect(try render("page", ["page": "[{{> item}}]", "item": "1\n2"], [[:]]) == "[1\n2]", "inline: not indented")
    }

    @Test func inAnIndentedPartialASectionsOutputIsIndentedOnlyWhereItStarts() throws {
        // As swift-mustache did it: the section's passes are one node of the partial.
        let templates = ["page": "  {{> list}}\n", "list": "{{#items}}\n<li>{{.}}</li>\n{{/items}}\nend\n"]
        #expect(try render("page", templates, [["items": ["a", "b"]]]) == "  <li>a</li>\n<li>b</li>\n  end\n")
    }

    @Test func aParentsBlocksReplaceItsOwnAndTheOutermostWin() throws {
        let templates = ["layout": "<title>{{$title}}Default{{/title}}</title>\n<main>\n{{$main}}{{/main}}\n</main>\n",
                         "page": "{{<layout}}\n{{$main}}\n<p>{{text}}</p>\n{{/main}}\n{{/layout}}\n",
                         "special": "{{<page}}{{$main}}Special{{/main}}{{$title}}T{{/title}}{{/page}}"]
        #expect(try render("page", templates, [["text": "Hallo"]]) == "<title>Default</title>\n<main>\n<p>Hallo</p>\n\n</main>\n")
        #expect(try render("special", templates, [["text": "Hallo"]]) == "<title>T</title>\n<main>\nSpecial\n</main>\n")
    }

    @Test func delimitersCanBeSetAndEndWithTheirSection() throws {
        let value: TemplateValue = ["x": "1", "yes": true]
        #expect(try render("{{=<% %>=}}<% x %> {{x}}", value) == "1 {{x}}")
        #expect(try render("{{#yes}}{{=<% %>=}}<%x%><%/yes%>{{x}}", value) == "11")
    }

    @Test func theTextContentTypeTurnsEscapingOffForTheRestOfItsTemplate() throws {
        let templates = ["page": "{{x}}{{% CONTENT_TYPE: TEXT}}{{x}}{{> inner}}", "inner": "{{x}}"]
        #expect(try render("page", templates, [["x": "<"]]) == "&lt;<&lt;")
    }

    @Test func aLargeObjectIsLookedUpByItsIndexAndStaysInOrder() throws {
        var words = TemplateObject(words: Dictionary(uniqueKeysWithValues: (0..<40).map { ("w\($0)", "Wort \($0)") }))
        words["extra"] = "neu"
        words["w3"] = "drei"
        words["w5"] = nil
        #expect(words["w5"] == nil && words.keys.count == 40 && words.keys.last == "extra")
        #expect(try render("{{t.w0}} {{t.w39}} {{t.extra}} {{t.w3}}[{{t.w5}}]", ["t": .object(words)]) == "Wort 0 Wort 39 neu drei[]")
    }

    @Test func namesInTagsMayBeSurroundedByAnyWhiteSpace() throws {
        #expect(try render("{{\u{A0}x\u{2003}}}|{{#\tlist\n}}{{.}}{{/ list }}", ["x": "1", "list": ["a"]]) == "1|a")
    }

    @Test func syntaxErrorsSayWhatAndWhere() {
        #expect(syntaxError("<p>\n{{#open}}\n") == TemplateSyntaxError(problem: .unclosedSection, offset: 14))
        #expect(syntaxError("<p>{{{x}}\n") == TemplateSyntaxError(problem: .unclosedTag, offset: 9))
        #expect(syntaxError("{{#a}}{{/b}}") == TemplateSyntaxError(problem: .wrongSectionClosed, offset: 9))
        #expect(syntaxError("{{x y}}") == TemplateSyntaxError(problem: .unclosedTag, offset: 4))
        #expect(syntaxError("a {{! open") == TemplateSyntaxError(problem: .unclosedComment, offset: 2))
        #expect(syntaxError("{{=<%>=}}") == TemplateSyntaxError(problem: .invalidDelimiters, offset: 0))
        #expect(syntaxError("{{% CONTENT_TYPE: XML}}") == TemplateSyntaxError(problem: .unknownPragma, offset: 0))
        #expect(syntaxError("{{<layout}}{{x}}{{/layout}}") == TemplateSyntaxError(problem: .foreignTagInParent, offset: 0))
        #expect(syntaxError("a{{uppercased(x)}}") == TemplateSyntaxError(problem: .transform, offset: 1))
        #expect(syntaxError("{{>*name}}") == TemplateSyntaxError(problem: .dynamicName, offset: 0))
        #expect(syntaxError("{{<layout}}\ntext is dropped{{$a}}{{/a}}{{! comments too }}\n{{/layout}}") == nil)
    }

    @Test func aTemplateNamesItsPartialsAndValuesWithTheirOffsets() throws {
        let template = try Template("{{<layout}}{{$main}}{{#items}}{{> partials/item}}{{nav.home}}{{/items}}{{/main}}{{/layout}}")
        #expect(template.references.map(\.text) == ["layout", "partials/item"])
        #expect(template.references.map(\.offset) == [0, 30])
        #expect(template.valueNames.map(\.text) == ["items", "nav.home"])
        #expect(template.valueNames.map(\.offset) == [20, 49])
    }
}

@Suite struct UTF8ScalarsTests {
    @Test func scalarsAreDecodedWithTheirLengthsAndACutSequenceEndsTheText() {
        let bytes = Array("aé€😀".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            var decoded: [(Unicode.Scalar, Int)] = []
            while let (scalar, length) = buffer.scalar(at: offset) {
                decoded.append((scalar, length))
                offset += length
            }
            #expect(decoded.map(\.0) == Array("aé€😀".unicodeScalars) && decoded.map(\.1) == [1, 2, 3, 4])
        }
        Array("€".utf8).dropLast().withUnsafeBufferPointer { #expect($0.scalar(at: 0) == nil) }
    }
}

import Foundation
import Mustache
import Testing
@testable import DossierCore

/// Dossier's template engine renders what swift-mustache, which rendered the pages before it,
/// rendered: every page of a rich fixture with the built-in theme, hand-written templates on
/// the spec's fine points, and thousands of generated ones.
@Suite struct TemplateDifferentialTests {
    /// A value as swift-mustache takes it.
    private static func mustacheValue(_ value: TemplateValue) -> Any {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag
        case .number(let number): number
        case .list(let items): items.map(mustacheValue)
        case .object(let object): Dictionary(uniqueKeysWithValues: object.keys.map { ($0, mustacheValue(object[$0] ?? false)) })
        }
    }

    /// `templates[name]` rendered by both engines with `values` (the innermost last, which
    /// swift-mustache is given merged into one, the inner keys winning); nil if neither parses.
    private static func bothRenderings(_ name: String, _ templates: [String: String], _ values: [TemplateValue])
        -> (dossier: String?, mustache: String?) {
        let ours = try? templates.mapValues { text throws(TemplateSyntaxError) in try Template(text) }
        let theirs = try? templates.mapValues { try MustacheTemplate(string: $0) }
        let merged = values.reduce(into: [String: Any]()) { merged, value in
            merged.merge(mustacheValue(value) as? [String: Any] ?? [:]) { _, inner in inner }
        }
        return (ours.map { String(decoding: TemplateRenderer.render(name, of: $0, with: values), as: UTF8.self) },
                theirs.flatMap { MustacheLibrary(templates: $0).render(merged, withTemplate: name) })
    }

    @Test func everyPageOfTheRichFixtureRendersAsBefore() throws {
        let site = try TemplateKeysTests.richSite()
        defer { site.delete() }
        let renderer = try TemplateKeysTests.renderer(of: site)
        let folder = try #require(Theme.builtInFolder)
        var templates: [String: String] = [:]
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
            where url.pathExtension == "mustache" {
            let name = String(url.path.dropFirst(folder.path.count + 1).dropLast(".mustache".count))
            templates[name] = try String(contentsOf: url, encoding: .utf8)
        }
        var kinds: Set<String> = []
        for page in renderer.pages {
            let (path, template, values) = renderer.context(of: page)
            let (dossier, mustache) = Self.bothRenderings(template, templates, values)
            #expect(dossier != nil && dossier == mustache, "\(path)")
            kinds.insert(template)
        }
        #expect(kinds == Set(Theme.requiredTemplates).subtracting(["layout"]))
    }

    /// The data the hand-written and generated templates are given: names that hold text,
    /// numbers and booleans keep them at every level, so a variable never shows a list.
    private static let data: TemplateValue = [
        "a": "A<&>", "b": "b'\"", "s": "", "n": 7, "z": 0, "t": true, "f": false, "e": "",
        "list": [["a": "first", "n": 1, "t": false], ["a": "second", "n": 2, "f": true], ["b": "third"]],
        "none": [],
        "obj": ["a": "inner", "n": 9, "deep": [["a": "deepest"]]],
        "words": ["x", "y"],
    ]

    @Test(arguments: [
        // Variables, escaping, dotted names, the context stack.
        "{{a}} {{{a}}} {{&a}} {{ b }} {{n}}{{z}}{{t}}{{f}} [{{missing}}] {{obj.a}} {{obj.n}} [{{list.a}}] [{{obj.missing}}]",
        "{{#list}}{{a}}:{{b}}:{{n}}:{{t}}:{{f}}:{{obj.a}};{{/list}}",
        "{{#obj}}{{a}} {{#deep}}{{a}}/{{n}}/{{.a}}{{/deep}}{{/obj}}",
        "{{#words}}({{.}}){{/words}}{{#list}}[{{.a}}|{{.b}}]{{/list}}",
        // Sections over every kind of value, inverted sections.
        "{{#t}}T{{n}}{{/t}}{{#f}}F{{/f}}{{#s}}S[{{.}}]{{/s}}{{#z}}Z{{.}}{{/z}}{{#none}}N{{/none}}{{#missing}}M{{/missing}}{{#a}}{{.}}{{/a}}",
        "{{^t}}T{{/t}}{{^f}}F{{/f}}{{^s}}S{{/s}}{{^z}}Z{{/z}}{{^none}}N{{/none}}{{^missing}}M{{/missing}}{{^list}}L{{/list}}",
        "{{#list}}{{#t}}yes{{/t}}{{^t}}no{{/t}}{{#f}}F{{/f}}{{/list}}",
        // Standalone lines, white space, line endings.
        "<ul>\n  {{#list}}\n  <li>{{a}}</li>\n  {{/list}}\n</ul>\n",
        "<ul>\r\n  {{#list}}\r\n  <li>{{a}}</li>\r\n  {{/list}}\r\n</ul>\r\n",
        " {{#t}} x {{/t}} \n{{#t}}\n\ty\n\t{{/t}}\t\n  {{! comment }}  \nz\n",
        "a\n  {{#t}}\nb\n{{/t}}  c\n{{#t}}  \n  {{/t}}\n{{^f}}\n{{/f}}",
        "{{#t}}\n{{/t}} {{#t}}\n  x\n{{/t}}\n",
        "x{{#t}}\n  y\n{{/t}}\n{{#t}}z\n{{/t}}\n   end  ",
        "a\n{{! standalone at the end }}",
        "a\n{{#t}}b{{/t}}  ",
        "line\u{0B}{{#t}}\u{0B}x\n{{/t}}\r{{#t}}\r\ny\n{{/t}}\u{2028}",
        "{{=<% %>=}}\n<% a %>{{a}}\n  <%={{ }}=%>\n{{a}}\n{{#t}}{{=| |=}}|a||/t|{{a}}",
        "  {{=<% %>=}}  \n<%#list%>\n  <%a%>\n<%/list%>\n",
        // Partials, indented by their standalone tag.
        "<div>\n  {{> item}}\n  {{> item}} x\n\t{{> nested}}\n</div>\n{{#list}}\n  {{> item}}\n{{/list}}\n",
        "  {{> listing}}\n{{> listing}}\n",
        "\r\n  {{> item}}\r\n",
        // Parents and blocks.
        "{{<layout}}\n{{$main}}\n  <p>{{a}}</p>\n    <q>{{b}}</q>\n{{/main}}\n{{/layout}}\n",
        "{{<layout}}{{$title}}T{{/title}}{{/layout}}",
        "  {{<layout}}\n  {{$main}}\n    x\n      y\n  {{/main}}\n  {{/layout}}\nafter\n",
        "{{<special}}{{$main}}outer{{/main}}{{/special}}",
        "{{<layout}}{{$main}}{{#list}}\n{{> item}}\n{{/list}}{{/main}}{{/layout}}",
        // The TEXT content type.
        "{{a}}{{% CONTENT_TYPE: TEXT}}{{a}}{{> item}}{{#t}}{{a}}{{/t}}",
    ])
    func handWrittenTemplatesRenderAsBefore(_ page: String) {
        let templates = [
            "page": page,
            "item": "<i>{{a}}</i>\n<b>\n{{#t}}\nyes\n{{/t}}\n</b>\n",
            "nested": "N\n  {{> item}}\n",
            "listing": "{{#list}}\n<li>{{a}}</li>\n{{/list}}\nend\n",
            "layout": "<title>{{$title}}Default{{/title}}</title>\n<main>\n  {{$main}}\n  none\n  {{/main}}\n</main>\n",
            "special": "{{<layout}}{{$main}}inner{{/main}}{{$title}}S{{/title}}{{/layout}}",
        ]
        let (dossier, mustache) = Self.bothRenderings("page", templates, [Self.data])
        #expect(dossier != nil && dossier == mustache)
    }

    @Test func generatedTemplatesRenderAsBefore() {
        var generator = TemplateGenerator(seed: 0x5EED)
        var compared = 0
        for _ in 0..<3000 {
            let templates = generator.library()
            let (dossier, mustache) = Self.bothRenderings("page", templates, [Self.data])
            #expect(dossier == mustache, "\(templates)")
            if dossier != nil { compared += 1 }
        }
        #expect(compared > 2500, "most generated templates parse")
    }
}

/// Random templates of every construct, with much white space and many line breaks around
/// tags, from a fixed seed. Their names are those of `data`.
private struct TemplateGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    private mutating func number(below bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(state >> 33) % bound
    }

    private mutating func pick<T>(_ choices: [T]) -> T {
        choices[number(below: choices.count)]
    }

    /// A page and the partials and parent it may use.
    mutating func library() -> [String: String] {
        var page = ""
        if number(below: 3) == 0 {
            var body = ""
            for _ in 0..<number(below: 3) {
                let name = pick(["x", "y"])
                // No blocks inside: a block that shows itself recursed without end in swift-mustache.
                let (block, delimiters) = nodes(depth: 1, delimiters: ("{{", "}}"), partials: ["p", "q"])
                body += spaces() + "{{$\(name)}}" + lineBreak() + block + spaces() + delimiters.0 + "/\(name)" + delimiters.1 + lineBreak()
            }
            page = spaces() + "{{<layout}}" + lineBreak() + body + spaces() + "{{/layout}}" + lineBreak()
        } else {
            page = nodes(depth: 0, delimiters: ("{{", "}}"), partials: ["p", "q"]).text
        }
        return [
            "page": page,
            "layout": nodes(depth: 0, delimiters: ("{{", "}}"), partials: ["p", "q"], blocks: true).text,
            "p": nodes(depth: 1, delimiters: ("{{", "}}"), partials: ["q"]).text,
            "q": nodes(depth: 1, delimiters: ("{{", "}}")).text,
        ]
    }

    private mutating func spaces() -> String {
        pick(["", "", " ", "  ", "\t", " \t "])
    }

    private mutating func lineBreak() -> String {
        pick(["\n", "\n", "\r\n", "", " \n"])
    }

    /// Template text, and the delimiters in force at its end (a section's closing tag uses them).
    private mutating func nodes(depth: Int, delimiters: (String, String), partials: [String] = [], blocks: Bool = false)
        -> (text: String, delimiters: (String, String)) {
        var (open, close) = delimiters
        var text = ""
        func tag(_ content: String) -> String { open + content + close }
        for _ in 0..<number(below: depth > 2 ? 3 : 7) {
            if number(below: 2) == 0 { text += lineBreak() + spaces() }
            switch number(below: 12) {
            case 0, 1:
                text += pick(["text", "a b", "<&>", "'\"", "x=y", " ", "\t"])
            case 2, 3:
                let name = pick(["a", "b", "s", "n", "z", "t", "f", "e", "missing", "obj.a", "obj.n", "list.a", "obj.deep.a"])
                text += pick([tag(name), tag(" " + name + " "), tag("&" + name)])
            case 4...6 where depth < 4:
                let name = pick(["list", "none", "obj", "t", "f", "a", "s", "z", "missing", "obj.deep", "words", "list"])
                let (body, inner) = nodes(depth: depth + 1, delimiters: (open, close), partials: partials, blocks: blocks)
                text += tag(pick(["#", "#", "^"]) + name) + spaces() + lineBreak() + body
                    + spaces() + inner.0 + "/" + name + inner.1 + spaces() + lineBreak()
            case 7:
                text += tag("! comment ") + spaces() + lineBreak()
            case 8 where !partials.isEmpty:
                text += tag(pick([">", "> "]) + pick(partials)) + spaces() + lineBreak()
            case 9 where blocks && depth < 3:
                let name = pick(["x", "y", "z"])
                let (body, inner) = nodes(depth: depth + 1, delimiters: (open, close), partials: partials)
                text += tag("$" + name) + spaces() + lineBreak() + body + spaces() + inner.0 + "/" + name + inner.1 + spaces() + lineBreak()
            case 10:
                let (newOpen, newClose) = pick([("<%", "%>"), ("{{", "}}"), ("[[", "]]")])
                text += tag("=" + newOpen + " " + newClose + "=") + spaces() + lineBreak()
                (open, close) = (newOpen, newClose)
            default:
                text += lineBreak()
            }
        }
        return (text, (open, close))
    }
}

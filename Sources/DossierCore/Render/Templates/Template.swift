/// A Mustache template, parsed once into a tree of nodes that `TemplateRenderer` walks for
/// each page, writing UTF-8 bytes straight into the page.
///
/// The engine has three parts: `TemplateParser` turns the text into `TemplateNode`s (all
/// whitespace decisions are taken there), `TemplateValue` is what a template is given, and
/// `TemplateRenderer` fills the nodes in. It renders what swift-mustache, which Dossier used
/// before, rendered (a test compares the two): variables, escaped (`{{name}}`) or not
/// (`{{{name}}}`, `{{& name}}`); dotted names, looked up from the innermost value outwards;
/// sections over lists, booleans and other values; inverted sections; comments; partials,
/// indented like their standalone tag; parents and blocks (`{{<layout}}{{$main}}…{{/main}}{{/layout}}`);
/// set delimiters (`{{=<% %>=}}`); the `{{% CONTENT_TYPE: TEXT}}` pragma, which turns escaping
/// off for the rest of the template; and the spec's rules for standalone tags, in
/// swift-mustache's reading of them (a standalone closing tag takes the line-start state of its
/// opening tag; a tag before trailing blanks at the very end of the text is not standalone).
///
/// Left out, and a syntax error where they would parse: lambdas (contexts are values),
/// swift-mustache's transforms (`{{uppercased(name)}}`) and dynamic partials (`{{>*name}}`).
/// Where swift-mustache did something no template can want, this engine does not follow it:
/// a list or object in a variable tag shows nothing (not Swift's description of it); each
/// `<>&"'` byte is escaped even when a combining mark follows it (swift-mustache, which read
/// grapheme clusters, left `<` + U+0338 unescaped); a newline right after `{{` is white space
/// inside the tag (swift-mustache dropped the `{{`); a lone `{` at the very end is text.
struct Template: Sendable {
    let nodes: [TemplateNode]

    init(_ text: String) throws(TemplateSyntaxError) {
        nodes = try TemplateParser.parse(text)
    }

    /// The templates this one includes (`{{> name}}`) or inherits (`{{< name}}`), in order.
    var references: [TemplateName] {
        var references: [TemplateName] = []
        TemplateNode.visit(nodes) { node in
            switch node {
            case .partial(let name, _), .parent(let name, _, _): references.append(name)
            default: break
            }
        }
        return references.sorted { $0.offset < $1.offset }
    }

    /// The names of the values this template looks up (in variables and sections), in order.
    var valueNames: [TemplateName] {
        var names: [TemplateName] = []
        TemplateNode.visit(nodes) { node in
            switch node {
            case .variable(let name, _), .section(let name, _), .invertedSection(let name, _): names.append(name)
            default: break
            }
        }
        return names.sorted { $0.offset < $1.offset }
    }
}

/// One piece of a parsed template.
enum TemplateNode: Sendable {
    /// Text written as it stands (standalone tags and their lines' white space already gone).
    case text([UInt8])
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{& name}}`.
    case variable(TemplateName, escaped: Bool)
    /// `{{#name}}…{{/name}}`.
    case section(TemplateName, [TemplateNode])
    /// `{{^name}}…{{/name}}`.
    case invertedSection(TemplateName, [TemplateNode])
    /// `{{> name}}`; a standalone one is indented by the white space before it, each of its
    /// lines but the first (which that white space, kept as text, starts).
    case partial(TemplateName, indentation: [UInt8]?)
    /// `{{< name}}{{$block}}…{{/block}}{{/name}}`: the template `name`, with these blocks
    /// in place of its own (the outermost parent's win when parents nest).
    case parent(TemplateName, indentation: [UInt8], blocks: [String: [TemplateNode]])
    /// `{{$name}}default{{/name}}`: the block a parent of this template sets, else the default.
    case block(String, indentation: [UInt8], default: [TemplateNode])
    /// `{{% CONTENT_TYPE: HTML}}` or `TEXT`: whether variables are escaped from here on.
    case escaping(Bool)

    /// Calls `body` on each node of `nodes`, nested ones included (a parent's blocks too).
    static func visit(_ nodes: [TemplateNode], _ body: (TemplateNode) -> Void) {
        for node in nodes {
            body(node)
            switch node {
            case .section(_, let children), .invertedSection(_, let children), .block(_, _, let children):
                visit(children, body)
            case .parent(_, _, let blocks):
                for name in blocks.keys.sorted() { visit(blocks[name] ?? [], body) }
            case .text, .variable, .partial, .escaping:
                break
            }
        }
    }
}

/// A name in a tag, and where the tag starts (a byte offset into the template's UTF-8).
final class TemplateName: Sendable {
    /// As written: `nav.home`, `.`, `partials/meta`.
    let text: String
    let offset: Int
    /// The dotted parts (`nav`, `home`); none for `.`, the current value.
    let parts: [String]
    /// Whether the name starts with `.` (`.name`): looked up in the current value only.
    let isAnchored: Bool

    init(_ text: String, offset: Int) {
        self.text = text
        self.offset = offset
        parts = text.split(separator: ".").map(String.init)
        isAnchored = text.hasPrefix(".")
    }
}

/// Why a template does not parse, and where (a byte offset into its UTF-8).
struct TemplateSyntaxError: Error, Sendable, Equatable {
    enum Problem: Sendable, Equatable {
        case unclosedTag, unclosedSection, wrongSectionClosed, unclosedComment, invalidDelimiters,
             foreignTagInParent, unknownPragma, transform, dynamicName
    }

    let problem: Problem
    let offset: Int

    /// What is wrong, in words.
    var explanation: String {
        switch problem {
        case .unclosedTag: "a tag is not closed by '}}' (or '}}}' after '{{{')"
        case .unclosedSection: "a section opened by {{#...}} or {{^...}} is never closed by {{/...}}"
        case .wrongSectionClosed: "this {{/...}} does not close the section opened last"
        case .unclosedComment: "a comment {{!...}} is never closed by '}}'"
        case .invalidDelimiters: "a {{=...=}} tag that sets the delimiters is malformed"
        case .foreignTagInParent: "only {{$...}} blocks may stand inside {{<...}}"
        case .unknownPragma: "an unknown {{%...}} setting"
        case .transform: "a name with '(' or ')': templates have no transforms"
        case .dynamicName: "a partial or parent named by a value ({{>*...}}) is not supported"
        }
    }
}

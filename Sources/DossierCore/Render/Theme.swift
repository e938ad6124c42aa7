import Foundation

/// The Mustache templates of a site (`templates/`, else the built-in default theme), checked
/// before any page is rendered: a missing template or partial would render as nothing without
/// a word, so the build names what is missing instead.
public struct Theme: Sendable {
    /// The templates every site needs, one per kind of page, and the layout they inherit.
    public static let requiredTemplates = ["layout", "home", "list", "article", "actor", "place", "note", "not-found", "search", "data"]

    /// The parsed templates, by name (`article`, `partials/meta`).
    let templates: [String: Template]
    /// The text of each template, by name, for checking the names it uses.
    let sources: [String: SourceText]
    /// The fixed words per language (`strings/<language>.yml`), by primary language subtag.
    let strings: [String: InterfaceStrings]
    /// Files under the theme's `assets/`, copied to `public/assets/`.
    public let assets: [Asset]
    /// The folder the templates came from, as diagnostics name it.
    public let folder: String

    /// Loads `site/templates`, or the built-in theme when the site has no such folder.
    public static func load(site: URL) -> (Theme?, [Diagnostic]) {
        let siteTemplates = site.appendingPathComponent("templates")
        if FileManager.default.fileExists(atPath: siteTemplates.path) {
            return load(from: siteTemplates, within: site, displayedAs: "templates")
        }
        guard let builtIn = builtInFolder else {
            return (nil, [.error(.render, at: SourceLocation(path: "templates"),
                                 "the site has no templates/ folder and the built-in theme is missing from this installation")])
        }
        return load(from: builtIn, displayedAs: "(built-in theme)")
    }

    /// The built-in theme: the package's `Theme` resource.
    public static var builtInFolder: URL? {
        PackageResources.folder("Theme", holding: "layout.mustache")
    }

    /// Loads the theme in `folder`, reading only files inside `root` (by default the folder).
    static func load(from folder: URL, within root: URL? = nil, displayedAs name: String) -> (Theme?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var templates: [String: Template] = [:]
        var sources: [String: SourceText] = [:]
        var assets: [Asset] = []
        var strings: [String: InterfaceStrings] = [:]
        let files = SiteFiles(root: root ?? folder, stage: .render)
        for (path, url) in files.files(in: folder, displayedAs: name, &diagnostics) {
            let relative = String(path.dropFirst(name.count + 1))
            if relative.hasPrefix("assets/") {
                assets.append(Asset(path: String(relative.dropFirst("assets/".count)), file: url, source: path))
                continue
            }
            if relative.hasPrefix("strings/"), url.pathExtension == "yml" {
                if let words = loadStrings(url, path: path, files: files, &diagnostics) {
                    strings[url.deletingPathExtension().lastPathComponent.lowercased()] = InterfaceStrings(words: words)
                }
                continue
            }
            guard url.pathExtension == "mustache" else { continue }
            let templateName = String(relative.dropLast(".mustache".count))
            guard let source = files.readText(url, path: path, &diagnostics) else { continue }
            do throws(TemplateSyntaxError) {
                templates[templateName] = try Template(source.text)
                sources[templateName] = source
            } catch {
                diagnostics.append(.error(.render, at: location(ofByte: error.offset, in: source),
                                          "template syntax error: \(error.explanation)"))
            }
        }
        for required in requiredTemplates where templates[required] == nil && sources[required] == nil
            && !diagnostics.contains(where: { $0.location.path == "\(name)/\(required).mustache" }) {
            diagnostics.append(.error(.render, at: SourceLocation(path: "\(name)/\(required).mustache"),
                                      "missing template '\(required)': the \(required) pages need \(name)/\(required).mustache"))
        }
        // The partials and parents each template names, where it names them.
        var references: [String: [(name: String, location: SourceLocation)]] = [:]
        for (templateName, template) in templates {
            guard let source = sources[templateName] else { continue }
            references[templateName] = template.references.map { ($0.text, location(ofByte: $0.offset, in: source)) }
        }
        for templateName in sources.keys.sorted() {
            for reference in references[templateName] ?? [] where templates[reference.name] == nil && sources[reference.name] == nil
                && !diagnostics.contains(where: { $0.location.path == "\(name)/\(reference.name).mustache" }) {
                diagnostics.append(.error(.render, at: reference.location,
                                          "template '\(templateName)' uses '\(reference.name)', but there is no \(name)/\(reference.name).mustache"))
            }
        }
        diagnostics += cycles(in: references)
        diagnostics += missingStrings(strings, folder: name)
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (Theme(templates: templates, sources: sources, strings: strings,
                      assets: assets.sorted { $0.path < $1.path }, folder: name), diagnostics)
    }

    /// Where a byte offset into a template's UTF-8 lies, as line and column (in scalars).
    private static func location(ofByte offset: Int, in source: SourceText) -> SourceLocation {
        let scalars = source.text.utf8.prefix(offset).reduce(0) { $0 + (UTF8.isContinuation($1) ? 0 : 1) }
        return source.location(ofOffset: scalars)
    }

    /// The words for a site's language: its file (by primary subtag), else English, else any.
    public func strings(for language: String) -> InterfaceStrings {
        let primary = language.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        return strings[primary] ?? strings["en"] ?? strings.sorted { $0.key < $1.key }.first?.value ?? InterfaceStrings(words: [:])
    }

    /// A strings file: a mapping of keys to texts.
    private static func loadStrings(_ url: URL, path: String, files: SiteFiles, _ diagnostics: inout [Diagnostic]) -> [String: String]? {
        guard let file = files.readText(url, path: path, &diagnostics) else { return nil }
        var fields = FrontMatterFields(FrontMatterSplit(yaml: file.text, yamlFirstLine: 1, body: 0..<0, bodyFirstLine: 1), of: file)
        var words: [String: String] = [:]
        for key in fields.keys {
            if let text = fields.string(key) { words[key] = text }
        }
        diagnostics += fields.diagnostics
        return fields.hasErrors ? nil : words
    }

    /// Every strings file should have every key some strings file has: a missing word would
    /// show as its key.
    private static func missingStrings(_ strings: [String: InterfaceStrings], folder: String) -> [Diagnostic] {
        let allKeys = strings.values.reduce(into: Set<String>()) { $0.formUnion($1.words.keys) }
        return strings.sorted { $0.key < $1.key }.compactMap { language, words in
            let missing = allKeys.subtracting(words.words.keys).sorted()
            guard !missing.isEmpty else { return nil }
            return .warning(.render, at: SourceLocation(path: "\(folder)/strings/\(language).yml"),
                            "missing \(missing.map { "'\($0)'" }.joined(separator: ", ")): they show as their keys")
        }
    }

    /// Templates that include themselves, as partial or parent, directly or through others:
    /// rendering one would never end. Each cycle is reported once, at the reference that closes it.
    private static func cycles(in references: [String: [(name: String, location: SourceLocation)]]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var finished: Set<String> = []
        var reported: Set<[String]> = []
        var path: [String] = []
        func visit(_ name: String) {
            path.append(name)
            for reference in references[name] ?? [] where !finished.contains(reference.name) && references[reference.name] != nil {
                if let start = path.firstIndex(of: reference.name) {
                    let cycle = Array(path[start...])
                    let first = cycle.indices.min { cycle[$0] < cycle[$1] } ?? 0
                    guard reported.insert(Array(cycle[first...] + cycle[..<first])).inserted else { continue }
                    let chain = (cycle + [reference.name]).map { "'\($0)'" }.joined(separator: " -> ")
                    diagnostics.append(.error(.render, at: reference.location,
                                              "templates include each other without end: \(chain); rendering would never finish"))
                } else {
                    visit(reference.name)
                }
            }
            path.removeLast()
            finished.insert(name)
        }
        for name in references.keys.sorted() where !finished.contains(name) {
            visit(name)
        }
        return diagnostics
    }

    /// The names each template uses that none of its pages is given: the template library
    /// renders them as nothing, so a misspelt key would go unnoticed. `given` holds, per page
    /// template, the keys its pages are given (nested ones included); the layout and partials
    /// are checked against the keys of all pages.
    func unknownNames(given: [String: Set<String>]) -> [Diagnostic] {
        let everyKey = given.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        var diagnostics: [Diagnostic] = []
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            let isPage = Self.requiredTemplates.contains(name) && name != "layout"
            guard let keys = isPage ? given[name] : everyKey else { continue }
            let pages = isPage ? "\(name) pages" : "any page"
            guard let template = templates[name] else { continue }
            for use in Self.names(in: template, source: source) where !keys.contains(use.name) {
                diagnostics.append(.warning(.render, at: use.location,
                                            "'\(use.name)' is given to no \(pages): it renders as nothing"))
            }
        }
        return diagnostics
    }

    /// The names a template looks up (the first part of dotted ones): those that start with a
    /// letter or `_` (not `.`, the current value).
    private static func names(in template: Template, source: SourceText) -> [(name: String, location: SourceLocation)] {
        template.valueNames.compactMap { name in
            guard let first = name.parts.first, !name.isAnchored,
                  first.first.map({ $0 == "_" || ($0.isASCII && $0.isLetter) }) == true else { return nil }
            return (first, location(ofByte: name.offset, in: source))
        }
    }

    /// The same theme with templates of its own, parsed again from their text: what one thread
    /// renders with (see `SiteRenderer.unshared`).
    func unshared() -> Theme {
        let own = templates.reduce(into: [String: Template]()) { own, template in
            own[template.key] = sources[template.key].flatMap { try? Template($0.text) } ?? template.value
        }
        return Theme(templates: own, sources: sources, strings: strings, assets: assets, folder: folder)
    }

    /// Renders the template `name` with `values` (the innermost last): a page's bytes.
    func render(_ name: String, _ values: [TemplateValue]) -> [UInt8] {
        TemplateRenderer.render(name, of: templates, with: values, capacity: 1 << 16)
    }
}

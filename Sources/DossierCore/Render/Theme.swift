import Foundation
import Mustache

/// The Mustache templates of a site (`templates/`, else the built-in default theme), checked
/// before any page is rendered: the library renders a missing template or partial as nothing
/// without a word, so the build names what is missing instead.
public struct Theme: Sendable {
    /// The templates every site needs, one per kind of page, and the layout they inherit.
    public static let requiredTemplates = ["layout", "home", "list", "article", "actor", "place", "note", "not-found", "search", "data"]

    public let library: MustacheLibrary
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
            return load(from: siteTemplates, displayedAs: "templates")
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

    static func load(from folder: URL, displayedAs name: String) -> (Theme?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var templates: [String: MustacheTemplate] = [:]
        var sources: [String: SourceText] = [:]
        var assets: [Asset] = []
        var strings: [String: InterfaceStrings] = [:]
        let root = folder.resolvingSymlinksInPath().standardizedFileURL
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                        options: [.skipsHiddenFiles])
        for case let url as URL in enumerator?.allObjects ?? [] {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            if relative.hasPrefix("assets/") {
                assets.append(Asset(path: String(relative.dropFirst("assets/".count)), file: url))
                continue
            }
            if relative.hasPrefix("strings/"), url.pathExtension == "yml" {
                if let words = loadStrings(url, path: "\(name)/\(relative)", &diagnostics) {
                    strings[url.deletingPathExtension().lastPathComponent.lowercased()] = InterfaceStrings(words: words)
                }
                continue
            }
            guard url.pathExtension == "mustache" else { continue }
            let templateName = String(relative.dropLast(".mustache".count))
            let path = "\(name)/\(relative)"
            guard let data = FileManager.default.contents(atPath: url.path) else {
                diagnostics.append(.error(.render, at: SourceLocation(path: path), "cannot read the template"))
                continue
            }
            if let offset = UTF8Validation.firstInvalidByteOffset(in: data) {
                diagnostics.append(.error(.render, at: SourceLocation(path: path),
                                          "not valid UTF-8: invalid byte sequence at byte offset \(offset)"))
                continue
            }
            let source = SourceText(path: path, text: String(decoding: data, as: UTF8.self))
            do {
                templates[templateName] = try MustacheTemplate(string: source.text)
                sources[templateName] = source
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(.error(.render, at: source.location(line: error.context.lineNumber, column: error.context.columnNumber),
                                          "template syntax error: \(error.error)"))
            } catch {
                diagnostics.append(.error(.render, at: SourceLocation(path: path), "template syntax error: \(error)"))
            }
        }
        for required in requiredTemplates where templates[required] == nil && sources[required] == nil
            && !diagnostics.contains(where: { $0.location.path == "\(name)/\(required).mustache" }) {
            diagnostics.append(.error(.render, at: SourceLocation(path: "\(name)/\(required).mustache"),
                                      "missing template '\(required)': the \(required) pages need \(name)/\(required).mustache"))
        }
        for (templateName, source) in sources.sorted(by: { $0.key < $1.key }) {
            for reference in partialReferences(in: source) where templates[reference.name] == nil && sources[reference.name] == nil {
                diagnostics.append(.error(.render, at: reference.location,
                                          "template '\(templateName)' uses '\(reference.name)', but there is no \(name)/\(reference.name).mustache"))
            }
        }
        diagnostics += missingStrings(strings, folder: name)
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (Theme(library: MustacheLibrary(templates: templates), sources: sources, strings: strings,
                      assets: assets.sorted { $0.path < $1.path }, folder: name), diagnostics)
    }

    /// The words for a site's language: its file (by primary subtag), else English, else any.
    public func strings(for language: String) -> InterfaceStrings {
        let primary = language.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        return strings[primary] ?? strings["en"] ?? strings.sorted { $0.key < $1.key }.first?.value ?? InterfaceStrings(words: [:])
    }

    /// A strings file: a mapping of keys to texts.
    private static func loadStrings(_ url: URL, path: String, _ diagnostics: inout [Diagnostic]) -> [String: String]? {
        guard let data = FileManager.default.contents(atPath: url.path), UTF8Validation.firstInvalidByteOffset(in: data) == nil else {
            diagnostics.append(.error(.render, at: SourceLocation(path: path), "cannot read the strings file as UTF-8"))
            return nil
        }
        let file = SourceText(path: path, text: String(decoding: data, as: UTF8.self))
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

    /// The partials (`{{> name}}`) and parents (`{{< name}}`) a template names.
    private static func partialReferences(in source: SourceText) -> [(name: String, location: SourceLocation)] {
        source.text.matches(of: /\{\{\s*[<>]\s*([^\s{}]+)\s*\}\}/).map { match in
            let offset = source.text.unicodeScalars.distance(from: source.text.unicodeScalars.startIndex,
                                                             to: match.range.lowerBound)
            return (String(match.output.1), source.location(ofOffset: offset))
        }
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
            for use in Self.names(in: source) where !keys.contains(use.name) {
                diagnostics.append(.warning(.render, at: use.location,
                                            "'\(use.name)' is given to no \(pages): it renders as nothing"))
            }
        }
        return diagnostics
    }

    /// The variable and section names a template uses (first part of dotted names).
    private static func names(in source: SourceText) -> [(name: String, location: SourceLocation)] {
        source.text.matches(of: /\{\{\{?\s*([#^&]?)\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}?\}\}/).map { match in
            let offset = source.text.unicodeScalars.distance(from: source.text.unicodeScalars.startIndex, to: match.range.lowerBound)
            let name = String(match.output.2).split(separator: ".").first.map(String.init) ?? ""
            return (name, source.location(ofOffset: offset))
        }
    }

    /// Renders `context` with the named template.
    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }
}

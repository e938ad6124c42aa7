import Foundation

/// The `load` stage: reads a site folder's `content/` into `Content`, collecting every
/// problem of every file instead of stopping at the first.
public struct ContentLoader: Sendable {
    public let site: URL

    /// Every file the loader reads: inside the site folder only.
    private let siteFiles: SiteFiles

    public init(site: URL) {
        self.site = site.standardizedFileURL
        self.siteFiles = SiteFiles(root: site, stage: .load)
    }

    public func load() -> (content: Content, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let contentFolder = site.appendingPathComponent("content")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentFolder.path, isDirectory: &isFolder), isFolder.boolValue else {
            diagnostics.append(.error(.load, at: SourceLocation(path: "content"),
                                      "no content/ folder in the site folder \(site.path)"))
            return (Content(config: SiteConfig()), diagnostics)
        }

        var content = Content(config: loadConfig(&diagnostics))
        var ids = IDRegistry()

        // Ids are claimed in file order (so a duplicate is reported the same way every time);
        // the files are read and parsed on all cores.
        let articleFiles = files(in: "content/articles", extensions: ["md", "txt"], &diagnostics).compactMap { file, url in
            ids.claim(kind: "article", fileURL: url, path: file, &diagnostics).map { (id: $0, path: file, url: url) }
        }
        let loaded = Parallel.map(articleFiles) { loadArticle(id: $0.id, path: $0.path, url: $0.url) }
        content.articles = loaded.compactMap(\.0)
        diagnostics += loaded.flatMap(\.1)
        for kind in EntityKind.allCases {
            for (file, url) in files(in: "content/\(kind.folder)", extensions: ["md"], &diagnostics) {
                guard let id = ids.claim(kind: kind.rawValue, fileURL: url, path: file, &diagnostics),
                      let text = siteFiles.readText(url, path: file, &diagnostics) else { continue }
                if let entity = EntityLoader.load(EntityRef(kind, id), file: text, &diagnostics) {
                    content.entities.append(entity)
                }
            }
        }
        for (file, url) in files(in: "content/notes", extensions: ["md"], &diagnostics) {
            guard let id = ids.claim(kind: "note", fileURL: url, path: file, &diagnostics),
                  let text = siteFiles.readText(url, path: file, &diagnostics) else { continue }
            if let note = NoteLoader.load(id: id, file: text, &diagnostics) {
                content.notes.append(note)
            }
        }
        for (file, url) in files(in: "content/assets", extensions: nil, &diagnostics) {
            content.assets.append(Asset(path: String(file.dropFirst("content/assets/".count)), file: url, source: file))
        }
        return (content, diagnostics)
    }

    /// One article file (`path` as diagnostics name it), read and parsed.
    func loadArticle(id: String, path: String, url: URL) -> (Article?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        guard let text = siteFiles.readText(url, path: path, &diagnostics) else { return (nil, diagnostics) }
        let format: ArticleFormat = url.pathExtension == "txt" ? .plainText : .markdown
        return (ArticleLoader.load(id: id, file: text, format: format, &diagnostics), diagnostics)
    }

    private func loadConfig(_ diagnostics: inout [Diagnostic]) -> SiteConfig {
        var config = SiteConfig()
        let path = "content/site.yml"
        let url = site.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path),
              let text = siteFiles.readText(url, path: path, &diagnostics) else { return config }
        let split = FrontMatterSplit(yaml: text.text, yamlFirstLine: 1, body: 0..<0, bodyFirstLine: 1)
        var fields = FrontMatterFields(split, of: text)
        config.title = fields.string("title") ?? config.title
        config.language = fields.string("language") ?? config.language
        config.description = fields.string("description") ?? config.description
        config.baseURL = fields.string("base_url")
        config.prettyURLs = fields.bool("pretty_urls") ?? config.prettyURLs
        config.unsafeHTML = fields.bool("unsafe_html") ?? config.unsafeHTML
        fields.finish()
        diagnostics += fields.diagnostics
        return config
    }

    /// The files below a folder of the site, sorted, as (site-relative path, URL); files of
    /// another extension are reported.
    private func files(in folder: String, extensions: Set<String>?, _ diagnostics: inout [Diagnostic]) -> [(String, URL)] {
        siteFiles.files(in: site.appendingPathComponent(folder), displayedAs: folder, &diagnostics).filter { path, url in
            guard let extensions, !extensions.contains(url.pathExtension.lowercased()) else { return true }
            let expected = extensions.sorted().map { ".\($0)" }.joined(separator: " or ")
            diagnostics.append(.warning(.load, at: SourceLocation(path: path), "ignored: only \(expected) files are read in \(folder)/"))
            return false
        }
    }
}

/// Ids per kind of content, so that two files that map to one id are reported with both names.
private struct IDRegistry {
    private var claimed: [String: [String: String]] = [:]

    mutating func claim(kind: String, fileURL: URL, path: String, _ diagnostics: inout [Diagnostic]) -> String? {
        let id = Slug.make(from: fileURL.deletingPathExtension().lastPathComponent)
        guard !id.isEmpty else {
            diagnostics.append(.error(.load, at: SourceLocation(path: path),
                                      "the file name gives no id: use letters or digits"))
            return nil
        }
        guard !PortablePaths.isReservedOnWindows(id) else {
            diagnostics.append(.error(.load, at: SourceLocation(path: path),
                                      "the id '\(id)' is a name Windows reserves for a device: its pages could not be copied there; rename the file"))
            return nil
        }
        if let other = claimed[kind]?[id] {
            diagnostics.append(.error(.load, at: SourceLocation(path: path),
                                      "duplicate \(kind) id '\(id)': \(other) and \(path) both map to it"))
            return nil
        }
        claimed[kind, default: [:]][id] = path
        return id
    }
}

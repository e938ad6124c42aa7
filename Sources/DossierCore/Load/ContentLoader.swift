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
        let (content, diagnostics, _, _) = load { _, _ in () }
        return (content, diagnostics)
    }

    /// The content, what `beforeArticles` started, and the articles as their files were read.
    /// `beforeArticles` is given the actors and places and the settings as soon as they are
    /// loaded, before the articles are read (it is not called when there is no `content/`
    /// folder). An article `known` holds (by path) whose file is still what it was then is
    /// taken from there instead of being read and parsed again.
    func load<Started>(known: Background<[String: LoadedArticle]>? = nil, beforeArticles start: ([Entity], SiteConfig) -> Started)
        -> (content: Content, diagnostics: [Diagnostic], started: Started?, articleFiles: ArticleFiles) {
        var diagnostics: [Diagnostic] = []
        let contentFolder = site.appendingPathComponent("content")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentFolder.path, isDirectory: &isFolder), isFolder.boolValue else {
            diagnostics.append(.error(.load, at: SourceLocation(path: "content"),
                                      "no content/ folder in the site folder \(site.path)"))
            return (Content(config: SiteConfig()), diagnostics, nil, ArticleFiles(settled: [], read: 0))
        }
        let started = FileVersion.now()

        var content = Content(config: loadConfig(&diagnostics))
        var ids = IDRegistry()

        // Actors and places first, for `start`; their problems are reported after the articles'.
        var entityDiagnostics: [Diagnostic] = []
        for kind in EntityKind.allCases {
            let entityFiles = files(in: "content/\(kind.folder)", extensions: ["md"], &entityDiagnostics).compactMap { file in
                ids.claim(kind: kind.rawValue, file: file, &entityDiagnostics).map { (ref: EntityRef(kind, $0), file: file) }
            }
            let entities = Parallel.map(entityFiles) { ref, file -> (Entity?, [Diagnostic]) in
                var diagnostics: [Diagnostic] = []
                guard let text = siteFiles.readText(file, &diagnostics) else { return (nil, diagnostics) }
                return (EntityLoader.load(ref, file: text, &diagnostics), diagnostics)
            }
            content.entities += entities.compactMap(\.0)
            entityDiagnostics += entities.flatMap(\.1)
        }
        let beforeArticles = start(content.entities, content.config)

        // Ids are claimed in file order (so a duplicate is reported the same way every time);
        // the files are read and parsed on all cores.
        let articleFiles = files(in: "content/articles", extensions: ["md", "txt"], &diagnostics).compactMap { file in
            ids.claim(kind: "article", file: file, &diagnostics).map { (id: $0, file: file) }
        }
        let known = known?.value ?? [:]
        let articles = Parallel.map(articleFiles) { id, file -> (loaded: LoadedArticle?, diagnostics: [Diagnostic], read: Bool) in
            if let loaded = known[file.path], loaded.article.id == id, let version = siteFiles.version(of: file),
               loaded.version == version {
                return (loaded, loaded.diagnostics, false)
            }
            let (article, diagnostics, version) = loadArticle(id: id, file: file)
            return (article.map { LoadedArticle(path: file.path, version: version, article: $0, diagnostics: diagnostics) },
                    diagnostics, true)
        }
        content.articles = articles.compactMap(\.loaded?.article)
        diagnostics += articles.flatMap(\.diagnostics) + entityDiagnostics
        let loaded = ArticleFiles(settled: articles.compactMap { $0.loaded?.version?.isSettled(before: started) == true ? $0.loaded : nil },
                                  read: articles.filter(\.read).count)
        let noteFiles = files(in: "content/notes", extensions: ["md"], &diagnostics).compactMap { file in
            ids.claim(kind: "note", file: file, &diagnostics).map { (id: $0, file: file) }
        }
        let notes = Parallel.map(noteFiles) { id, file -> (Note?, [Diagnostic]) in
            var diagnostics: [Diagnostic] = []
            guard let text = siteFiles.readText(file, &diagnostics) else { return (nil, diagnostics) }
            return (NoteLoader.load(id: id, file: text, &diagnostics), diagnostics)
        }
        content.notes = notes.compactMap(\.0)
        diagnostics += notes.flatMap(\.1)
        for file in files(in: "content/assets", extensions: nil, &diagnostics) {
            content.assets.append(Asset(path: String(file.path.dropFirst("content/assets/".count)), file: file.url, source: file.path))
        }
        return (content, diagnostics, beforeArticles, loaded)
    }

    /// One article file the listing found, read and parsed, and what the file was when read.
    private func loadArticle(id: String, file: SiteFiles.File) -> (Article?, [Diagnostic], FileVersion?) {
        var diagnostics: [Diagnostic] = []
        let read = siteFiles.read(file, &diagnostics)
        let (article, parseDiagnostics) = parseArticle(id: id, name: file.name, text: read?.text, diagnostics)
        return (article, parseDiagnostics, read?.version)
    }

    /// One article file named by its URL (`path` as diagnostics name it): a file `serve` was
    /// told was saved, read with every check on where it leads.
    func loadArticle(id: String, path: String, url: URL) -> (Article?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let text = siteFiles.readText(url, path: path, &diagnostics)
        return parseArticle(id: id, name: url.lastPathComponent, text: text, diagnostics)
    }

    private func parseArticle(id: String, name: String, text: SourceText?, _ diagnostics: [Diagnostic]) -> (Article?, [Diagnostic]) {
        guard let text else { return (nil, diagnostics) }
        var diagnostics = diagnostics
        let format: ArticleFormat = FileName(name).pathExtension == "txt" ? .plainText : .markdown
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

    /// The files below a folder of the site, sorted; files of another extension are reported.
    private func files(in folder: String, extensions: Set<String>?, _ diagnostics: inout [Diagnostic]) -> [SiteFiles.File] {
        siteFiles.list(site.appendingPathComponent(folder), displayedAs: folder, &diagnostics).filter { file in
            guard let extensions, !extensions.contains(FileName(file.name).pathExtension.lowercased()) else { return true }
            let expected = extensions.sorted().map { ".\($0)" }.joined(separator: " or ")
            diagnostics.append(.warning(.load, at: SourceLocation(path: file.path), "ignored: only \(expected) files are read in \(folder)/"))
            return false
        }
    }
}

/// An article as loaded from its file, with the file's problems, and the version of the file
/// read (nil when it was reached through a link): what a later build may take instead of
/// reading the file again while it still has that version (`ArticleCache`).
struct LoadedArticle: Sendable {
    let path: String
    let version: FileVersion?
    let article: Article
    let diagnostics: [Diagnostic]
}

/// The article files of a load: those whose file a later build may take as unchanged while it
/// still has the version read (it had not changed for a while), and how many files were read
/// rather than taken as known.
struct ArticleFiles: Sendable {
    let settled: [LoadedArticle]
    let read: Int
}

/// A file's name split as `URL` splits it: into a stem and an extension. Content files are
/// named like `qsd-dera-zor.md` (lowercase letters, digits and hyphens, one dot, a lowercase
/// extension), split here without making a URL; any other name is split by one.
struct FileName {
    let stem: String
    let pathExtension: String

    init(_ name: String) {
        let bytes = Array(name.utf8)
        if let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot + 1 < bytes.count,
           bytes[..<dot].allSatisfy({ Self.isPlain($0) || $0 == UInt8(ascii: "-") }),
           bytes[(dot + 1)...].allSatisfy(Self.isPlain) {
            stem = String(decoding: bytes[..<dot], as: UTF8.self)
            pathExtension = String(decoding: bytes[(dot + 1)...], as: UTF8.self)
        } else {
            let url = URL(fileURLWithPath: name)
            stem = url.deletingPathExtension().lastPathComponent
            pathExtension = url.pathExtension
        }
    }

    /// Lowercase ASCII letters and digits.
    private static func isPlain(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// Ids per kind of content, so that two files that map to one id are reported with both names.
private struct IDRegistry {
    private var claimed: [String: [String: String]] = [:]

    mutating func claim(kind: String, file: SiteFiles.File, _ diagnostics: inout [Diagnostic]) -> String? {
        let path = file.path
        let id = Slug.make(from: FileName(file.name).stem)
        guard !id.isEmpty else {
            diagnostics.append(.error(.load, at: SourceLocation(path: path),
                                      "the file name gives no id: use letters or digits"))
            return nil
        }
        // An id is a slug, of ASCII characters: a device name has three or four.
        guard id.utf8.count > 4 || !PortablePaths.isReservedOnWindows(id) else {
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

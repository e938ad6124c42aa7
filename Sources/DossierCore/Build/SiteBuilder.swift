import Foundation

/// What a build did: every diagnostic of every stage, what the archive holds, and whether the
/// site was written.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var articles = 0
    public var actors = 0
    public var places = 0
    public var notes = 0
    public var mentions = 0
    public var pages = 0
    /// Whether `public/` was replaced by the new site.
    public var published = false

    public var errors: Int { diagnostics.filter(\.isError).count }
    public var warnings: Int { diagnostics.count - errors }
}

/// The build pipeline of DESIGN §6: load -> resolve -> link -> index -> render -> publish.
/// Every stage runs even after an earlier one found errors, so one build reports every
/// problem; nothing is published unless the build is free of errors (and, with `strict`, of
/// warnings).
public struct SiteBuilder: Sendable {
    public let site: URL
    public let output: URL
    public let strict: Bool

    public init(site: URL, output: URL? = nil, strict: Bool = false) {
        self.site = site.standardizedFileURL
        self.output = (output ?? site.appendingPathComponent("public")).standardizedFileURL
        self.strict = strict
    }

    /// Runs the pipeline and, when `publish` is set and it succeeded, writes the site.
    public func build(publish: Bool = true) -> BuildReport {
        var report = BuildReport()

        // load
        let (content, loadDiagnostics) = ContentLoader(site: site).load()
        report.diagnostics += loadDiagnostics

        // resolve
        let registry = Registry(entities: content.entities)
        report.diagnostics += registry.validate()

        // link
        let linker = Linker(registry: registry, siteLanguage: content.config.language,
                            articleLanguages: Set(content.articles.compactMap(\.language)),
                            articleIDs: Set(content.articles.map(\.id)), noteIDs: Set(content.notes.map(\.id)))
        var articles: [LinkedArticle] = []
        for article in content.articles {
            let (linked, diagnostics) = linker.link(article)
            articles.append(linked)
            report.diagnostics += diagnostics
        }
        var notes: [LinkedNote] = []
        let articlesByID = Dictionary(content.articles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for note in content.notes {
            let (linked, diagnostics) = linker.link(note, commentingOn: note.articleID.flatMap { articlesByID[$0] })
            notes.append(linked)
            report.diagnostics += diagnostics
        }
        var descriptions: [EntityRef: LinkedMarkdown] = [:]
        for entity in registry.entities {
            let (description, diagnostics) = linker.link(entity.description)
            descriptions[entity.ref] = description
            report.diagnostics += diagnostics
        }

        // index
        let (archive, indexDiagnostics) = Indexer.index(config: content.config, registry: registry, articles: articles,
                                                        notes: notes, descriptions: descriptions, assets: content.assets)
        report.diagnostics += indexDiagnostics
        report.articles = archive.articles.count
        report.actors = registry.entities.filter { $0.ref.kind == .actor }.count
        report.places = registry.entities.filter { $0.ref.kind == .place }.count
        report.notes = archive.notes.count
        report.mentions = archive.articles.reduce(0) { $0 + $1.mentions.count }

        // render
        let (theme, themeDiagnostics) = Theme.load(site: site)
        report.diagnostics += themeDiagnostics
        if strict {
            report.diagnostics = report.diagnostics.map { diagnostic in
                var strictDiagnostic = diagnostic
                strictDiagnostic.severity = .error
                return strictDiagnostic
            }
        }
        report.diagnostics = report.diagnostics.sortedByLocation()
        guard let theme, !report.diagnostics.hasErrors else { return report }
        let pages = SiteRenderer(archive: archive, theme: theme).render()
        report.pages = pages.count
        guard publish else { return report }

        // publish
        do {
            try Publisher(output: output).publish(files: pages + [DataExport.mentionsCSV(archive), DataExport.notesJSONLD(archive)],
                                                  assets: theme.assets + archive.assets)
            report.published = true
        } catch {
            report.diagnostics.append(.error(.publish, at: SourceLocation(path: output.path), "\(error)"))
        }
        return report
    }
}

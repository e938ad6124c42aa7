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
    /// How long the build took.
    public var seconds = 0.0

    public var errors: Int { diagnostics.filter(\.isError).count }
    public var warnings: Int { diagnostics.filter { $0.severity == .warning }.count }
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
    /// `progress` hears each stage as it starts and, in long stages, how far it got.
    public func build(publish: Bool = true, progress: (@Sendable (BuildProgress) -> Void)? = nil) -> BuildReport {
        let started = DispatchTime.now().uptimeNanoseconds
        var report = BuildReport()
        func finished(_ report: BuildReport) -> BuildReport {
            var report = report
            report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            return report
        }
        progress?(BuildProgress(stage: .load, done: 0, total: 0))

        // load
        let (content, loadDiagnostics) = ContentLoader(site: site).load()
        report.diagnostics += loadDiagnostics

        // resolve
        let registry = Registry(entities: content.entities)
        report.diagnostics += registry.validate()

        // link
        progress?(BuildProgress(stage: .link, done: 0, total: content.articles.count))
        let linker = Linker(registry: registry, siteLanguage: content.config.language,
                            articleLanguages: Set(content.articles.compactMap(\.language)),
                            articleIDs: Set(content.articles.map(\.id)), noteIDs: Set(content.notes.map(\.id)))
        let linkedArticles = Parallel.map(content.articles) { linker.link($0) }
        let articles = linkedArticles.map(\.0)
        report.diagnostics += linkedArticles.flatMap(\.1)
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
        progress?(BuildProgress(stage: .index, done: 0, total: 0))
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
        report.diagnostics += themeDiagnostics + (theme?.unknownNames(given: SiteRenderer.pageKeys) ?? [])
        report.diagnostics += PortablePaths.problems(in: (theme?.assets ?? []) + archive.assets)
        if strict {
            report.diagnostics = report.diagnostics.map { diagnostic in
                var strictDiagnostic = diagnostic
                if strictDiagnostic.severity == .warning { strictDiagnostic.severity = .error }
                return strictDiagnostic
            }
        }
        report.diagnostics = report.diagnostics.sortedByLocation()
        guard let theme, !report.diagnostics.hasErrors else { return finished(report) }
        progress?(BuildProgress(stage: .render, done: 0, total: 0))
        let pages = SiteRenderer(archive: archive, theme: theme).render()
        report.pages = pages.count
        guard publish else { return finished(report) }

        // publish
        progress?(BuildProgress(stage: .publish, done: 0, total: pages.count))
        do {
            try Publisher(output: output, site: site).publish(files: pages + Feeds.all(archive) + [
                Feeds.sitemap(archive, pages: pages), DataExport.mentionsCSV(archive), DataExport.entitiesCSV(archive),
                DataExport.articlesCSV(archive), DataExport.archiveJSON(archive), DataExport.notesJSONLD(archive),
            ],
                                                  assets: theme.assets + archive.assets)
            report.published = true
        } catch {
            report.diagnostics.append(.error(.publish, at: SourceLocation(path: output.path), "\(error)"))
        }
        return finished(report)
    }
}

/// How far a build got: the stage it is in and, where it counts, items done of the total.
public struct BuildProgress: Sendable {
    public let stage: Stage
    public let done: Int
    public let total: Int
}

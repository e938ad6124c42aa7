import Foundation
import Synchronization

/// What a build did: every diagnostic of every stage, what the archive holds, and whether the
/// site was written.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var articles = 0
    public var actors = 0
    public var places = 0
    public var notes = 0
    public var mentions = 0
    /// The article files read and parsed; the others were taken as the last build loaded
    /// them (`ArticleCache`), their files unchanged since.
    public var articlesRead = 0
    /// The articles linked anew; the others' links were those of the last build (`BuildMemory`).
    public var articlesLinked = 0
    public var pages = 0
    /// The pages rendered anew; the others were carried over from the last build (`BuildCache`).
    public var pagesRendered = 0
    /// Whether `public/` was replaced by the new site.
    public var published = false
    /// How long the build took.
    public var seconds = 0.0
    /// How long each stage took, in the order they ran (resolve counts with load, writing the
    /// pages with render, as each is written when made, and the search index, feeds and data
    /// files with publish): wall seconds, and CPU seconds of the whole process (all cores).
    public var stageSeconds: [(stage: Stage, seconds: Double, cpuSeconds: Double)] = []

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
    /// `progress` hears each stage as it starts and, in long stages, how far it got; `memory`
    /// carries what one build can reuse of the last (see `BuildMemory`).
    public func build(publish: Bool = true, progress: (@Sendable (BuildProgress) -> Void)? = nil,
                      memory: BuildMemory? = nil) -> BuildReport {
        let started = DispatchTime.now().uptimeNanoseconds
        var report = BuildReport()
        let clock = StageClock()
        // What the last build left for rendering (its files, its search terms) is read from the
        // start of the index stage, on a core it leaves idle: read from the start of the build,
        // it took the cores that loading and linking need first.
        let lastBuild = publish ? Deferred { BuildCache.lastBuild(site: site, output: output) } : nil
        let searchCache = publish ? SearchCache.reading(site: site) : nil
        let progress: @Sendable (BuildProgress) -> Void = { stage in
            clock.enter(stage.stage)
            if stage.stage == .index {
                lastBuild?.start()
                searchCache?.startReading()
            }
            progress?(stage)
        }
        let (archive, archiveDiagnostics, linker, links, loaded) = archive(progress: progress, memory: memory)
        report.articlesLinked = links.linkedAnew
        report.articlesRead = loaded.articleFiles.read
        // The loaded articles and the link results are right whatever the later stages find:
        // they are kept for the next build while this one goes on, on a core the index stage
        // leaves idle. The search terms join them once the index is made.
        var cachesSaved = publish
            ? [Background {
                ArticleCache.save(loaded.articleFiles.settled, site: site, kept: loaded.keptRuns)
                if links.linkedAnew > 0 { LinkCache.save(links.files, site: site, linkerDigest: links.linkerDigest, kept: links.keptRuns) }
                RelationCache.save(archive.relations, site: site)
            }]
            : []
        func finished(_ report: BuildReport) -> BuildReport {
            // The caches are saved before the build returns.
            for saving in cachesSaved { _ = saving.value }
            var report = report
            report.stageSeconds = clock.durations()
            report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            return report
        }
        report.diagnostics += archiveDiagnostics
        report.articles = archive.articles.count
        report.actors = archive.registry.entities.filter { $0.ref.kind == .actor }.count
        report.places = archive.registry.entities.filter { $0.ref.kind == .place }.count
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
        progress(BuildProgress(stage: .render, done: 0, total: 0))
        // Read only by builds that draw maps.
        let placeOnMap = archive.registry.entities.first { $0.coordinate != nil }
        let basemap = placeOnMap == nil ? nil : Basemap.builtIn
        if let placeOnMap, basemap == nil {
            report.diagnostics.append(.warning(.render, at: SourceLocation(path: placeOnMap.file.path),
                                               "the basemap is missing from this installation: places are shown without maps"))
        }
        let cacheKey = BuildCache.key(theme: theme, archive: archive, maps: basemap != nil)
        let previous = lastBuild?.value?.previous(key: cacheKey)
        let publisher = Publisher(output: output, site: site)
        let target: PublishTarget?
        do {
            // With a cache to trust, the published folder is updated in place; else a new one is staged.
            target = publish ? try (previous == nil ? .staging(publisher.begin()) : .update(publisher.beginUpdate())) : nil
        } catch {
            report.diagnostics.append(.error(.publish, at: SourceLocation(path: output.path), "\(error)"))
            return finished(report)
        }
        let writer = target?.writer
        // Each page is written as soon as it is rendered. The search index, feeds and data
        // files are made beside the pages, sharing the cores: made after them, most of them
        // take one core each and the other cores wait for the largest. They start from a
        // thread of their own: a `concurrentPerform` nested in another runs on one thread.
        let renderer = SiteRenderer(archive: archive, theme: theme, basemap: basemap)
        let generating = writer.map { writer in
            Background {
                ArchiveFiles.make(archive, pages: Parallel.map(renderer.pages) { renderer.path(of: $0) }, key: cacheKey, previous: previous,
                                  searchCache: searchCache) { writer.write($0) }
            }
        }
        let pages = renderer.render(reusing: previous?.pageFingerprints ?? [:]) { writer?.write($0) }
        progress(BuildProgress(stage: .publish, done: 0, total: pages.rendered.count + pages.reused.count))
        let generated = generating?.value ?? (files: [:], carriedOver: [], dataLayouts: [:], searchCacheSaved: nil)
        cachesSaved += [generated.searchCacheSaved].compactMap { $0 }
        report.pages = pages.rendered.count + pages.reused.count
        report.pagesRendered = pages.rendered.count
        guard let target else { return finished(report) }

        // publish: what the archive files left
        do {
            var files: [String: (kind: OutputKind, fingerprint: UInt64?)] = [:]
            let assets = theme.assets + archive.assets
            files.reserveCapacity(pages.rendered.count + pages.reused.count + generated.files.count + assets.count)
            for page in pages.rendered + pages.reused { files[page] = (.page, pages.fingerprints[page]) }
            for (path, made) in generated.files { files[path] = (made.kind, made.fingerprint) }
            for asset in assets { files["assets/" + asset.path] = (.asset, nil) }
            // No cache while the published folder changes in place: a build killed on the way
            // leaves none to trust.
            if case .update = target { BuildCache.remove(site: site, output: output) }
            let identities = try publisher.finish(target, files: Array(files.keys), unchanged: pages.reused + generated.carriedOver,
                                                  assets: assets, previous: previous)
            report.published = true
            memory?.lastBuild = BuildMemory.LastBuild(archive: archive, theme: theme, basemap: basemap, linker: linker)
            var cache = BuildCache(key: cacheKey, output: BuildCache.folderNumber(output), files: [:])
            cache.files.reserveCapacity(files.count)
            for (path, file) in files {
                guard let identity = identities[path] else { continue }
                cache.files[path] = BuildCache.PublishedFile(kind: file.kind, fingerprint: file.fingerprint, identity: identity)
            }
            cache.save(site: site, output: output)
            if generated.dataLayouts != previous?.dataLayouts { DataLayoutCache.save(generated.dataLayouts, site: site, output: output) }
        } catch {
            report.diagnostics.append(.error(.publish, at: SourceLocation(path: output.path), "\(error)"))
        }
        return finished(report)
    }
}

extension SiteBuilder {
    /// The stages before rendering: load, resolve, link and index. The archive, and every
    /// problem they found.
    /// Articles whose file is unchanged since the last build are not linked again: their
    /// results are in `memory`, or else in the site's `LinkCache`.
    public func archive(progress: (@Sendable (BuildProgress) -> Void)? = nil, memory: BuildMemory? = nil)
        -> (archive: Archive, diagnostics: [Diagnostic], linker: Linker, links: LinkResults, loaded: LoadResults) {
        progress?(BuildProgress(stage: .load, done: 0, total: 0))
        var diagnostics: [Diagnostic] = []
        // The articles as the last build loaded them are read while the actors and places load.
        let knownArticles = ArticleCache.startReading(site: site)
        // The link cache is read while the site loads, unless the last build's results are in
        // memory.
        let cache = memory?.hasLinkedArticles == true ? nil : LinkCache.startReading(site: site)
        // And so are the relations the last build counted, which the index takes where no edit changed them.
        let lastArchive = memory?.lastBuild?.archive
        let relationCache = lastArchive == nil ? RelationCache.startReading(site: site) : nil

        // load
        // The registry and the name matcher of the site's language, the longest part of making
        // the linker, are made while the articles load (on a core their loading leaves free
        // now and then), from the actors and places, which load first.
        let (content, loadDiagnostics, early, articleFiles) = ContentLoader(site: site).load(known: knownArticles.startGatheringArticles()) { entities, config in
            Background { () -> (registry: Registry, matcher: NameMatcher) in
                let registry = Registry(entities: entities)
                return (registry, NameMatcher(registry: registry, rules: LanguageRules.forLanguage(config.language)))
            }
        }
        diagnostics += loadDiagnostics

        // resolve
        let registry = early?.value.registry ?? Registry(entities: content.entities)
        diagnostics += registry.validate()

        // link
        progress?(BuildProgress(stage: .link, done: 0, total: content.articles.count))
        let linker = Linker(registry: registry, siteLanguage: content.config.language,
                            articleLanguages: Set(content.articles.compactMap(\.language)),
                            articleIDs: Set(content.articles.map(\.id)), noteIDs: Set(content.notes.map(\.id)),
                            made: early.map { [$0.value.matcher] } ?? [])
        let linkerDigest = Self.digest(ofLinkerFor: content, registry: registry)
        // Each file's digest: the remembered results are matched by it, and the index keeps it
        // for the fingerprints of what is made from the article.
        let digests = content.articles.map(\.file.digest)
        // The last build's results, each article's by its position.
        let inMemory = memory?.linkedArticles(linkerDigest: linkerDigest) ?? [:]
        let remembered = inMemory.isEmpty
            ? cache?.linkedFiles(linkerDigest: linkerDigest, articles: content.articles, digests: digests)
                ?? Array(repeating: nil, count: content.articles.count)
            : content.articles.map { inMemory[$0.file.path] }
        let linked = Parallel.map(Array(content.articles.indices)) { index -> (file: BuildMemory.LinkedFile, anew: Bool) in
            let article = content.articles[index]
            let digest = digests[index]
            if let known = remembered[index], known.digest == digest { return (known, false) }
            let (linked, diagnostics) = linker.link(article)
            return (BuildMemory.LinkedFile(digest: digest, article: linked, diagnostics: diagnostics), true)
        }
        let linkedFiles = linked.map(\.file)
        memory?.remember(linked: Dictionary(linkedFiles.map { ($0.article.article.file.path, $0) }, uniquingKeysWith: { first, _ in first }),
                         linkerDigest: linkerDigest)
        diagnostics += linkedFiles.flatMap(\.diagnostics)
        var notes: [LinkedNote] = []
        let articlesByID = Dictionary(content.articles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for note in content.notes {
            let (linked, noteDiagnostics) = linker.link(note, commentingOn: note.articleID.flatMap { articlesByID[$0] })
            notes.append(linked)
            diagnostics += noteDiagnostics
        }
        var descriptions: [EntityRef: LinkedMarkdown] = [:]
        for (entity, (description, descriptionDiagnostics)) in zip(registry.entities, Parallel.map(registry.entities) { linker.link($0.description) }) {
            descriptions[entity.ref] = description
            diagnostics += descriptionDiagnostics
        }

        // index
        progress?(BuildProgress(stage: .index, done: 0, total: 0))
        let (archive, indexDiagnostics) = Indexer.index(config: content.config, registry: registry, articles: linkedFiles.map(\.article),
                                                        notes: notes, descriptions: descriptions, assets: content.assets,
                                                        relationsBefore: lastArchive?.relations ?? relationCache?.value)
        let linkedAnew = linked.filter(\.anew).count
        let links = LinkResults(files: linkedFiles, linkerDigest: linkerDigest, linkedAnew: linkedAnew,
                                keptRuns: cache?.digests)
        return (archive, diagnostics + indexDiagnostics, linker, links,
                LoadResults(articleFiles: articleFiles, keptRuns: knownArticles.digests))
    }

    /// The digest of everything a linker is made from: two builds with equal digests link an
    /// unchanged article alike.
    private static func digest(ofLinkerFor content: Content, registry: Registry) -> UInt64 {
        var hash = StableHash()
        hash.combine(content.config.language)
        for language in Set(content.articles.compactMap(\.language)).sorted() { hash.combine(language) }
        hash.combine(content.articles.count)
        for id in content.articles.map(\.id).sorted() { hash.combine(id) }
        hash.combine(content.notes.count)
        for id in content.notes.map(\.id).sorted() { hash.combine(id) }
        for entity in registry.entities {
            hash.combine(entity.file.digest)
        }
        return hash.value
    }
}

/// What the link stage made: each article's result, the digest of the linker that made them,
/// and how many articles were linked anew (the others' results were the last build's: with
/// none linked anew, the site's `LinkCache` holds these results already, as an article added,
/// removed or renamed changes the linker and every article is linked anew).
public struct LinkResults: Sendable {
    let files: [BuildMemory.LinkedFile]
    let linkerDigest: UInt64
    public let linkedAnew: Int
    /// The runs of the `LinkCache` this build read; nil when it did not read it.
    let keptRuns: Set<UInt64>?
}

/// What the load stage read: the articles a later build may take instead of reading their
/// files, how many files it read, and the runs of the `ArticleCache` it found.
public struct LoadResults: Sendable {
    let articleFiles: ArticleFiles
    let keptRuns: Set<UInt64>
}

/// When each stage of a build started, from the progress it reports: wall and CPU clocks.
private final class StageClock: Sendable {
    private let starts = Mutex<[(stage: Stage, nanoseconds: UInt64, cpuSeconds: Double)]>([])

    func enter(_ stage: Stage) {
        let now = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.cpuSeconds()
        starts.withLock { starts in
            if starts.last?.stage != stage { starts.append((stage, now, cpu)) }
        }
    }

    /// Each stage's time, up to the next stage's start or now.
    func durations() -> [(stage: Stage, seconds: Double, cpuSeconds: Double)] {
        let now = (DispatchTime.now().uptimeNanoseconds, Self.cpuSeconds())
        return starts.withLock { starts in
            starts.indices.map { index in
                let end = index + 1 < starts.count ? (starts[index + 1].nanoseconds, starts[index + 1].cpuSeconds) : now
                return (starts[index].stage, Double(end.0 - starts[index].nanoseconds) / 1e9, end.1 - starts[index].cpuSeconds)
            }
        }
    }

    /// The CPU time of the process so far, user and system, on all its threads.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// How far a build got: the stage it is in and, where it counts, items done of the total.
public struct BuildProgress: Sendable {
    public let stage: Stage
    public let done: Int
    public let total: Int
}

import Foundation

/// Each article as the last build loaded it, kept in the site's `.dossier-cache/articles/` with
/// what its file was then (`FileVersion`), so that the next build reads and parses only the
/// article files that changed: at 10,000 articles, loading was a fifth of a rebuild after one
/// edit. Safe to delete: the next build reads every file. Only a file this very tool wrote is
/// trusted, and an article only while its file's status is still the one it had.
///
/// The articles are kept in runs, in the order of their paths (`RunFolder`): after an edit, a
/// save writes the one run of the edited article. Per article: its path, the file's version,
/// its text, what the front matter and body gave (title, date, ..., where the body lies) and
/// the problems found in it.
enum ArticleCache {
    static func runs(site: URL) -> RunFolder {
        RunFolder(folder: site.appendingPathComponent(BuildCache.folder).appendingPathComponent("articles"),
                  header: "dossier article run 2\n")
    }

    /// Starts reading the cache on a thread of its own, while the build reads the actors and
    /// places.
    static func startReading(site: URL) -> RunFolder.Reading<[LoadedArticle]> {
        runs(site: site).startReading { reader, _ in reader.articleRun() }
    }

    /// Keeps the articles loaded from files of a known version for the next build: writes the
    /// runs not among `kept` (those the build read; nil: those in the folder).
    static func save(_ loaded: [LoadedArticle], site: URL, kept: Set<UInt64>?) {
        let articles = loaded.compactMap { article in article.version.map { (article: article, version: $0) } }
        let runs = RunFolder.runs(of: articles.map(\.article.path))
        let digests = runs.map { run in
            var hash = StableHash()
            hash.combine(run.count)
            for (article, version) in articles[run] {
                hash.combine(article.path)
                for field in version.fields { hash.combine(field) }
            }
            return hash.value
        }
        self.runs(site: site).save(digests, kept: kept) { position, writer in
            writer.integer(runs[position].count)
            for (article, version) in articles[runs[position]] { writer.loadedArticle(article, version: version) }
        }
    }
}

// MARK: - Encoding

extension CacheWriter {
    /// One article as `CacheReader.loadedArticle()` reads it.
    fileprivate mutating func loadedArticle(_ loaded: LoadedArticle, version: FileVersion) {
        string(loaded.path)
        for field in version.fields { fixed(field) }
        diagnostics(loaded.diagnostics)
        let article = loaded.article
        string(article.id)
        string(article.file.text)
        let tables = article.file.tables
        integer(tables.scalarCount)
        numbers(tables.lineStarts)
        numbers(tables.lineUTF8Starts)
        numbers(tables.checkpoints)
        fixed(tables.digest)
        string(article.title)
        integer(article.titleOffsets == nil ? 0 : 1)
        if let offsets = article.titleOffsets {
            integer(offsets.count)
            for offset in offsets { integer(offset) }
        }
        optionalString(article.date?.timestamp)
        optionalString(article.publisher)
        optionalString(article.url)
        optionalString(article.language)
        strings(article.authors)
        optionalString(article.summary)
        strings(article.unlinked)
        switch article.body {
        case .markdown(let source):
            integer(0)
            range(source.range)
            integer(source.firstLine)
        case .plainText(let document):
            integer(1)
            range(document.headline)
            integer(document.blocks.count)
            for block in document.blocks {
                integer(block.kind == .subheading ? 0 : 1)
                integer(block.lines.count)
                for line in block.lines { range(line) }
            }
        }
    }
}

extension CacheReader {
    /// A run as `ArticleCache.save` wrote it.
    fileprivate mutating func articleRun() -> [LoadedArticle]? {
        list { $0.loadedArticle() }
    }

    /// One article; nil when the bytes are not one, or do not fit its text.
    private mutating func loadedArticle() -> LoadedArticle? {
        guard let path = string() else { return nil }
        var fields: [UInt64] = []
        for _ in 0..<FileVersion.fieldCount {
            guard let field = fixed() else { return nil }
            fields.append(field)
        }
        guard let diagnostics = diagnostics(), let id = string(), let text = string(), let scalarCount = count(),
              let lineStarts = numbers(of: UInt32.self), let lineUTF8Starts = numbers(of: UInt32.self),
              let checkpoints = numbers(of: UInt32.self), let digest = fixed(),
              let file = SourceText(path: path, text: text, tables: SourceText.Tables(
                  scalarCount: scalarCount, lineStarts: lineStarts, lineUTF8Starts: lineUTF8Starts, checkpoints: checkpoints, digest: digest)),
              let title = string(), let hasTitleOffsets = integer() else { return nil }
        let version = FileVersion(fields: fields)
        func fits(_ range: Range<Int>) -> Bool { range.upperBound <= file.scalarCount }
        var titleOffsets: [Int]?
        if hasTitleOffsets == 1 {
            guard let offsets = list({ $0.count().flatMap { $0 < file.scalarCount ? $0 : nil } }) else { return nil }
            titleOffsets = offsets
        }
        guard let timestamp = optionalString(), let publisher = optionalString(), let url = optionalString(),
              let language = optionalString(), let authors = strings(), let summary = optionalString(),
              let unlinked = strings(), let bodyKind = integer() else { return nil }
        var date: ArticleDate?
        if let timestamp {
            guard let written = ArticleDate(timestamp) else { return nil }
            date = written
        }
        let body: ArticleBody
        let format: ArticleFormat
        switch bodyKind {
        case 0:
            guard let range = range(), fits(range), let firstLine = count(), firstLine >= 1 else { return nil }
            body = .markdown(MarkdownSource(file: file, range: range, firstLine: firstLine))
            format = .markdown
        case 1:
            guard let headline = range(), fits(headline),
                  let blocks = list({ reader -> PlainTextDocument.Block? in
                      guard let kind = reader.integer(), kind <= 1,
                            let lines = reader.list({ $0.range().flatMap { fits($0) ? $0 : nil } }) else { return nil }
                      return PlainTextDocument.Block(kind: kind == 0 ? .subheading : .paragraph, lines: lines)
                  }) else { return nil }
            body = .plainText(PlainTextDocument(headline: headline, blocks: blocks))
            format = .plainText
        default:
            return nil
        }
        let article = Article(id: id, file: file, format: format, title: title, titleOffsets: titleOffsets, date: date,
                              publisher: publisher, url: url, language: language, authors: authors, summary: summary,
                              unlinked: unlinked, body: body)
        return LoadedArticle(path: path, version: version, article: article, diagnostics: diagnostics)
    }
}

extension RunFolder.Reading<[LoadedArticle]> {
    /// The articles the cache holds, by path, gathered on a thread of their own once read.
    func startGatheringArticles() -> Background<[String: LoadedArticle]> {
        Background {
            Dictionary(runs.value.values.joined().map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }
}

import Foundation

/// Each article's link result from the last build, kept in the site's `.dossier-cache/` so
/// that the next `dossier build` links only the articles whose file changed (as `serve`
/// does with `BuildMemory`). Safe to delete: the next build links everything. Trusted only
/// when it was written by this very tool and for a linker made from the same inputs.
///
/// The file is binary (the results of a large archive are hundreds of thousands of
/// mentions, which JSON took longer to read than linking them), laid out as `CacheFile`
/// says: a header line, the tool's identity and the linker's digest, then in chunks per
/// article its path, the digest of its file and its plain text, mentions, links and
/// diagnostics. The article itself is not kept: the
/// build has just loaded it, and a result is paired with it again by the file's digest.
enum LinkCache {
    private static let header = "dossier link cache 1\n"

    static func file(site: URL) -> URL {
        site.appendingPathComponent(BuildCache.folder).appendingPathComponent("links.bin")
    }

    /// Articles per chunk of the file: each chunk stands behind its length, so that the
    /// chunks are encoded and read on all cores.
    private static let chunkSize = 256

    /// The link results the cache holds for `articles` (by file path) whose file is the one
    /// they were made from (`digests`, of each article's file); none when there is no cache or
    /// it is not to be trusted.
    static func linkedFiles(site: URL, linkerDigest: UInt64, articles: [Article], digests: [UInt64]) -> [String: BuildMemory.LinkedFile] {
        guard let data = try? Data(contentsOf: file(site: site)),
              let chunks = CacheFile.chunks(of: data, head: { reader in
                  reader.raw(header) && reader.string() == BuildCache.toolIdentity && reader.integer() == linkerDigest
              }) else { return [:] }
        let articlesByPath = Dictionary(zip(articles, digests).map { ($0.file.path, (article: $0, digest: $1)) },
                                        uniquingKeysWith: { first, _ in first })
        let decoded = CacheFile.decode(chunks, of: data) { reader -> [(String, BuildMemory.LinkedFile)]? in
            guard let count = reader.count() else { return nil }
            var found: [(String, BuildMemory.LinkedFile)] = []
            for _ in 0..<count {
                guard let path = reader.string(), let digest = reader.integer() else { return nil }
                let article = articlesByPath[path].flatMap { $0.digest == digest ? $0.article : nil }
                guard let linked = reader.linkedFile(of: article, digest: digest) else { return nil }
                if let linked { found.append((path, linked)) }
            }
            return found
        }
        guard let decoded else { return [:] }
        return Dictionary(decoded.flatMap { $0 }, uniquingKeysWith: { first, _ in first })
    }

    /// Writes the link results for the next build.
    static func save(_ linked: [BuildMemory.LinkedFile], site: URL, linkerDigest: UInt64) {
        let chunks = Parallel.map(Array(stride(from: 0, to: linked.count, by: chunkSize))) { start in
            var writer = CacheWriter()
            let end = min(start + chunkSize, linked.count)
            writer.integer(end - start)
            for file in linked[start..<end] { writer.linkedFile(file) }
            return writer.bytes
        }
        var head = CacheWriter()
        head.raw(header)
        head.string(BuildCache.toolIdentity)
        head.integer(linkerDigest)
        CacheFile.write(head: head.bytes, chunks: chunks, to: file(site: site))
    }
}

// MARK: - Encoding

/// Whether a mention's sentence is cut from the article's title or from its plain text.
private enum SentenceText: UInt64 {
    case title, body
}

extension CacheWriter {
    /// One article's link result, as `CacheReader.linkedFile(of:digest:)` reads it.
    mutating func linkedFile(_ file: BuildMemory.LinkedFile) {
        let linked = file.article
        string(linked.article.file.path)
        integer(file.digest)
        string(linked.text)
        // The body's sentences are cut from its plain text before labels are shown in it,
        // which is the linked text unless the article has explicit links.
        let bodyText = linked.mentions.first { !$0.inHeadline }?.sentence.text ?? linked.text
        optionalString(bodyText == linked.text ? nil : bodyText)
        integer(linked.mentions.count)
        for mention in linked.mentions {
            integer(mention.ordinal)
            integer(UInt64(EntityKind.allCases.firstIndex(of: mention.entity.kind)!))
            string(mention.entity.id)
            range(mention.range)
            string(mention.text)
            integer(mention.line)
            optionalString(mention.label)
            integer(mention.inHeadline ? 1 : 0)
            let sentence = mention.sentence
            integer((mention.inHeadline ? SentenceText.title : .body).rawValue)
            range(sentence.before)
            range(sentence.match)
            range(sentence.after)
            integer((sentence.isCutBefore ? 1 : 0) | (sentence.isCutAfter ? 2 : 0))
        }
        integer(linked.links.count)
        for link in linked.links {
            range(link.range)
            switch link.target {
            case .entity(let ref):
                integer(UInt64(EntityKind.allCases.firstIndex(of: ref.kind)!))
                string(ref.id)
            case .article(let id):
                integer(UInt64(EntityKind.allCases.count))
                string(id)
            case .note(let id):
                integer(UInt64(EntityKind.allCases.count + 1))
                string(id)
            }
            string(link.label)
        }
        integer(file.diagnostics.count)
        for diagnostic in file.diagnostics {
            string(diagnostic.severity.rawValue)
            string(diagnostic.stage.rawValue)
            string(diagnostic.location.path)
            integer(diagnostic.location.line)
            integer(diagnostic.location.column)
            string(diagnostic.message)
        }
    }
}

extension CacheReader {
    mutating func utf8Range() -> Range<UInt32>? {
        guard let range = range(), range.upperBound <= Int(UInt32.max) else { return nil }
        return UInt32(range.lowerBound)..<UInt32(range.upperBound)
    }

    mutating func kind() -> EntityKind? {
        count().flatMap { EntityKind.allCases.indices.contains($0) ? EntityKind.allCases[$0] : nil }
    }

    /// One article's result; read through (and nil returned as a result) when `article`
    /// is nil, so the next can be read.
    mutating func linkedFile(of article: Article?, digest: UInt64) -> BuildMemory.LinkedFile?? {
        guard let text = string(), let bodyText = optionalString(), let mentionCount = count() else { return nil }
        var mentions: [Mention] = []
        mentions.reserveCapacity(min(mentionCount, bytes.count))
        for _ in 0..<mentionCount {
            guard let ordinal = count(), let kind = kind(), let id = string(), let range = range(), let mentionText = string(),
                  let line = count(), let label = optionalString(), let inHeadline = integer(),
                  let source = integer().flatMap(SentenceText.init), let before = utf8Range(), let match = utf8Range(),
                  let after = utf8Range(), let cuts = integer() else { return nil }
            let sentenceText = source == .title ? article?.title ?? "" : bodyText ?? text
            guard article == nil || [before, match, after].allSatisfy({ Int($0.upperBound) <= sentenceText.utf8.count }) else { return nil }
            mentions.append(Mention(ordinal: ordinal, entity: EntityRef(kind, id), range: range, text: mentionText, line: line,
                                    label: label, inHeadline: inHeadline == 1,
                                    sentence: SentenceSpan(text: sentenceText, before: before, match: match, after: after,
                                                           isCutBefore: cuts & 1 != 0, isCutAfter: cuts & 2 != 0)))
        }
        guard let linkCount = count() else { return nil }
        var links: [WikiLink] = []
        for _ in 0..<linkCount {
            guard let range = range(), let targetKind = count(), let id = string() else { return nil }
            let target: LinkTarget
            switch targetKind {
            case EntityKind.allCases.indices: target = .entity(EntityRef(EntityKind.allCases[targetKind], id))
            case EntityKind.allCases.count: target = .article(id)
            case EntityKind.allCases.count + 1: target = .note(id)
            default: return nil
            }
            guard let label = string() else { return nil }
            links.append(WikiLink(range: range, target: target, label: label))
        }
        guard let diagnosticCount = count() else { return nil }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<diagnosticCount {
            guard let severity = string().flatMap(Diagnostic.Severity.init), let stage = string().flatMap(Stage.init),
                  let path = string(), let line = count(), let column = count(), let message = string() else { return nil }
            diagnostics.append(Diagnostic(severity, stage, at: SourceLocation(path: path, line: line, column: column), message))
        }
        guard let article else { return .some(nil) }
        return BuildMemory.LinkedFile(digest: digest, article: LinkedArticle(article: article, mentions: mentions, links: links, text: text),
                                      diagnostics: diagnostics)
    }
}

import Foundation

/// Each article's link result from the last build, kept in the site's `.dossier-cache/links/`
/// so that the next `dossier build` links only the articles whose file changed (as `serve`
/// does with `BuildMemory`). Safe to delete: the next build links everything. A result is
/// trusted only from a file this very tool wrote, for a linker made from the same inputs.
///
/// The results are kept in runs of articles, in the order of their files (`RunFolder`): after
/// an edit, a save writes the one run of the edited article. A run is binary (the results of a
/// large archive are hundreds of thousands of mentions, which JSON took longer to read than
/// linking them): the linker's digest, then per article its path, the digest of its file and
/// its plain text, mentions, links and diagnostics. The article itself is not kept: the build
/// has just loaded it, and a result is paired with it again by the file's digest.
enum LinkCache {
    static func runs(site: URL) -> RunFolder {
        RunFolder(folder: site.appendingPathComponent(BuildCache.folder).appendingPathComponent("links"),
                  header: "dossier link run 1\n")
    }

    /// Starts reading the cache on a thread of its own, so that it is decoded while the build
    /// loads the site; the results are then paired with the articles they are for
    /// (`linkedFiles`).
    static func startReading(site: URL) -> RunFolder.Reading<LinkRun> {
        runs(site: site).startReading { reader, _ in reader.linkRun() }
    }

    /// Writes the link results for the next build: the runs not among `kept` (those the build
    /// read; nil: those in the folder).
    static func save(_ linked: [BuildMemory.LinkedFile], site: URL, linkerDigest: UInt64, kept: Set<UInt64>?) {
        let paths = linked.map(\.article.article.file.path)
        let runs = RunFolder.runs(of: paths)
        let digests = runs.map { run in
            var hash = StableHash()
            hash.combine(linkerDigest)
            hash.combine(run.count)
            for index in run {
                hash.combine(paths[index])
                hash.combine(linked[index].digest)
            }
            return hash.value
        }
        self.runs(site: site).save(digests, kept: kept) { position, writer in
            writer.integer(linkerDigest)
            writer.integer(runs[position].count)
            for file in linked[runs[position]] { writer.linkedFile(file) }
        }
    }
}

extension RunFolder.Reading<LinkRun> {
    /// For each of `articles`, the link result the cache holds for its file when that is the
    /// file it was made from (`digests`, of each article's file), by a linker of
    /// `linkerDigest`; paired with the articles on all cores.
    func linkedFiles(linkerDigest: UInt64, articles: [Article], digests: [UInt64]) -> [BuildMemory.LinkedFile?] {
        let files = Dictionary(runs.value.values.filter { $0.linkerDigest == linkerDigest }.flatMap(\.files),
                               uniquingKeysWith: { first, _ in first })
        return Parallel.map(Array(zip(articles, digests))) { article, digest in
            guard let file = files[article.file.path], file.digest == digest else { return nil }
            return file.paired(with: article)
        }
    }
}

// MARK: - Encoding

/// Whether a mention's sentence is cut from the article's title or from its plain text.
private enum SentenceText: UInt64 {
    case title, body
}

extension CacheWriter {
    /// One article's link result, as `CacheReader.unpairedFile(digest:)` reads it.
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
        diagnostics(file.diagnostics)
    }
}

extension CacheReader {
    /// A run as `LinkCache.save` wrote it.
    mutating func linkRun() -> LinkRun? {
        guard let linkerDigest = integer(),
              let files = list({ reader -> (String, UnpairedFile)? in
                  guard let path = reader.string(), let digest = reader.integer(),
                        let file = reader.unpairedFile(digest: digest) else { return nil }
                  return (path, file)
              }) else { return nil }
        return LinkRun(linkerDigest: linkerDigest, files: files)
    }

    mutating func utf8Range() -> Range<UInt32>? {
        guard let range = range(), range.upperBound <= Int(UInt32.max) else { return nil }
        return UInt32(range.lowerBound)..<UInt32(range.upperBound)
    }

    mutating func kind() -> EntityKind? {
        count().flatMap { EntityKind.allCases.indices.contains($0) ? EntityKind.allCases[$0] : nil }
    }

    /// One article's result, before it is paired with its article.
    mutating func unpairedFile(digest: UInt64) -> UnpairedFile? {
        guard let text = string(), let bodyText = optionalString(), let mentionCount = count() else { return nil }
        let body = bodyText ?? text
        var mentions: [Mention] = []
        mentions.reserveCapacity(min(mentionCount, bytes.count))
        for _ in 0..<mentionCount {
            guard let ordinal = count(), let kind = kind(), let id = string(), let range = range(), let mentionText = string(),
                  let line = count(), let label = optionalString(), let inHeadline = integer(),
                  let source = integer().flatMap(SentenceText.init), (source == .title) == (inHeadline == 1),
                  let before = utf8Range(), let match = utf8Range(), let after = utf8Range(), let cuts = integer() else { return nil }
            // A headline's sentence is cut from the article's title, which comes with the article.
            let sentenceText = source == .title ? "" : body
            guard source == .title || [before, match, after].allSatisfy({ Int($0.upperBound) <= sentenceText.utf8.count }) else { return nil }
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
        guard let diagnostics = diagnostics() else { return nil }
        return UnpairedFile(digest: digest, text: text, mentions: mentions, links: links, diagnostics: diagnostics)
    }
}

/// A run of the link cache: the digest of the linker that made its results, and each article's
/// result by the path of its file.
struct LinkRun: Sendable {
    let linkerDigest: UInt64
    let files: [(String, UnpairedFile)]
}

/// An article's link result as the cache holds it: everything but the article, and the
/// headline mentions' sentences, which are cut from its title.
struct UnpairedFile: Sendable {
    let digest: UInt64
    let text: String
    let mentions: [Mention]
    let links: [WikiLink]
    let diagnostics: [Diagnostic]

    /// The result for `article`; nil if a headline mention's sentence lies outside its title.
    func paired(with article: Article) -> BuildMemory.LinkedFile? {
        let title = article.title.utf8.count
        var mentions = mentions
        for (index, mention) in mentions.enumerated() where mention.inHeadline {
            let sentence = mention.sentence
            guard [sentence.before, sentence.match, sentence.after].allSatisfy({ Int($0.upperBound) <= title }) else { return nil }
            mentions[index] = Mention(ordinal: mention.ordinal, entity: mention.entity, range: mention.range, text: mention.text,
                                      line: mention.line, label: mention.label, inHeadline: true,
                                      sentence: SentenceSpan(text: article.title, before: sentence.before, match: sentence.match,
                                                             after: sentence.after, isCutBefore: sentence.isCutBefore,
                                                             isCutAfter: sentence.isCutAfter))
        }
        return BuildMemory.LinkedFile(digest: digest, article: LinkedArticle(article: article, mentions: mentions, links: links, text: text),
                                      diagnostics: diagnostics)
    }
}

import Foundation

/// Each article's link result from the last build, kept in the site's `.dossier-cache/` so
/// that the next `dossier build` links only the articles whose file changed (as `serve`
/// does with `BuildMemory`). Safe to delete: the next build links everything. Trusted only
/// when it was written by this very tool and for a linker made from the same inputs.
///
/// The file is binary (the results of a large archive are hundreds of thousands of
/// mentions, which JSON took longer to read than linking them): a header line, the tool's
/// identity and the linker's digest, then per article its path, the digest of its file and
/// its plain text, mentions, links and diagnostics. The article itself is not kept: the
/// build has just loaded it, and a result is paired with it again by the file's digest.
enum LinkCache {
    private static let header = "dossier link cache 1\n"

    static func file(site: URL) -> URL {
        site.appendingPathComponent(BuildCache.folder).appendingPathComponent("links.bin")
    }

    /// The link results the cache holds for `articles` (by file path) whose file is the one
    /// they were made from; none when there is no cache or it is not to be trusted.
    static func linkedFiles(site: URL, linkerDigest: UInt64, articles: [Article]) -> [String: BuildMemory.LinkedFile] {
        guard let data = try? Data(contentsOf: file(site: site)) else { return [:] }
        return data.withUnsafeBytes { bytes in
            var reader = Reader(bytes: bytes.bindMemory(to: UInt8.self))
            guard reader.string() == header, reader.string() == BuildCache.toolIdentity,
                  reader.integer() == linkerDigest, let count = reader.count() else { return [:] }
            let articlesByPath = Dictionary(articles.map { ($0.file.path, $0) }, uniquingKeysWith: { first, _ in first })
            var found: [String: BuildMemory.LinkedFile] = [:]
            for _ in 0..<count {
                guard let path = reader.string(), let digest = reader.integer() else { return [:] }
                let article = articlesByPath[path].flatMap { BuildMemory.digest(of: $0) == digest ? $0 : nil }
                guard let linked = reader.linkedFile(of: article, digest: digest) else { return [:] }
                if article != nil { found[path] = linked }
            }
            return reader.isAtEnd ? found : [:]
        }
    }

    /// Writes the link results for the next build. A site folder that cannot take them only
    /// means the next build links every article.
    static func save(_ linked: [BuildMemory.LinkedFile], site: URL, linkerDigest: UInt64) {
        var writer = Writer()
        writer.string(header)
        writer.string(BuildCache.toolIdentity)
        writer.integer(linkerDigest)
        writer.integer(UInt64(linked.count))
        for file in linked { writer.linkedFile(file) }
        let url = file(site: site)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        writer.bytes.withUnsafeMutableBytes { bytes in
            // Written from the buffer, not from a copy of it: it is tens of megabytes in a large archive.
            try? Data(bytesNoCopy: bytes.baseAddress!, count: bytes.count, deallocator: .none).write(to: url, options: .atomic)
        }
    }

    // MARK: - Encoding

    /// Whether a mention's sentence is cut from the article's title or from its plain text.
    private enum SentenceText: UInt64 {
        case title, body
    }

    private struct Writer {
        var bytes: [UInt8] = []

        /// An unsigned integer in 7-bit groups, low first: most numbers here take a byte or two.
        mutating func integer(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func integer(_ value: Int) { integer(UInt64(max(0, value))) }

        mutating func string(_ text: String) {
            integer(text.utf8.count)
            bytes += text.utf8
        }

        /// Absent as 0, present as 1 and the text.
        mutating func optionalString(_ text: String?) {
            integer(text == nil ? 0 : 1)
            if let text { string(text) }
        }

        mutating func range<Bound: BinaryInteger>(_ range: Range<Bound>) {
            integer(UInt64(range.lowerBound))
            integer(UInt64(range.upperBound))
        }

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

    /// Reads what `Writer` wrote; every read is nil past the end or on bytes that cannot be
    /// what was written (a cache cut short or from elsewhere is then not used).
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var isAtEnd: Bool { position == bytes.count }

        mutating func integer() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.count, shift < 64 {
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        /// A count or offset: an integer that fits an Int.
        mutating func count() -> Int? {
            integer().flatMap { $0 <= UInt64(Int.max) ? Int($0) : nil }
        }

        mutating func string() -> String? {
            guard let length = count(), length <= bytes.count - position else { return nil }
            defer { position += length }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<(position + length)]), as: UTF8.self)
        }

        mutating func optionalString() -> String?? {
            switch integer() {
            case 0: .some(nil)
            case 1: string().map { .some($0) }
            default: nil
            }
        }

        mutating func range() -> Range<Int>? {
            guard let low = count(), let high = count(), low <= high else { return nil }
            return low..<high
        }

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
}

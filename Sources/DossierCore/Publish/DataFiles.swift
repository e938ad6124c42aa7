import Foundation
import Synchronization

/// The data files under `data/` (`DataExport`) of one build, each with the fingerprint of what
/// it tells: one carried over when the last build made it from the same and it is as that build
/// left it; else made, those of one part per article (`PartedFile`) from the last build's file
/// where the cache knows where each article's part lies in it: only the parts of the articles
/// whose data changed are written anew. An edit of one article thus costs its parts and the
/// copy of the others, not the whole archive written out again.
final class DataFiles: Sendable {
    /// Each file's fingerprint, by path.
    let fingerprints: [String: UInt64]
    /// The files the last build made from the same fingerprint, still as it left them.
    let carriedOver: [String]
    private let archive: Archive
    private let previous: PreviousBuild?
    /// The order of the parts: the articles' indices by id.
    private let order: [Int]
    /// The fingerprint of each article's data (by index): what its parts are told from.
    private let articles: [UInt64]
    /// Where the parts lie in the files, for the next build: filled as the files are made.
    private let madeLayouts = Mutex<[String: DataLayout]>([:])

    init(_ archive: Archive, key: UInt64, previous: PreviousBuild?) {
        self.archive = archive
        self.previous = previous
        order = DataExport.articlesByID(archive)
        articles = Self.articleFingerprints(archive)
        var hashes: [String: StableHash] = [:]
        for path in Self.paths {
            var hash = StableHash()
            hash.combine(key)
            hash.combine(path)
            hashes[path] = hash
        }
        for index in order {
            for path in Self.parted { hashes[path]?.combine(articles[index]) }
        }
        // Each note's file with the file of the article it comments on (its passages' offsets).
        for (index, linked) in archive.notes.enumerated() {
            let article = linked.note.articleID.flatMap { archive.articleIndex[$0] }
            for path in ["data/archive.json", "data/notes.jsonld"] {
                hashes[path]?.combine(archive.noteDigests[index])
                hashes[path]?.combine(article.map { archive.articleDigests[$0] } ?? 0)
            }
        }
        // entities.csv counts each entity's mentions and articles.
        for entity in archive.registry.entities {
            hashes["data/entities.csv"]?.combine(archive.mentionCount(of: entity.ref))
            hashes["data/entities.csv"]?.combine(archive.backlinks[entity.ref]?.count ?? 0)
        }
        fingerprints = hashes.mapValues(\.value)
        let fingerprints = fingerprints
        carriedOver = Self.paths.filter { previous?.isUnchanged($0, fingerprint: fingerprints[$0] ?? 0) == true }
        let kept = carriedOver.compactMap { path in previous?.dataLayouts[path].map { (path, $0) } }
        madeLayouts.withLock { $0 = Dictionary(uniqueKeysWithValues: kept) }
    }

    /// Every data file, and those of one part per article.
    private static let paths = DataExport.files.map { "data/" + $0.name }
    private static let parted = ["data/archive.json", "data/mentions.csv", "data/articles.csv"]

    /// What makes the files not carried over, in groups to run side by side: the two largest
    /// alone, the three others together.
    var makers: [@Sendable () -> [OutputFile]] {
        let toMake = Set(Self.paths).subtracting(carriedOver)
        return [["data/archive.json"], ["data/mentions.csv"], ["data/entities.csv", "data/articles.csv", "data/notes.jsonld"]]
            .map { $0.filter(toMake.contains) }
            .filter { !$0.isEmpty }
            .map { paths in { paths.map(self.make) } }
    }

    /// Where the parts lie in the files of one part per article as published after this build
    /// (made or carried over), for the next.
    var layouts: [String: DataLayout] { madeLayouts.withLock { $0 } }

    /// The file at `path`. One whose bytes come out as the published file's is left as it is
    /// by publishing (`OutputUpdate`).
    private func make(_ path: String) -> OutputFile {
        switch path {
        case "data/archive.json": make(DataExport.ArchiveJSON(archive))
        case "data/mentions.csv": make(DataExport.MentionsCSV())
        case "data/articles.csv": make(DataExport.ArticlesCSV(language: archive.config.language))
        case "data/entities.csv": DataExport.entitiesCSV(archive)
        default: DataExport.notesJSONLD(archive)
        }
    }

    private func make(_ file: some PartedFile) -> OutputFile {
        let made = file.make(archive, order: order, fingerprints: articles, previous: lastFile(file.path))
        madeLayouts.withLock { $0[file.path] = DataLayout(fingerprint: fingerprints[file.path] ?? 0, parts: made.parts) }
        return OutputFile(path: file.path, body: .spliced(made.bytes))
    }

    /// The file at `path` as the last build published it, open, with where its parts lie: when
    /// the cache knows them for the file it made, and the file is still as it left it.
    private func lastFile(_ path: String) -> (file: OpenFile, layout: DataLayout)? {
        guard let previous, let published = previous.files[path], let layout = previous.dataLayouts[path],
              layout.fingerprint == published.fingerprint, !previous.changed.contains(path),
              let file = OpenFile(path: previous.folder + "/" + path, identity: published.identity) else { return nil }
        return (file, layout)
    }

    /// What the data files tell of each article (its text aside, so that an edit of the text
    /// alone that changes no mention leaves them as they were), by index.
    static func articleFingerprints(_ archive: Archive) -> [UInt64] {
        Parallel.map(Array(archive.articles.indices)) { index in
            let linked = archive.articles[index]
            let article = linked.article
            var hash = StableHash()
            for field in [article.id, article.title, article.date?.timestamp ?? "", article.publisher ?? "", article.url ?? "",
                          article.language ?? "", article.file.path] {
                hash.combine(field)
            }
            hash.combine(article.authors.count)
            for author in article.authors { hash.combine(author) }
            hash.combine(linked.mentions.count)
            for mention in linked.mentions {
                hash.combine(mention.entity)
                hash.combine(mention.text)
                hash.combine(mention.range.lowerBound)
                hash.combine(mention.range.upperBound)
                hash.combine(mention.line)
            }
            return hash.value
        }
    }
}

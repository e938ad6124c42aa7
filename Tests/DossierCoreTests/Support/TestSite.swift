import Foundation
import Testing
@testable import DossierCore

/// A site folder in a fresh temporary directory, written from a dictionary of files.
struct TestSite {
    let root: URL

    init(_ files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("dossier-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content"), withIntermediateDirectories: true)
        for (path, contents) in files { try write(path, contents) }
    }

    /// A copy of a fixture site folder (under `Tests/Fixtures/`).
    init(copying folder: URL) throws {
        try self.init()
        try FileManager.default.removeItem(at: root.appendingPathComponent("content"))
        try FileManager.default.copyItem(at: folder.appendingPathComponent("content"), to: root.appendingPathComponent("content"))
    }

    /// The fixture site with some files added or replaced.
    init(fixtureWith changes: [String: String]) throws {
        try self.init(Fixture.files.merging(changes) { _, changed in changed })
    }

    func write(_ path: String, _ contents: String) throws {
        try write(path, Data(contents.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    func build(strict: Bool = false, publish: Bool = true, progress: (@Sendable (BuildProgress) -> Void)? = nil,
               memory: BuildMemory? = nil) -> BuildReport {
        SiteBuilder(site: root, strict: strict).build(publish: publish, progress: progress, memory: memory)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every file below `folder` with its bytes, keyed by relative path.
    func snapshot(_ folder: String = "public") throws -> [String: Data] {
        let base = root.appendingPathComponent(folder).standardizedFileURL
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return files
        }
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            files[String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))] = try Data(contentsOf: url)
        }
        return files
    }

    func delete() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// A small archive: one Markdown article, one plain-text article, two actors, two places, a note.
enum Fixture {
    /// `Tests/Fixtures/hostile-site`: script, markup, attribute-breaking and formula payloads in
    /// every field, file name and key of a site (the CI's inertness check builds it too).
    static let hostileSite = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/hostile-site")

    static let files: [String: String] = [
        "content/site.yml": "title: Testarchiv\nlanguage: de\n",
        "content/articles/offensive.md": """
            ---
            title: QSD setzen Offensive in Dêra Zor fort
            date: 2018-05-01
            source: ANF
            ---
            Die Demokratischen Kräfte Syriens (QSD) melden Fortschritte bei Deir ez-Zor.

            Der Sprecher Haşim Mihemed sagte: „Wir sind bereit.“ Der Code `QSD` bleibt Code,
            und ein [Link zu QSD](https://example.org) bleibt ein Link.

            Nur [[qsd|die Kräfte]] wurden ausdrücklich verlinkt.
            """,
        "content/articles/agentur.txt": """
            Efrin unter Beschuss

            Erdogan kündigte neue Angriffe auf Efrîn an.

            Lage in Damaskus

            In Damaskus blieb es ruhig.
            """,
        "content/actors/qsd.md": """
            ---
            name: Demokratische Kräfte Syriens
            aliases: [QSD, SDF, Demokratischen Kräfte Syriens]
            kind: armed-group
            ---
            Ein Bündnis, das in [[Dêra Zor]] kämpft.
            """,
        "content/actors/Haşim Mihemed.md": """
            ---
            name: Haşim Mihemed
            kind: person
            ---
            Koordinator der Offensive.
            """,
        "content/actors/erdogan.md": """
            ---
            name: Recep Tayyip Erdoğan
            aliases: [Erdoğan]
            kind: person
            ---
            Präsident der Türkei.
            """,
        "content/places/dera-zor.md": """
            ---
            name: Dêra Zor
            aliases: [Deir ez-Zor]
            lat: 35.33
            lon: 40.14
            ---
            Stadt am Euphrat.
            """,
        "content/places/efrin.md": """
            ---
            name: Efrîn
            lat: 36.51
            lon: 36.87
            ---
            Stadt im Nordwesten Syriens.
            """,
        "content/places/damaskus.md": """
            ---
            name: Damaskus
            ---
            Hauptstadt Syriens.
            """,
        "content/notes/kommentar.md": """
            ---
            title: Zur Offensive
            author: Redaktion
            date: 2018-05-02
            article: offensive
            about: [qsd]
            ---
            > Die Demokratischen Kräfte Syriens (QSD) melden Fortschritte

            Die [[qsd]] und [[Haşim Mihemed]] sprechen hier für sich selbst; siehe [[articles/agentur]].
            """,
    ]
}

extension SearchIndex {
    /// The search index of the fixture site with some files added or replaced.
    static func ofFixture(with changes: [String: String] = [:]) throws -> SearchIndex {
        let site = try TestSite(fixtureWith: changes)
        defer { site.delete() }
        let archive = SiteBuilder(site: site.root).archive().archive
        return SearchIndex(archive, paths: SitePaths(prettyURLs: false))
    }
}

extension TestSite {
    /// Builds the site into `public/`, as the last builds left it and with their caches, and
    /// fully into a fresh folder without any cache (set aside meanwhile); expects the same files
    /// with the same bytes, and the same folders (none left empty). The first build's report.
    @discardableResult
    func expectSameAsAFullBuild(_ edit: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BuildReport {
        let report = build()
        #expect(report.published, "\(edit): \(report.diagnostics)", sourceLocation: sourceLocation)
        let fresh = "full-\(UUID().uuidString.prefix(6))"
        let caches = root.appendingPathComponent(BuildCache.folder)
        let setAside = root.appendingPathComponent("caches-\(fresh)")
        try FileManager.default.moveItem(at: caches, to: setAside)
        let full = SiteBuilder(site: root, output: root.appendingPathComponent(fresh)).build()
        try FileManager.default.removeItem(at: caches)
        try FileManager.default.moveItem(at: setAside, to: caches)
        #expect(full.pagesRendered == full.pages && full.articlesLinked == full.articles, sourceLocation: sourceLocation)
        let incremental = try snapshot("public")
        let expected = try snapshot(fresh)
        #expect(incremental.keys.sorted() == expected.keys.sorted(), "\(edit): the same files", sourceLocation: sourceLocation)
        let differing = expected.keys.filter { incremental[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty, "\(edit): files that differ from a full build: \(differing)", sourceLocation: sourceLocation)
        #expect(folders("public") == folders(fresh), "\(edit): the same folders", sourceLocation: sourceLocation)
        try FileManager.default.removeItem(at: root.appendingPathComponent(fresh))
        return report
    }

    /// The folders below `folder`, as paths relative to it.
    func folders(_ folder: String) -> Set<String> {
        let base = root.appendingPathComponent(folder).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        var folders: Set<String> = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
            folders.insert(String(url.standardizedFileURL.path.dropFirst(base.path.count + 1)))
        }
        return folders
    }
}

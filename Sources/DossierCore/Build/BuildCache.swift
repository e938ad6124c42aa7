import Foundation

/// The page fingerprints of the last build into an output folder, kept in `.dossier-cache/`
/// of the site: the next build renders only the pages whose fingerprint changed and carries
/// the other files over. Safe to delete (the next build renders everything). Trusted only
/// when the tool, the theme, the site settings and the actors and places are those of the
/// build that wrote it: a change to any of them changes every page's key.
struct BuildCache: Codable {
    /// The digest of what every page depends on: tool, theme, settings, registry.
    var key: String
    /// The output folder the pages were published in (its inode: each publish swaps in a new
    /// folder, so a build by anything else is seen).
    var output: UInt64
    /// Page fingerprints by path below the output folder.
    var pages: [String: UInt64]

    static let folder = ".dossier-cache"

    /// One file per output folder, so builds into different folders do not mix.
    static func file(site: URL, output: URL) -> URL {
        site.appendingPathComponent(folder)
            .appendingPathComponent("pages-\(String(StableHash.of(output.standardizedFileURL.path), radix: 16)).json")
    }

    /// The digest every fingerprint is relative to; `maps` tells whether the place pages have
    /// their maps (the basemap may be missing from an installation).
    static func key(theme: Theme, archive: Archive, maps: Bool) -> String {
        var hash = StableHash()
        hash.combine(toolIdentity)
        hash.combine("maps: \(maps)")
        for (name, source) in theme.sources.sorted(by: { $0.key < $1.key }) {
            hash.combine(name)
            hash.combine(source.text)
        }
        for (language, strings) in theme.strings.sorted(by: { $0.key < $1.key }) {
            hash.combine(language)
            for (key, word) in strings.words.sorted(by: { $0.key < $1.key }) { hash.combine(key + "=" + word) }
        }
        let config = archive.config
        for setting in [config.title, config.language, config.description, config.baseURL ?? "", "\(config.prettyURLs)", "\(config.unsafeHTML)"] {
            hash.combine(setting)
        }
        for entity in archive.registry.entities {
            hash.combine(entity.file.path)
            hash.combine(entity.file.text)
        }
        return String(hash.value, radix: 16)
    }

    /// The running executable's path, size and modification time: a new build of the tool
    /// is a new identity.
    static let toolIdentity: String = {
        let executable = PackageResources.executable
        let attributes = try? FileManager.default.attributesOfItem(atPath: executable.path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(executable.path) \(size) \(modified)"
    }()

    /// The fingerprints of the last build into `output` with this key, for the pages whose
    /// file is still there; empty when there is none or it is not to be trusted.
    static func previousPages(site: URL, output: URL, key: String) -> [String: UInt64] {
        guard let data = try? Data(contentsOf: file(site: site, output: output)),
              let cache = try? JSONDecoder().decode(BuildCache.self, from: data), cache.key == key,
              cache.output == folderNumber(output) else { return [:] }
        return cache.pages.filter { FileManager.default.fileExists(atPath: output.appendingPathComponent($0.key).path) }
    }

    static func folderNumber(_ folder: URL) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: folder.path))?[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    /// Writes the cache; a site folder that cannot take it only means the next build renders
    /// everything.
    func save(site: URL, output: URL) {
        let url = Self.file(site: site, output: output)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try? encoder.encode(self).write(to: url, options: .atomic)
    }
}

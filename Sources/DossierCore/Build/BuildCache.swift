import Foundation

/// What the last build into an output folder published, kept in `.dossier-cache/` of the site:
/// every file of the site with what it was made from (a page's fingerprint, the fingerprint
/// of a group of generated files) and its identity as the build left it. The next build
/// renders only the pages whose fingerprint changed, makes only the generated files whose
/// fingerprint changed, and updates the published folder in place (`OutputUpdate`): the other
/// files stay untouched. Safe to delete (the next build makes everything and publishes a new
/// folder). Trusted only when the tool, the theme, the site settings and the actors and places
/// are those of the build that wrote it (a change to any of them changes `key`), for the same
/// output folder (its inode: a full build swaps in a new folder, so one by anything else is
/// seen), and for each file only while it has the identity the build left it with.
///
/// The file is binary (a large archive has tens of thousands of files): a header, the key,
/// the folder, then per file its path, kind, fingerprint and identity.
struct BuildCache {
    /// The digest of what every page depends on: tool, theme, settings, registry.
    var key: String
    /// The output folder the files were published in (its inode).
    var output: UInt64
    /// Every file of the published site, by path below the output folder.
    var files: [String: PublishedFile]

    struct PublishedFile: Sendable, Equatable {
        var kind: OutputKind
        /// What the file was made from; nil for a page made from the whole archive, which is
        /// rendered every time.
        var fingerprint: UInt64?
        var identity: FileIdentity
    }

    static let folder = ".dossier-cache"
    private static let header = "dossier build cache 3\n"

    /// One file per output folder, so builds into different folders do not mix.
    static func file(site: URL, output: URL) -> URL {
        site.appendingPathComponent(folder)
            .appendingPathComponent("files-\(String(StableHash.of(output.standardizedFileURL.path), radix: 16)).bin")
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
            hash.combine(entity.file.digest)
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

    /// The last build into `output` whatever its key, its files checked against the folder: a
    /// build reads it while it loads the site, before it knows its own key.
    static func lastBuild(site: URL, output: URL) -> LastBuild? {
        guard let data = try? Data(contentsOf: file(site: site, output: output)),
              let cache = BuildCache(data), cache.output != 0, cache.output == folderNumber(output) else { return nil }
        let folder = output.path
        let files = Array(cache.files)
        let present = zip(files, FileCalls.identities(of: files.map(\.key), in: folder)).map { $0.value.identity == $1 }
        return LastBuild(key: cache.key, build: PreviousBuild(files: cache.files, changed: Set(zip(files, present).compactMap { $1 ? nil : $0.0 }),
                                                              folder: folder, dataLayouts: DataLayoutCache.load(site: site, output: output)))
    }

    /// The last build, and the key it was made under.
    struct LastBuild: Sendable {
        let key: String
        let build: PreviousBuild

        /// The last build, when it was made under `key`: one to trust.
        func previous(key: String) -> PreviousBuild? {
            key == self.key ? build : nil
        }
    }

    static func folderNumber(_ folder: URL) -> UInt64 {
        var status = stat()
        return stat(folder.path, &status) == 0 ? UInt64(status.st_ino) : 0
    }

    /// Removes the cache: done before the published folder changes, so that a build killed
    /// on the way leaves none to trust.
    static func remove(site: URL, output: URL) {
        unlink(file(site: site, output: output).path)
    }

    /// Writes the cache; a site folder that cannot take it only means the next build makes
    /// everything.
    func save(site: URL, output: URL) {
        var writer = CacheWriter()
        writer.raw(Self.header)
        writer.string(key)
        writer.integer(self.output)
        writer.integer(UInt64(files.count))
        for (path, file) in files {
            writer.string(path)
            writer.integer(UInt64(file.kind.rawValue))
            writer.integer(file.fingerprint == nil ? 0 : 1)
            writer.fixed(file.fingerprint ?? 0)
            writer.integer(file.identity.device)
            writer.integer(file.identity.inode)
            writer.integer(UInt64(bitPattern: file.identity.size))
            writer.integer(UInt64(bitPattern: file.identity.modified))
            writer.integer(UInt64(bitPattern: file.identity.modifiedNanoseconds))
        }
        let url = Self.file(site: site, output: output)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(writer.bytes).write(to: url, options: .atomic)
    }

    init(key: String, output: UInt64, files: [String: PublishedFile]) {
        self.key = key
        self.output = output
        self.files = files
    }

    /// Reads what `save` wrote; nil for anything else.
    init?(_ data: Data) {
        let read: BuildCache? = data.withUnsafeBytes { raw in
            var reader = CacheReader(bytes: raw.bindMemory(to: UInt8.self))
            guard reader.raw(Self.header),
                  let key = reader.string(), let output = reader.integer(), let count = reader.integer(), count < 100_000_000 else { return nil }
            var files: [String: PublishedFile] = [:]
            files.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let path = reader.string(), let kind = reader.integer().flatMap({ OutputKind(rawValue: UInt8(truncatingIfNeeded: $0)) }),
                      let hasFingerprint = reader.integer(), let fingerprint = reader.fixed(),
                      let device = reader.integer(), let inode = reader.integer(), let size = reader.integer(),
                      let modified = reader.integer(), let nanoseconds = reader.integer() else { return nil }
                files[path] = PublishedFile(kind: kind, fingerprint: hasFingerprint == 1 ? fingerprint : nil,
                                            identity: FileIdentity(device: device, inode: inode, size: Int64(bitPattern: size),
                                                                   modified: Int64(bitPattern: modified),
                                                                   modifiedNanoseconds: Int64(bitPattern: nanoseconds)))
            }
            return reader.isAtEnd ? BuildCache(key: key, output: output, files: files) : nil
        }
        guard let read else { return nil }
        self = read
    }
}

/// What a build may carry over from the last one into the same output folder.
struct PreviousBuild: Sendable {
    /// Every file the last build published, by path.
    let files: [String: BuildCache.PublishedFile]
    /// The paths whose file is no longer as the last build left it (changed, replaced, gone).
    let changed: Set<String>
    /// The output folder's path.
    let folder: String
    /// Where the articles' parts lie in the data files (`DataLayoutCache`).
    let dataLayouts: [String: DataLayout]

    /// The fingerprints of the pages still there.
    var pageFingerprints: [String: UInt64] {
        files.reduce(into: [:]) { pages, file in
            if file.value.kind == .page, let fingerprint = file.value.fingerprint, !changed.contains(file.key) { pages[file.key] = fingerprint }
        }
    }

    /// The paths of the files of `kind`.
    func files(of kind: OutputKind) -> [String] {
        files.compactMap { $0.value.kind == kind ? $0.key : nil }
    }

    /// Whether the file at `path` was made from `fingerprint` and is as the last build left it.
    func isUnchanged(_ path: String, fingerprint: UInt64) -> Bool {
        files[path]?.fingerprint == fingerprint && !changed.contains(path)
    }
}

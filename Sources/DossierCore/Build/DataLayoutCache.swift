import Foundation

/// Where each article's part lies in the data files of one part per article (`PartedFile`) as
/// the last build into an output folder published them, kept in `.dossier-cache/` beside the
/// `BuildCache`: what lets the next build copy the unchanged articles' parts from those files.
/// Each layout names the fingerprint of the file it describes, and is used only for a file the
/// build cache knows to have been made from that fingerprint and to be as it was left; so one
/// from another build, or none, only means the file is made whole.
///
/// Binary: a header, then per file its path, fingerprint and parts, each the article's
/// fingerprint, the bytes between it and the part before, and its length.
enum DataLayoutCache {
    private static let header = "dossier data layouts 1\n"

    /// One file per output folder, as the build cache.
    static func file(site: URL, output: URL) -> URL {
        site.appendingPathComponent(BuildCache.folder)
            .appendingPathComponent("data-\(String(StableHash.of(output.standardizedFileURL.path), radix: 16)).bin")
    }

    /// The layouts kept for `output`; none when there are none to read.
    static func load(site: URL, output: URL) -> [String: DataLayout] {
        guard let data = try? Data(contentsOf: file(site: site, output: output)) else { return [:] }
        return data.withUnsafeBytes { raw in
            var reader = CacheReader(bytes: raw.bindMemory(to: UInt8.self))
            guard reader.raw(header), let count = reader.count(), count < 1_000 else { return [:] }
            var layouts: [String: DataLayout] = [:]
            for _ in 0..<count {
                guard let path = reader.string(), let fingerprint = reader.fixed(), let partCount = reader.count(),
                      partCount <= raw.count else { return [:] }
                var parts: [DataLayout.Part] = []
                parts.reserveCapacity(partCount)
                var end = 0
                for _ in 0..<partCount {
                    guard let article = reader.fixed(), let gap = reader.count(), let length = reader.count(),
                          gap <= Int.max - end, length <= Int.max - end - gap else { return [:] }
                    parts.append(DataLayout.Part(article: article, range: (end + gap)..<(end + gap + length)))
                    end += gap + length
                }
                layouts[path] = DataLayout(fingerprint: fingerprint, parts: parts)
            }
            return reader.isAtEnd ? layouts : [:]
        }
    }

    /// Writes the layouts; a site folder that cannot take them only means the next build makes
    /// the data files whole.
    static func save(_ layouts: [String: DataLayout], site: URL, output: URL) {
        var writer = CacheWriter()
        writer.raw(header)
        writer.integer(layouts.count)
        for (path, layout) in layouts.sorted(by: { $0.key < $1.key }) {
            writer.string(path)
            writer.fixed(layout.fingerprint)
            writer.integer(layout.parts.count)
            var end = 0
            for part in layout.parts {
                writer.fixed(part.article)
                writer.integer(part.range.lowerBound - end)
                writer.integer(part.range.count)
                end = part.range.upperBound
            }
        }
        let url = file(site: site, output: output)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(writer.bytes).write(to: url, options: .atomic)
    }
}

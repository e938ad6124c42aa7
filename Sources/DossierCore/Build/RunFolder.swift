import Foundation

/// A folder of `.dossier-cache/` that keeps a cache as runs, one file per run named by the
/// run's digest in hex (`<digest>.bin`): the search index's runs of documents (`SearchCache`)
/// and the link results' runs of articles (`LinkCache`). After an edit a save writes the one
/// file of the edited run and removes the one it replaces, instead of rewriting the cache.
///
/// Each file is laid out as `CacheFile` says: `header` and the tool's identity, then one
/// chunk, which starts with the run's digest (a file that is not the run its name says is not
/// read).
struct RunFolder: Sendable {
    let folder: URL
    let header: String

    func file(_ digest: UInt64) -> URL {
        folder.appendingPathComponent(String(digest, radix: 16) + ".bin")
    }

    /// The runs the folder holds, by digest, decoded by `decode` (given the reader after the
    /// digest, and the digest) on all cores; a file this tool did not write, or that `decode`
    /// refuses, is left out.
    func runs<Run: Sendable>(_ decode: @Sendable (inout CacheReader, UInt64) -> Run?) -> [UInt64: Run] {
        let read = Parallel.map(digests()) { digest -> (UInt64, Run)? in
            guard let data = try? Data(contentsOf: file(digest)),
                  let ranges = CacheFile.chunks(of: data, head: { $0.raw(header) && $0.string() == BuildCache.toolIdentity }),
                  ranges.count == 1,
                  let run = CacheFile.decode(ranges, of: data, { reader -> Run? in
                      guard reader.fixed() == digest else { return nil }
                      return decode(&reader, digest)
                  })?.first else { return nil }
            return (digest, run)
        }
        return Dictionary(read.compactMap { $0 }, uniquingKeysWith: { first, _ in first })
    }

    /// Keeps the runs of `digests` for the next build: writes those not among `kept` (the runs
    /// `runs` read; nil: whatever the folder holds), each encoded by `encode` (given its
    /// position in `digests`) as it is written, and removes the files of runs no longer used.
    func save(_ digests: [UInt64], kept: Set<UInt64>?, encode: (Int) -> [UInt8]) {
        var head = CacheWriter()
        head.raw(header)
        head.string(BuildCache.toolIdentity)
        CacheFile.removeLeftovers(in: folder)
        let kept = kept ?? Set(self.digests())
        for (position, digest) in digests.enumerated() where !kept.contains(digest) {
            CacheFile.write(head: head.bytes, chunkCount: 1, to: file(digest)) { _ in
                var writer = CacheWriter()
                writer.fixed(digest)
                return writer.bytes + encode(position)
            }
        }
        let used = Set(digests)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where !name.hasPrefix(".") {
            if let digest = Self.digest(named: name), used.contains(digest) { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The digests of the runs the folder has files for.
    private func digests() -> [UInt64] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).compactMap(Self.digest(named:))
    }

    private static func digest(named name: String) -> UInt64? {
        name.hasSuffix(".bin") && !name.hasPrefix(".") ? UInt64(name.dropLast(".bin".count), radix: 16) : nil
    }

    /// A list cut into runs at points its content decides: after an item whose key hashes to a
    /// multiple of `boundary`, or after `longest` items. An item added or removed then changes
    /// the run it is in, not every run after it, as cuts at fixed counts would.
    static func runs<Keys: Collection<String>>(of keys: Keys, boundary: UInt64, longest: Int) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        for (index, key) in keys.enumerated() {
            if index + 1 - start == longest || StableHash.of(key) % boundary == 0 {
                runs.append(start..<(index + 1))
                start = index + 1
            }
        }
        if start < keys.count { runs.append(start..<keys.count) }
        return runs
    }
}

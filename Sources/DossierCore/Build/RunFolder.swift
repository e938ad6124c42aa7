import Foundation

/// A folder of `.dossier-cache/` that keeps a cache as runs, one file per run named by the
/// run's digest in hex (`<digest>.bin`): the loaded articles (`ArticleCache`) and their link
/// results (`LinkCache`), by runs of articles. After an edit a save writes the one
/// file of the edited run and removes the one it replaces, instead of rewriting the cache.
///
/// A file holds `header`, the tool's identity and the run's digest (a file that is not the run
/// its name says is not read), then the run as its cache encodes it (`CacheWriter`). It is
/// written under a temporary name that then takes its own: a reader never sees half a file,
/// and a build killed while writing leaves only the temporary file, which the next save
/// removes.
struct RunFolder: Sendable {
    let folder: URL
    let header: String

    func file(_ digest: UInt64) -> URL {
        folder.appendingPathComponent(String(digest, radix: 16) + ".bin")
    }

    /// The runs the folder holds, by digest, decoded by `decode` (given the reader after the
    /// digest, and the digest) on all cores; a file this tool did not write, or that `decode`
    /// refuses or does not read to its end, is left out.
    func runs<Run: Sendable>(_ decode: @Sendable (inout CacheReader, UInt64) -> Run?) -> [UInt64: Run] {
        let read = Parallel.map(digests()) { digest -> (UInt64, Run)? in
            // Mapped rather than copied into memory the build then faults in page by page: a
            // file here is only ever replaced whole (renamed over), never changed in place.
            guard let data = try? Data(contentsOf: file(digest), options: .alwaysMapped) else { return nil }
            return data.withUnsafeBytes { bytes -> (UInt64, Run)? in
                var reader = CacheReader(bytes: bytes.bindMemory(to: UInt8.self))
                guard reader.raw(header), reader.string() == BuildCache.toolIdentity, reader.fixed() == digest,
                      let run = decode(&reader, digest), reader.isAtEnd else { return nil }
                return (digest, run)
            }
        }
        return Dictionary(read.compactMap { $0 }, uniquingKeysWith: { first, _ in first })
    }

    /// The runs (as `runs` gives them) read on a thread of their own, so that they are decoded
    /// while the build does other work.
    func startReading<Run: Sendable>(_ decode: @escaping @Sendable (inout CacheReader, UInt64) -> Run?) -> Reading<Run> {
        Reading(runs: Background { runs(decode) })
    }

    /// A folder being read (`startReading`): its runs, by digest.
    struct Reading<Run: Sendable>: Sendable {
        let runs: Background<[UInt64: Run]>

        /// The digests of the runs read, which a save need not write again.
        var digests: Set<UInt64> {
            Set(runs.value.keys)
        }
    }

    /// Keeps the runs of `digests` for the next build: writes those not among `kept` (the runs
    /// `runs` read; nil: whatever the folder holds), each encoded by `encode` (given its
    /// position in `digests`) as it is written, and removes the files of runs no longer used.
    /// A folder that cannot take them only means the next build does the work again.
    func save(_ digests: [UInt64], kept: Set<UInt64>?, encode: (Int, inout CacheWriter) -> Void) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        removeLeftovers()
        let kept = kept ?? Set(self.digests())
        for (position, digest) in digests.enumerated() where !kept.contains(digest) {
            var writer = CacheWriter()
            writer.raw(header)
            writer.string(BuildCache.toolIdentity)
            writer.fixed(digest)
            encode(position, &writer)
            let temporary = folder.appendingPathComponent(".\(String(digest, radix: 16))-\(getpid()).bin")
            do {
                try Data(writer.bytes).write(to: temporary)
                guard rename(temporary.path, file(digest).path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
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

    /// Removes what builds killed while they wrote a run left: `.<digest>-<process>.bin` of
    /// processes that are gone.
    private func removeLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".bin") {
            guard let dash = name.lastIndex(of: "-"), let process = Int32(name[name.index(after: dash)...].dropLast(".bin".count)),
                  !Publisher.isRunning(process) else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Where a list is cut into runs: after an item whose key hashes to a multiple of
    /// `boundary`, or after `longest` items; about 80 runs at 10,000 articles.
    static let boundary: UInt64 = 128
    static let longest = 512

    /// A list cut into runs at points its content decides (`boundary`, `longest`). An item
    /// added or removed then changes the run it is in, not every run after it, as cuts at
    /// fixed counts would.
    static func runs<Keys: Collection<String>>(of keys: Keys) -> [Range<Int>] {
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

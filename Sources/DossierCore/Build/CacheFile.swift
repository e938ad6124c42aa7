import Foundation

/// The layout the large files of `.dossier-cache/` share (`LinkCache`, `SearchCache`): a header
/// the reader checks, then chunks each behind its length, so that they are encoded and read on
/// all cores. A file is written under a temporary name that then takes the cache's: a reader
/// never sees half a file, and a build killed while writing leaves only the temporary file,
/// which the next save removes (`removeLeftovers`).
enum CacheFile {
    /// Writes `head` and the `chunks` to `url`; a site folder that cannot take them only means
    /// the next build does the work again.
    static func write(head: [UInt8], chunks: [[UInt8]], to url: URL) {
        write(head: head, chunkCount: chunks.count, to: url) { chunks[$0] }
    }

    /// Writes `head` and `chunkCount` chunks, each encoded by `chunk` only when it is written,
    /// so that a large cache is never whole in memory.
    static func write(head: [UInt8], chunkCount: Int, to url: URL, chunk: (Int) -> [UInt8]) {
        let folder = url.deletingLastPathComponent()
        let stem = url.deletingPathExtension().lastPathComponent
        let temporary = folder.appendingPathComponent(".\(stem)-\(getpid()).bin")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var start = CacheWriter()
        start.integer(chunkCount)
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(head + start.bytes)),
              let handle = try? FileHandle(forWritingTo: temporary) else { return }
        // Chunk by chunk: they are tens of megabytes in a large archive.
        do {
            try handle.seekToEnd()
            for index in 0..<chunkCount {
                let bytes = chunk(index)
                var length = CacheWriter()
                length.integer(bytes.count)
                try handle.write(contentsOf: length.bytes)
                try handle.write(contentsOf: bytes)
            }
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// The chunks of `data`, as ranges of it, when `head` accepts what follows the header
    /// (reading what `write` was given as its head) and the chunks fill the rest; else nil.
    static func chunks(of data: Data, head: (inout CacheReader) -> Bool) -> [Range<Int>]? {
        data.withUnsafeBytes { bytes -> [Range<Int>]? in
            var reader = CacheReader(bytes: bytes.bindMemory(to: UInt8.self))
            guard head(&reader), let count = reader.count() else { return nil }
            var chunks: [Range<Int>] = []
            for _ in 0..<count {
                guard let length = reader.count(), reader.take(length) != nil else { return nil }
                chunks.append((reader.position - length)..<reader.position)
            }
            return reader.isAtEnd ? chunks : nil
        }
    }

    /// `read` applied to each chunk of `data` on all cores; nil when any read fails.
    static func decode<Result: Sendable>(_ chunks: [Range<Int>], of data: Data,
                                         _ read: @Sendable (inout CacheReader) -> Result?) -> [Result]? {
        let decoded = Parallel.map(chunks) { chunk in
            data.withUnsafeBytes { bytes -> Result? in
                var reader = CacheReader(bytes: UnsafeBufferPointer(rebasing: bytes.bindMemory(to: UInt8.self)[chunk]))
                guard let result = read(&reader), reader.isAtEnd else { return nil }
                return result
            }
        }
        guard decoded.allSatisfy({ $0 != nil }) else { return nil }
        return decoded.map { $0! }
    }

    /// Removes what builds killed while they wrote a cache file left: `.<name>-<process>.bin`
    /// of processes that are gone.
    /// Called once per save, before its files are written.
    static func removeLeftovers(in folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".bin") {
            guard let dash = name.lastIndex(of: "-"), let process = Int32(name[name.index(after: dash)...].dropLast(".bin".count)),
                  !Publisher.isRunning(process) else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}

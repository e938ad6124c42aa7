import Foundation

extension Publisher {
    /// Replaces files of the published site where they stand, each in one step: written beside
    /// the old file, then renamed over it. A preview does this to show a saved article at once,
    /// before the whole site is rebuilt. The old file is never written into: it may be the same
    /// file (a hard link) as one of an earlier site's.
    public func replace(_ files: [OutputFile]) throws {
        for file in files {
            let target = try Self.file(file.path, in: output)
            let temporary = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).preview-\(ProcessInfo.processInfo.processIdentifier)")
            do {
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileCalls.create(temporary.path, holding: file.body)
                guard rename(temporary.path, target.path) == 0 else {
                    throw Failure(description: "cannot replace \(target.path): \(String(cString: strerror(errno)))")
                }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                if let failure = error as? Failure { throw failure }
                throw Failure(description: "cannot write \(target.path): \(error.localizedDescription)")
            }
        }
    }
}

import Foundation

/// The `publish` stage: writes the site to a staging folder beside the output folder and
/// swaps it into place only when everything was written, so a failed or interrupted build
/// leaves the previous site exactly as it was.
public struct Publisher: Sendable {
    public let output: URL

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `files` and copies `assets` (below `assets/`) into a new site, then replaces the
    /// output folder with it. Hidden files at the top of the old output folder (`.gitkeep`,
    /// `.git` of a deployment checkout) belong to whoever put them there and are carried over.
    ///
    /// The files at `unchanged` paths, and every file whose bytes are those of the old one, are
    /// the old output's files, hard-linked: untouched, so tools that sync by date or inode see
    /// only what changed.
    public func publish(files: [OutputFile], assets: [Asset], unchanged: [String] = []) throws {
        let fileManager = FileManager.default
        let parent = output.deletingLastPathComponent()
        let token = UUID().uuidString.prefix(8)
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).staging-\(token)")
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw Failure(description: "cannot create the staging folder \(staging.path): \(error.localizedDescription)")
        }
        do {
            try write(files, in: staging, unchanged: unchanged)
            for asset in assets {
                let target = try destination("assets/" + asset.path, in: staging)
                try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if fileManager.fileExists(atPath: target.path) { try fileManager.removeItem(at: target) }
                try fileManager.copyItem(at: asset.file, to: target)
            }
            try carryOverHiddenFiles(into: staging)
            try swap(staging)
        } catch {
            try? fileManager.removeItem(at: staging)
            if let failure = error as? Failure { throw failure }
            throw Failure(description: "cannot write the site: \(error.localizedDescription)")
        }
    }

    /// Checks every path, makes the folders in order, then writes the files (or links the old
    /// ones) on all cores.
    private func write(_ files: [OutputFile], in root: URL, unchanged: [String]) throws {
        let targets = try files.map { (path: $0.path, url: try destination($0.path, in: root), contents: Optional($0.contents)) }
            + unchanged.map { (path: $0, url: try destination($0, in: root), contents: nil) }
        for folder in Set(targets.map { $0.url.deletingLastPathComponent().path }).sorted() {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let failures = Parallel.map(targets) { target -> String? in
            let old = output.appendingPathComponent(target.path)
            do {
                if let contents = target.contents, !Self.holds(old, contents) {
                    try contents.write(to: target.url)
                } else {
                    try FileManager.default.linkItem(at: old, to: target.url)
                }
                return nil
            } catch {
                return "\(target.url.path): \(error.localizedDescription)"
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw Failure(description: "cannot write \(failure)") }
    }

    /// Whether the file at `url` has exactly these bytes (its size is checked first).
    private static func holds(_ url: URL, _ contents: Data) -> Bool {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
              size.intValue == contents.count else { return false }
        return (try? Data(contentsOf: url)) == contents
    }

    /// The file `path` below `root`; a path that would leave it is refused.
    private func destination(_ path: String, in root: URL) throws -> URL {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw Failure(description: "refused to write '\(path)': it is not a plain path inside the output folder")
        }
        return root.appendingPathComponent(path)
    }

    private func carryOverHiddenFiles(into staging: URL) throws {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: output.path) else { return }
        for name in names.sorted() where name.hasPrefix(".") {
            let target = staging.appendingPathComponent(name)
            if !fileManager.fileExists(atPath: target.path) {
                try fileManager.copyItem(at: output.appendingPathComponent(name), to: target)
            }
        }
    }

    /// Replaces the output folder by `staging` with two renames; the old site is removed last.
    private func swap(_ staging: URL) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: output.path) else {
            try fileManager.moveItem(at: staging, to: output)
            return
        }
        let previous = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).previous-\(UUID().uuidString.prefix(8))")
        try fileManager.moveItem(at: output, to: previous)
        do {
            try fileManager.moveItem(at: staging, to: output)
        } catch {
            try? fileManager.moveItem(at: previous, to: output)
            throw error
        }
        try? fileManager.removeItem(at: previous)
    }
}

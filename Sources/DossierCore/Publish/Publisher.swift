import Foundation
import Synchronization

/// The `publish` stage: writes the site to a staging folder beside the output folder and
/// swaps it into place only when everything was written, so a failed or interrupted build
/// leaves the previous site exactly as it was.
public struct Publisher: Sendable {
    public let output: URL
    /// The site folder the output belongs to: the output may neither be it nor hold it, nor
    /// lie in its `content/` or `templates/`.
    public let site: URL?

    public init(output: URL, site: URL? = nil) {
        self.output = output.standardizedFileURL
        self.site = site?.standardizedFileURL
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `files` and copies `assets` (below `assets/`) into a new site, then replaces the
    /// output folder with it: `begin`, `write`, `finish` in one.
    public func publish(files: [OutputFile], assets: [Asset]) throws {
        let staging = try begin()
        do {
            try write(files, in: staging)
            try finish(staging, assets: assets)
        } catch {
            abandon(staging)
            throw error
        }
    }

    /// Starts a new site in a staging folder beside the output folder, after cleaning up what
    /// builds that were killed left there.
    public func begin() throws -> StagingFolder {
        try refuseOutputAmongTheSitesFiles()
        let fileManager = FileManager.default
        let parent = output.deletingLastPathComponent()
        cleanUpAfterKilledBuilds()
        let staging = parent.appendingPathComponent(leftoverName("staging"))
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw Failure(description: "cannot create the staging folder \(staging.path): \(error.localizedDescription)")
        }
        return StagingFolder(url: staging, output: output)
    }

    /// Starts an update of the published site where it stands (see `OutputUpdate`): for a
    /// build whose cache knows the output folder's files.
    public func beginUpdate() throws -> OutputUpdate {
        try refuseOutputAmongTheSitesFiles()
        cleanUpAfterKilledBuilds()
        let journal = output.deletingLastPathComponent().appendingPathComponent(leftoverName("update"))
        guard mkdir(journal.path, 0o777) == 0 else {
            throw Failure(description: "cannot create the folder \(journal.path): \(String(cString: strerror(errno)))")
        }
        return OutputUpdate(output: output, journal: journal)
    }

    /// Writes the `assets` (below `assets/`) that changed, removes the files at `removed`
    /// (paths the last build published and this one does not) and puts the update's files in
    /// place; on a failure the site is as it was. The identity of every file written.
    func finish(_ update: OutputUpdate, assets: [Asset], removing removed: [String]) throws -> [String: FileIdentity] {
        do {
            for asset in assets {
                // The file itself, not a symbolic link to it: the published site must stand alone.
                let contents = try Data(contentsOf: asset.file.resolvingSymlinksInPath())
                update.write(OutputFile(path: "assets/" + asset.path, contents: contents))
            }
            try update.check()
        } catch {
            update.abandon()
            if let failure = error as? Failure { throw failure }
            throw Failure(description: "cannot write the site: \(error.localizedDescription)")
        }
        // The commit puts the previous files back itself when it fails.
        return try update.commit(removing: removed)
    }

    /// Writes `files`, and hard-links the old output's files at the `unchanged` paths, on all cores.
    public func write(_ files: [OutputFile], unchanged: [String] = [], in staging: StagingFolder) throws {
        _ = Parallel.map(files) { staging.write($0) }
        _ = Parallel.map(unchanged) { staging.link($0) }
        try staging.check()
    }

    /// Copies `assets` (below `assets/`) and the old output's hidden top-level files into the
    /// staging folder, then puts it in the output folder's place. Hidden files at the top of
    /// the old output folder (`.gitkeep`, `.git` of a deployment checkout) belong to whoever
    /// put them there.
    public func finish(_ staging: StagingFolder, assets: [Asset]) throws {
        let fileManager = FileManager.default
        do {
            try staging.check()
            for asset in assets {
                let target = try staging.destination("assets/" + asset.path)
                try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if fileManager.fileExists(atPath: target.path) { try fileManager.removeItem(at: target) }
                // The file itself, not a symbolic link to it: the published site must stand alone.
                try fileManager.copyItem(at: asset.file.resolvingSymlinksInPath(), to: target)
            }
            try carryOverHiddenFiles(into: staging.url)
            try swap(staging.url)
        } catch {
            if let failure = error as? Failure { throw failure }
            throw Failure(description: "cannot write the site: \(error.localizedDescription)")
        }
    }

    /// Removes a staging folder that will not be published.
    public func abandon(_ staging: StagingFolder) {
        try? FileManager.default.removeItem(at: staging.url)
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

    /// Replaces the output folder by `staging` in one step where the file system can exchange
    /// two folders, else with two renames; the old site is removed last.
    private func swap(_ staging: URL) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: output.path) else {
            try fileManager.moveItem(at: staging, to: output)
            return
        }
        if FolderExchange.exchange(staging, output) {
            try? fileManager.removeItem(at: staging)
            return
        }
        let previous = output.deletingLastPathComponent().appendingPathComponent(leftoverName("previous"))
        try fileManager.moveItem(at: output, to: previous)
        do {
            try fileManager.moveItem(at: staging, to: output)
        } catch {
            try? fileManager.moveItem(at: previous, to: output)
            throw error
        }
        try? fileManager.removeItem(at: previous)
    }

    // MARK: - Leftovers of killed builds

    /// The name of a folder beside the output that lives only while this process publishes:
    /// `.public.staging-<process>-<random>`.
    private func leftoverName(_ kind: String) -> String {
        ".\(output.lastPathComponent).\(kind)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    /// Removes the staging folders of builds whose process is gone. A build killed between the
    /// two renames of `swap` left no output folder and the old site in its `previous` folder:
    /// that is put back first. A build killed while it updated the site in place left its
    /// journal: what it changed is put back.
    private func cleanUpAfterKilledBuilds() {
        let fileManager = FileManager.default
        let parent = output.deletingLastPathComponent()
        guard let names = try? fileManager.contentsOfDirectory(atPath: parent.path) else { return }
        let leftovers = names.sorted().filter { name in
            ["staging", "previous", "update"].contains { kind in
                guard name.hasPrefix(".\(output.lastPathComponent).\(kind)-") else { return false }
                let process = name.dropFirst(output.lastPathComponent.count + kind.count + 3).prefix { $0 != "-" }
                return Int32(process).map { !Self.isRunning($0) } ?? true
            }
        }
        for name in leftovers {
            let leftover = parent.appendingPathComponent(name)
            if name.hasPrefix(".\(output.lastPathComponent).update-") {
                OutputUpdate.rollBack(journal: leftover.path, output: output.path)
                continue
            }
            if name.hasPrefix(".\(output.lastPathComponent).previous-"), !fileManager.fileExists(atPath: output.path),
               (try? fileManager.moveItem(at: leftover, to: output)) != nil {
                continue
            }
            try? fileManager.removeItem(at: leftover)
        }
    }

    static func isRunning(_ process: Int32) -> Bool {
        kill(process, 0) == 0 || errno != ESRCH
    }

    /// The file `path` below `folder`; a path that would leave it is refused.
    static func file(_ path: String, in folder: URL) throws -> URL {
        try checkPlain(path)
        return folder.appendingPathComponent(path)
    }

    /// Refuses a path that is absolute or has an empty, `.` or `..` component.
    static func checkPlain(_ path: String) throws {
        let components = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard path.utf8.first != UInt8(ascii: "/"),
              !components.contains(where: { $0.isEmpty || $0.elementsEqual(".".utf8) || $0.elementsEqual("..".utf8) }) else {
            throw Failure(description: "refused to write '\(path)': it is not a plain path inside the output folder")
        }
    }

    // MARK: - Where the output may lie

    /// Refuses an output folder that is the site folder, holds it, or lies in its `content/` or
    /// `templates/`: replacing it would delete what the editors wrote.
    private func refuseOutputAmongTheSitesFiles() throws {
        guard let site = site.map(Self.resolved) else { return }
        let output = Self.resolved(output)
        let sources = ["content", "templates"].map { Self.resolved(site.appendingPathComponent($0)) }
        if Self.isInside(site, output) || sources.contains(where: { Self.isInside(output, $0) }) {
            throw Failure(description: "refused to write the site to \(self.output.path): it would replace the site's own files "
                                       + "(the output folder may not hold the site folder nor lie in content/ or templates/)")
        }
    }

    /// `url` with every symbolic link resolved, also when its last parts do not exist yet.
    private static func resolved(_ url: URL) -> URL {
        let url = url.standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) || url.path == "/" { return url.resolvingSymlinksInPath() }
        return resolved(url.deletingLastPathComponent()).appendingPathComponent(url.lastPathComponent)
    }

    /// Whether `url` is `folder` or lies below it.
    private static func isInside(_ url: URL, _ folder: URL) -> Bool {
        url.path == folder.path || url.path.hasPrefix(folder.path.hasSuffix("/") ? folder.path : folder.path + "/")
    }
}

/// Why writes made from any thread failed, kept for `check` to throw the first: a build writes
/// its files on all cores and reports a failure once they are done.
final class WriteFailures: Sendable {
    private let failures = Mutex<[String]>([])

    /// Keeps why writing `path` (as the message names it) failed.
    func add(_ error: any Error, writing path: String) {
        let message = (error as? Publisher.Failure)?.description ?? "cannot write \(path): \(error.localizedDescription)"
        failures.withLock { $0.append(message) }
    }

    /// Throws the first failure kept.
    func check() throws {
        if let failure = failures.withLock({ $0.first }) { throw Publisher.Failure(description: failure) }
    }
}

/// The folder a new site is written to before it replaces the output folder. Files may be
/// written from any thread; failures are kept and reported by `check`. Files are written and
/// linked with plain system calls: a large site has tens of thousands, and `FileManager`
/// spends several calls (and URL work) on each.
public final class StagingFolder: Sendable {
    public let url: URL
    /// The output folder whose files unchanged ones are linked from.
    let output: URL
    private let folderPath: String
    private let outputPath: String
    /// Whether there was an output folder when the staging began: with none, no file of
    /// the new site has an old one to compare with (and to look for).
    private let hasOldOutput: Bool
    private let failures = WriteFailures()

    init(url: URL, output: URL) {
        self.url = url
        self.output = output
        self.folderPath = url.path
        self.outputPath = output.path
        self.hasOldOutput = FileCalls.exists(output.path)
    }

    /// Writes the file, or links the old output's file when its bytes are the same (so the
    /// old file stays untouched: tools that sync by date or inode see only what changed).
    public func write(_ file: OutputFile) {
        record(file.path) { target, old in
            if hasOldOutput, FileCalls.holds(old, file.body) {
                try FileCalls.hardLink(old, to: target)
            } else {
                try FileCalls.create(target, holding: file.body)
            }
        }
    }

    /// Links the old output's file at `path`: a page the build cache knows is unchanged.
    public func link(_ path: String) {
        record(path) { target, old in try FileCalls.hardLink(old, to: target) }
    }

    /// Throws the first failure of a write or link.
    public func check() throws {
        try failures.check()
    }

    private func record(_ path: String, _ write: (String, String) throws -> Void) {
        do {
            try Publisher.checkPlain(path)
            let target = folderPath + "/" + path
            try FileCalls.makeFolder(containing: target, below: folderPath)
            try write(target, outputPath + "/" + path)
        } catch {
            failures.add(error, writing: folderPath + "/" + path)
        }
    }

    /// The file `path` below the staging folder; a path that would leave it is refused.
    func destination(_ path: String) throws -> URL {
        try Publisher.file(path, in: url)
    }
}

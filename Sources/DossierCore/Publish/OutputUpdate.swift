import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a build writes the files it makes: a new site in a staging folder (`StagingFolder`),
/// or the published site updated in place (`OutputUpdate`). Files may be written from any
/// thread; failures are kept and thrown by `check`.
public protocol OutputWriter: Sendable {
    func write(_ file: OutputFile)
    func check() throws
}

extension StagingFolder: OutputWriter {}

/// Where a build publishes: a new folder swapped in for the output, or the output in place.
enum PublishTarget {
    case staging(StagingFolder)
    case update(OutputUpdate)

    var writer: any OutputWriter {
        switch self {
        case .staging(let staging): staging
        case .update(let update): update
        }
    }
}

extension Publisher {
    /// Finishes publishing to `target` the site of `files` (every path of it: pages, generated
    /// files, assets), of which those at `unchanged` were not written this build: in a new
    /// folder they are linked from the old one, in place they are left as they are. In place,
    /// the files `previous` published that the site no longer has are removed. The identity of
    /// every file of the site as published; on a failure nothing was published.
    func finish(_ target: PublishTarget, files: [String], unchanged: [String], assets: [Asset],
                previous: PreviousBuild?) throws -> [String: FileIdentity] {
        switch target {
        case .staging(let staging):
            do {
                try write([], unchanged: unchanged, in: staging)
                try finish(staging, assets: assets)
            } catch {
                abandon(staging)
                throw error
            }
            return Dictionary(uniqueKeysWithValues: zip(files, FileCalls.identities(of: files, in: output.path)).compactMap { path, identity in
                identity.map { (path, $0) }
            })
        case .update(let update):
            let site = Set(files)
            let removed = previous.map { $0.files.keys.filter { !site.contains($0) } } ?? []
            var identities = try finish(update, assets: assets, removing: removed)
            identities.reserveCapacity(files.count)
            // The files left as they were have the identity the last build recorded.
            for path in unchanged where identities[path] == nil {
                if let identity = previous?.files[path]?.identity { identities[path] = identity }
            }
            return identities
        }
    }
}

/// The published site updated where it stands, when the build cache knows its files: each new
/// or changed file is written into a journal folder beside the output and, once the build has
/// made everything, renamed over the old one, whose previous version goes into the journal
/// first (a second name, so the path is never empty); files the site no longer has are moved
/// into the journal. Every other file is left as it is (same inode, same time). Should a step
/// fail, or the build be killed, the journal puts the previous files back: a failed build
/// leaves the previous site as it was.
///
/// The journal, `.<output>.update-<process>-<random>` beside the output (the same file system,
/// so a rename moves a file in one step):
/// - `new/<path>`: a file to put in place, until it is;
/// - `old/<path>`: the previous version of a replaced or removed file;
/// - `plan`: written before the first file is put in place, the paths to write (`W`) and to
///   remove (`R`), each ended by a NUL.
/// The state of each path follows from these: `new/<path>` there, nothing was done at it;
/// gone, it was put in place, and `old/<path>` is what it replaced (none: it was added).
public final class OutputUpdate: OutputWriter {
    public let output: URL
    let journal: URL
    private let outputPath: String
    private let journalPath: String
    private let state = Mutex(State())
    private let failures = WriteFailures()
    /// For tests: the path at which `commit` fails as a full disk would, and whether the
    /// process then stops as if it were killed (leaving the journal as it is).
    let fault = Mutex<(path: String, killed: Bool)?>(nil)

    private struct State {
        /// Files whose bytes are new, waiting in `new/`.
        var pending: [String] = []
        /// Files written this build whose bytes were those of the published file, with its identity.
        var unchanged: [String: FileIdentity] = [:]
    }

    init(output: URL, journal: URL) {
        self.output = output
        self.journal = journal
        self.outputPath = output.path
        self.journalPath = journal.path
    }

    /// Keeps `file` for the update, unless the published file holds its bytes already.
    public func write(_ file: OutputFile) {
        do {
            try Publisher.checkPlain(file.path)
            if let identity = FileCalls.holding(outputPath + "/" + file.path, file.body) {
                state.withLock { $0.unchanged[file.path] = identity }
                return
            }
            let new = journalPath + "/new/" + file.path
            try FileCalls.makeFolder(containing: new, below: journalPath)
            try FileCalls.create(new, holding: file.body)
            state.withLock { $0.pending.append(file.path) }
        } catch {
            failures.add(error, writing: file.path)
        }
    }

    public func check() throws {
        try failures.check()
    }

    /// The files written this build that are new or changed.
    var changed: [String] { state.withLock { $0.pending } }

    /// Puts the new and changed files in place and removes the published files at `removed`;
    /// on a failure, puts every previous file back and throws. Returns the identity of every
    /// file written this build (changed or not).
    func commit(removing removed: [String]) throws -> [String: FileIdentity] {
        try check()
        let (pending, unchanged) = state.withLock { ($0.pending, $0.unchanged) }
        var plan: [UInt8] = []
        for (kind, paths) in [("W", pending), ("R", removed)] {
            for path in paths {
                plan += kind.utf8
                plan += path.utf8
                plan.append(0)
            }
        }
        do {
            try FileCalls.create(journalPath + "/plan", holding: Data(plan))
        } catch {
            abandon()
            throw error
        }
        var identities = unchanged
        do {
            for path in pending {
                let target = outputPath + "/" + path
                let old = journalPath + "/old/" + path
                if FileCalls.exists(target) {
                    try FileCalls.makeFolder(containing: old, below: journalPath)
                    // A second name for the previous file, so that the path is never empty; a
                    // rename where the file system has no hard links.
                    if link(target, old) != 0 { try FileCalls.move(target, to: old) }
                } else {
                    try FileCalls.makeFolder(containing: target, below: outputPath)
                }
                try faultForTests(at: path)
                try FileCalls.move(journalPath + "/new/" + path, to: target)
                identities[path] = FileCalls.identity(target)
            }
            for path in removed {
                let target = outputPath + "/" + path
                guard FileCalls.exists(target) else { continue }
                let old = journalPath + "/old/" + path
                try FileCalls.makeFolder(containing: old, below: journalPath)
                try faultForTests(at: path)
                try FileCalls.move(target, to: old)
                FileCalls.removeEmptyFolders(containing: target, below: outputPath)
            }
        } catch let killed as Killed {
            throw killed
        } catch {
            Self.rollBack(journal: journalPath, output: outputPath)
            throw error
        }
        FileCalls.removeTree(journalPath)
        return identities.compactMapValues { $0 }
    }

    /// What a test's `fault` throws to stop a commit as a killed process would.
    struct Killed: Error {}

    private func faultForTests(at path: String) throws {
        guard let fault = fault.withLock({ $0 }), fault.path == path else { return }
        if fault.killed { throw Killed() }
        throw Publisher.Failure(description: "cannot write \(outputPath)/\(path): no space left on device")
    }

    /// Removes the journal of an update that will not be committed: the published site was not
    /// touched.
    func abandon() {
        FileCalls.removeTree(journalPath)
    }

    /// Puts back what the update in `journal` changed in `output`, as far as it got, and
    /// removes the journal; one it cannot finish is left for the next build to try again.
    static func rollBack(journal: String, output: String) {
        var complete = true
        if let plan = FileManager.default.contents(atPath: journal + "/plan") {
            for entry in plan.split(separator: 0) where entry.count > 1 {
                let path = String(decoding: entry.dropFirst(), as: UTF8.self)
                guard (try? Publisher.checkPlain(path)) != nil else { continue }
                let target = output + "/" + path
                let old = journal + "/old/" + path
                let kind = entry.first
                if kind == UInt8(ascii: "W") && FileCalls.exists(journal + "/new/" + path) {
                    // Not put in place; a folder made for it goes again.
                    FileCalls.removeEmptyFolders(containing: target, below: output)
                    continue
                }
                if FileCalls.exists(old) {
                    do {
                        try FileCalls.makeFolder(containing: target, below: output)
                        try FileCalls.move(old, to: target)
                    } catch {
                        complete = false
                    }
                } else if kind == UInt8(ascii: "W") {
                    // Added by the update.
                    if unlink(target) != 0 && errno != ENOENT { complete = false }
                    FileCalls.removeEmptyFolders(containing: target, below: output)
                }
            }
        }
        if complete { FileCalls.removeTree(journal) }
    }
}

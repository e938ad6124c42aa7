import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations publishing does per file, as single system calls on paths.
enum FileCalls {
    /// Creates the folder holding `file` and the folders above it up to `root` (which exists).
    /// One `mkdir` when the folder is new or already there.
    static func makeFolder(containing file: String, below root: String) throws {
        guard let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")) else { return }
        let folder = String(file[..<slash])
        guard folder.utf8.count > root.utf8.count else { return }
        if mkdir(folder, 0o777) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw failure("cannot create the folder \(folder)") }
        try makeFolder(containing: folder, below: root)
        if mkdir(folder, 0o777) != 0 && errno != EEXIST { throw failure("cannot create the folder \(folder)") }
    }

    /// Writes `contents` to a new file at `path` (replacing one that is there).
    static func create(_ path: String, holding contents: Data) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure("cannot write \(path)") }
        var written = 0
        let complete = contents.withUnsafeBytes { bytes -> Bool in
            while written < bytes.count {
                let count = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return true
        }
        guard complete else {
            let failure = failure("cannot write \(path)")
            close(descriptor)
            throw failure
        }
        guard close(descriptor) == 0 else { throw failure("cannot write \(path)") }
    }

    /// Makes `path` another name of the file `existing`.
    static func hardLink(_ existing: String, to path: String) throws {
        guard link(existing, path) == 0 else { throw failure("cannot link \(existing) to \(path)") }
    }

    /// Whether the file at `path` holds exactly `contents` (its size is checked first).
    static func holds(_ path: String, _ contents: Data) -> Bool {
        holding(path, contents) != nil
    }

    /// The identity of the file at `path` when it is a regular file (not a symbolic link, which
    /// is never taken for a file of the site) holding exactly `contents`; else nil.
    static func holding(_ path: String, _ contents: Data) -> FileIdentity? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) == contents.count else {
            return nil
        }
        guard !contents.isEmpty else { return FileIdentity(status) }
        guard let buffer = readAll(descriptor, count: contents.count) else { return nil }
        let same = contents.withUnsafeBytes { memcmp($0.baseAddress!, buffer, buffer.count) == 0 }
        return same ? FileIdentity(status) : nil
    }

    /// The bytes of the regular file at `path` (not a symbolic link) when it has `identity`,
    /// as read from the open file: one that changed after the caller looked is not taken.
    static func contents(_ path: String, identity: FileIdentity) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, FileIdentity(status) == identity else { return nil }
        return readAll(descriptor, count: Int(status.st_size))
    }

    /// The next `count` bytes of the open file; nil if it has fewer.
    private static func readAll(_ descriptor: Int32, count: Int) -> [UInt8]? {
        var complete = true
        // Not zeroed first: every byte is read over.
        let buffer = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var filled = 0
            while filled < count {
                let got = read(descriptor, buffer.baseAddress! + filled, count - filled)
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    complete = false
                    break
                }
                filled += got
            }
            initialized = complete ? count : 0
        }
        return complete ? buffer : nil
    }

    /// The identity of the regular file at `path`; nil for anything else (a symbolic link too).
    static func identity(_ path: String) -> FileIdentity? {
        identity(path, from: AT_FDCWD)
    }

    /// The identities of the regular files at `paths` in `folder` (nil for anything else), on
    /// all cores. Each is looked up from the folder, opened once, rather than from the root:
    /// a build checks some ten thousand files, and the walk down to the folder was most of it.
    static func identities(of paths: [String], in folder: String) -> [FileIdentity?] {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return paths.map { _ in nil } }
        defer { close(descriptor) }
        return Parallel.map(paths) { identity($0, from: descriptor) }
    }

    /// The identity of the regular file at `path`, relative to the folder open as `folder`
    /// (`AT_FDCWD`: the working directory); a symbolic link is not followed.
    private static func identity(_ path: String, from folder: Int32) -> FileIdentity? {
        var status = stat()
        guard fstatat(folder, path, &status, AT_SYMLINK_NOFOLLOW) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(status)
    }

    /// Whether anything is at `path` (a broken symbolic link too).
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Renames `from` to `to`, replacing what is there, in one step.
    static func move(_ from: String, to: String) throws {
        guard rename(from, to) == 0 else { throw failure("cannot rename \(from) to \(to)") }
    }

    /// Removes the folders holding `file` that are empty, up to `root` (which stays).
    static func removeEmptyFolders(containing file: String, below root: String) {
        var folder = file
        while let slash = folder.utf8.lastIndex(of: UInt8(ascii: "/")) {
            folder = String(folder[..<slash])
            guard folder.utf8.count > root.utf8.count, rmdir(folder) == 0 else { return }
        }
    }

    /// Removes `path` and, if it is a folder, all it holds, without following symbolic links.
    static func removeTree(_ path: String) {
        if unlink(path) == 0 || errno == ENOENT { return }
        if let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
            for name in names { removeTree(path + "/" + name) }
        }
        rmdir(path)
    }

    private static func failure(_ what: String) -> Publisher.Failure {
        Publisher.Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}

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
        try create(path, holding: .whole(contents))
    }

    /// Writes `body` to a new file at `path` (replacing one that is there).
    static func create(_ path: String, holding body: OutputFile.Body) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure("cannot write \(path)") }
        let complete = switch body {
        case .whole(let data): data.withUnsafeBytes { writeAll($0, to: descriptor) }
        case .spliced(let spliced): spliced.write(to: descriptor)
        }
        guard complete else {
            let failure = failure("cannot write \(path)")
            close(descriptor)
            throw failure
        }
        guard close(descriptor) == 0 else { throw failure("cannot write \(path)") }
    }

    /// Writes `bytes` to the file open as `descriptor`, where it stands; false on a failure.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var written = 0
        while written < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            written += count
        }
        return true
    }

    /// Copies the bytes at `range` of the file open as `source` to the file open as
    /// `destination`, where it stands; false on a failure. The kernel copies them from file
    /// to file where it can (`sendfile`), else they are read and written in blocks.
    static func copy(_ range: Range<Int>, of source: Int32, to destination: Int32) -> Bool {
        var offset = range.lowerBound
        #if os(Linux)
        var position = off_t(offset)
        while offset < range.upperBound {
            let count = sendfile(destination, source, &position, range.upperBound - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            offset += count
        }
        #endif
        while offset < range.upperBound {
            guard let block = read(offset..<min(offset + (1 << 20), range.upperBound), of: source),
                  block.withUnsafeBytes({ writeAll($0, to: destination) }) else { return false }
            offset += block.count
        }
        return true
    }

    /// The bytes at `range` of the file open as `descriptor`; nil if it has fewer.
    static func read(_ range: Range<Int>, of descriptor: Int32) -> [UInt8]? {
        var complete = true
        // Not zeroed first: every byte is read over.
        let bytes = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            var filled = 0
            while filled < range.count {
                let got = pread(descriptor, buffer.baseAddress! + filled, range.count - filled, off_t(range.lowerBound + filled))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    complete = false
                    break
                }
                filled += got
            }
            initialized = complete ? range.count : 0
        }
        return complete ? bytes : nil
    }

    /// Makes `path` another name of the file `existing`.
    static func hardLink(_ existing: String, to path: String) throws {
        guard link(existing, path) == 0 else { throw failure("cannot link \(existing) to \(path)") }
    }

    /// Whether the file at `path` holds exactly `body` (its size is checked first).
    static func holds(_ path: String, _ body: OutputFile.Body) -> Bool {
        holding(path, body) != nil
    }

    /// The identity of the file at `path` when it is a regular file (not a symbolic link, which
    /// is never taken for a file of the site) holding exactly `body`; else nil. A spliced body
    /// is read into memory only when the sizes are equal.
    static func holding(_ path: String, _ body: OutputFile.Body) -> FileIdentity? {
        guard let file = OpenFile(path: path), file.size == body.count else { return nil }
        guard body.count > 0 else { return file.identity }
        guard let contents = body.materialized(), let bytes = read(0..<contents.count, of: file.descriptor) else { return nil }
        let same = contents.withUnsafeBytes { memcmp($0.baseAddress!, bytes, bytes.count) == 0 }
        return same ? file.identity : nil
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

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
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) == contents.count else {
            return false
        }
        guard !contents.isEmpty else { return true }
        var buffer = [UInt8](repeating: 0, count: contents.count)
        var filled = 0
        while filled < buffer.count {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            filled += count
        }
        return contents.withUnsafeBytes { memcmp($0.baseAddress!, buffer, buffer.count) == 0 }
    }

    private static func failure(_ what: String) -> Publisher.Failure {
        Publisher.Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}

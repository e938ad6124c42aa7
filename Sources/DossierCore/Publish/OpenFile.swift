import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file open for reading (never through a symbolic link, which is not taken for a
/// file of the site), closed when the last reference to it goes: what is read or copied from
/// it stays the file that was checked, whatever is renamed or removed meanwhile.
final class OpenFile: Sendable {
    let descriptor: Int32
    /// The identity of the file as it was opened.
    let identity: FileIdentity

    /// The regular file at `path`; nil for anything else.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.identity = FileIdentity(status)
    }

    /// The regular file at `path` when it has `identity`, as the open file tells.
    convenience init?(path: String, identity: FileIdentity) {
        self.init(path: path)
        guard self.identity == identity else { return nil }
    }

    var size: Int { Int(identity.size) }

    deinit {
        close(descriptor)
    }
}

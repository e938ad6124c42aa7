import Foundation

/// What tells one file from another that took its place: device, inode, size and modification
/// time. A file the build published and finds with the same identity is the file it wrote.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var modifiedNanoseconds: Int64

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, modifiedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    init(_ status: stat) {
        let modified = status.modificationTime
        self.init(device: UInt64(status.st_dev), inode: UInt64(status.st_ino), size: Int64(status.st_size),
                  modified: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec))
    }
}

/// Which version of a file the build read, as its status tells without reading it: while a
/// content file still has the same identity and status-change time, a later build may take it
/// as unchanged (`ArticleCache`). An edit changes its modification time; a tool that sets that
/// time back (`cp -p`, `touch -d`) still changes the status-change time, which no one can set.
struct FileVersion: Sendable, Hashable {
    let identity: FileIdentity
    /// Nanoseconds since 1970.
    let statusChanged: Int64

    init(identity: FileIdentity, statusChanged: Int64) {
        self.identity = identity
        self.statusChanged = statusChanged
    }

    init(_ status: stat) {
        self.init(identity: FileIdentity(status), statusChanged: status.statusChangeTime.nanoseconds)
    }

    /// How long before a build a file must have last changed for its version to be kept. A
    /// file system keeps times in ticks (two seconds on the coarsest), so a file changed again
    /// within the tick it was read in could show the same times: one changed this recently is
    /// read again by the next build.
    static let settlingNanoseconds: Int64 = 2_000_000_000

    /// Whether the file had last changed `settlingNanoseconds` before `time` (nanoseconds since 1970).
    func isSettled(before time: Int64) -> Bool {
        let modified = identity.modified * 1_000_000_000 + identity.modifiedNanoseconds
        return max(modified, statusChanged) < time - Self.settlingNanoseconds
    }

    /// Now, in nanoseconds since 1970, on the clock file times are taken from.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return time.nanoseconds
    }

    /// The fields as numbers, in the order `init(fields:)` takes them: what a cache keeps.
    var fields: [UInt64] {
        [identity.device, identity.inode, UInt64(bitPattern: identity.size), UInt64(bitPattern: identity.modified),
         UInt64(bitPattern: identity.modifiedNanoseconds), UInt64(bitPattern: statusChanged)]
    }

    static let fieldCount = 6

    init(fields: [UInt64]) {
        self.init(identity: FileIdentity(device: fields[0], inode: fields[1], size: Int64(bitPattern: fields[2]),
                                         modified: Int64(bitPattern: fields[3]), modifiedNanoseconds: Int64(bitPattern: fields[4])),
                  statusChanged: Int64(bitPattern: fields[5]))
    }
}

extension timespec {
    /// The time in nanoseconds since 1970.
    var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }
}

extension stat {
    /// The times of a status, by the names each platform gives them.
    var modificationTime: timespec {
        #if canImport(Darwin)
        st_mtimespec
        #else
        st_mtim
        #endif
    }

    var statusChangeTime: timespec {
        #if canImport(Darwin)
        st_ctimespec
        #else
        st_ctim
        #endif
    }
}

#if canImport(Glibc)
import Foundation
import Glibc
import Synchronization

/// Watches folders, and every folder later made inside them, with Linux's inotify: a file
/// written, made, deleted or renamed into place (how editors save) calls `onChange` with the
/// path. Runs on a thread of its own until `stop()`.
public final class FileWatcher: Sendable {
    /// Shared with the watching thread, which must not keep the watcher itself alive.
    private final class StopFlag: Sendable {
        let value = Mutex(false)
    }

    private let stopped = StopFlag()

    private static let fileEvents = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM
                                           | IN_MODIFY | IN_DELETE_SELF)

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(folders: [URL], onChange: @escaping @Sendable (String) -> Void) throws {
        let descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else { throw Failure(description: "inotify is not available: \(String(cString: strerror(errno)))") }
        // The folders are watched before the initializer returns, so no change made after it is missed.
        var initial: [Int32: String] = [:]
        for folder in folders.map(\.path) where FileManager.default.fileExists(atPath: folder) {
            Self.watch(folder, descriptor: descriptor, into: &initial)
        }
        let stopped = self.stopped
        let thread = Thread { [initial] in
            var watched = initial
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while !stopped.value.withLock({ $0 }) {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 200) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { continue }
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let (wd, mask, length) = buffer.withUnsafeBytes { bytes in
                        (bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                         bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                         Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                    }
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = buffer[nameStart..<(nameStart + length)].prefix { $0 != 0 }
                    let name = String(decoding: nameBytes, as: UTF8.self)
                    let path = (watched[wd] ?? "") + (name.isEmpty ? "" : "/" + name)
                    if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                        Self.watch(path, descriptor: descriptor, into: &watched)
                    }
                    if mask & UInt32(IN_IGNORED) != 0 { watched[wd] = nil }
                    if mask & Self.fileEvents != 0 { onChange(path) }
                    offset = nameStart + length
                }
            }
            close(descriptor)
        }
        thread.start()
    }

    /// Watches `folder` and every folder below it, recording each watch's folder.
    private static func watch(_ folder: String, descriptor: Int32, into watched: inout [Int32: String]) {
        let wd = inotify_add_watch(descriptor, folder, fileEvents)
        if wd >= 0 { watched[wd] = folder }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !entry.hasPrefix(".") {
            var isFolder: ObjCBool = false
            let path = folder + "/" + entry
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                watch(path, descriptor: descriptor, into: &watched)
            }
        }
    }

    public func stop() {
        stopped.value.withLock { $0 = true }
    }

    deinit {
        stop()
    }
}
#endif

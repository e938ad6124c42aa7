import Foundation

/// The files of a site as the build may read them: only what lies inside the site folder (a
/// symbolic link out of it is an error, however it is reached), no file larger than
/// `maximumFileSize`, text only as UTF-8.
struct SiteFiles: Sendable {
    /// The largest file read as text, unless a test asks for less: many times the longest article, far below what would make
    /// a build run for minutes and take gigabytes (a file has a few bytes of output per byte and
    /// more per mention).
    static let defaultMaximumFileSize = 8 << 20

    /// The folder every file read must lie in, with symbolic links resolved.
    let root: URL
    /// The stage whose diagnostics these are.
    let stage: Stage
    let maximumFileSize: Int
    private let rootPrefix: String

    init(root: URL, stage: Stage, maximumFileSize: Int = defaultMaximumFileSize) {
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
        self.stage = stage
        self.maximumFileSize = maximumFileSize
        self.rootPrefix = self.root.path.hasSuffix("/") ? self.root.path : self.root.path + "/"
    }

    /// Whether `url`, with every symbolic link on its way resolved, lies inside the root.
    func contains(_ url: URL) -> Bool {
        let resolved = Self.resolved(url)
        return resolved == root.path || resolved.hasPrefix(rootPrefix)
    }

    /// The path with every symbolic link resolved: by `realpath(3)`, one call where Foundation
    /// takes several per path component; Foundation's answer for a path that does not exist.
    private static func resolved(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        guard let resolved = realpath(path, nil) else { return url.standardizedFileURL.resolvingSymlinksInPath().path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The regular files below `folder` (named `name` in diagnostics), sorted, as (path, URL),
    /// where the path is `name/` and the file's path below the folder. Hidden files are passed
    /// over; a symbolic link is followed to a file inside the root, a link out of it is an
    /// error, and links to folders are not followed.
    func files(in folder: URL, displayedAs name: String, _ diagnostics: inout [Diagnostic]) -> [(path: String, url: URL)] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        guard contains(folder) else {
            diagnostics.append(.error(stage, at: SourceLocation(path: name), "not read: a symbolic link to a folder outside the site folder"))
            return []
        }
        let base = folder.standardizedFileURL.resolvingSymlinksInPath()
        var found: [(path: String, url: URL)] = []
        for entry in Self.entries(below: base.path) {
            let path = name + "/" + entry.relativePath
            let url = URL(fileURLWithPath: base.path + "/" + entry.relativePath, isDirectory: false)
            guard entry.isSymbolicLink else {
                found.append((path, url))
                continue
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
                diagnostics.append(.warning(stage, at: SourceLocation(path: path), "not read: a symbolic link to nothing"))
                continue
            }
            let kind = isFolder.boolValue ? "folder" : "file"
            if !contains(url) {
                diagnostics.append(.error(stage, at: SourceLocation(path: path), "not read: a symbolic link to a \(kind) outside the site folder"))
            } else if isFolder.boolValue {
                diagnostics.append(.warning(stage, at: SourceLocation(path: path), "not read: symbolic links to folders are not followed"))
            } else {
                found.append((path, url))
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// The regular files and symbolic links below `folder`, in folders below it too (not in
    /// hidden ones, nor through links), as paths relative to it; hidden files passed over.
    /// Read with `readdir(3)`, whose entry types spare a `stat` per file.
    private static func entries(below folder: String) -> [(relativePath: String, isSymbolicLink: Bool)] {
        var entries: [(relativePath: String, isSymbolicLink: Bool)] = []
        func visit(_ relativeFolder: String) {
            let absolute = relativeFolder.isEmpty ? folder : folder + "/" + relativeFolder
            guard let directory = opendir(absolute) else { return }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                    String(cString: bytes.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                guard !name.hasPrefix(".") else { continue }
                let relativePath = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var status = stat()
                    guard lstat(absolute + "/" + name, &status) == 0 else { continue }
                    switch status.st_mode & S_IFMT {
                    case S_IFDIR: type = Int32(DT_DIR)
                    case S_IFREG: type = Int32(DT_REG)
                    case S_IFLNK: type = Int32(DT_LNK)
                    default: continue
                    }
                }
                switch type {
                case Int32(DT_DIR): visit(relativePath)
                case Int32(DT_REG): entries.append((relativePath, false))
                case Int32(DT_LNK): entries.append((relativePath, true))
                default: continue
                }
            }
        }
        visit("")
        return entries
    }

    /// The text of the file at `url` (named `path` in diagnostics), or nil after an error: a
    /// file outside the root, larger than `maximumFileSize`, unreadable or not UTF-8.
    func readText(_ url: URL, path: String, _ diagnostics: inout [Diagnostic]) -> SourceText? {
        guard contains(url) else {
            diagnostics.append(.error(stage, at: SourceLocation(path: path), "not read: a symbolic link to a file outside the site folder"))
            return nil
        }
        let bytes: [UInt8]
        switch Self.contents(of: url.path, maximumSize: maximumFileSize) {
        case .success(let read):
            bytes = read
        case .failure(.tooLarge(let size)):
            diagnostics.append(.error(stage, at: SourceLocation(path: path),
                                      "not read: the file has \(Self.megabytes(size)), more than the \(Self.megabytes(maximumFileSize)) "
                                      + "a file may have; split it"))
            return nil
        case .failure(.unreadable):
            diagnostics.append(.error(stage, at: SourceLocation(path: path), "cannot read the file"))
            return nil
        }
        do {
            return try SourceText(path: path, utf8: bytes)
        } catch {
            diagnostics.append(.error(stage, at: error.location, error.description))
            return nil
        }
    }

    private enum ReadFailure: Error {
        case tooLarge(Int)
        case unreadable
    }

    /// The bytes of a file, opened once: its size is checked on the open file, then read.
    private static func contents(of path: String, maximumSize: Int) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            // Too large is the first thing said of a file, readable or not.
            var status = stat()
            if stat(path, &status) == 0, Int(status.st_size) > maximumSize { return .failure(.tooLarge(Int(status.st_size))) }
            return .failure(.unreadable)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return .failure(.unreadable) }
        let size = Int(status.st_size)
        if size > maximumSize { return .failure(.tooLarge(size)) }
        // A byte more than the size: a file that grew since `fstat` is still read to its end.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable)
            }
            if result == 0 { break }
            count += result
            if count > maximumSize { return .failure(.tooLarge(count)) }
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    private static func megabytes(_ bytes: Int) -> String {
        "\((Double(bytes) / 1_048_576 * 10).rounded() / 10) MB"
    }
}

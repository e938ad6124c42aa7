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

    /// A file found below a folder of the site.
    struct File: Sendable {
        /// As diagnostics name it: the folder's name, then the file's path below the folder.
        let path: String
        /// The file's name: its path's last component.
        let name: String
        /// Where it is: below the folder with the folder's symbolic links resolved.
        let location: String
        /// Whether it was reached through a symbolic link (to a file inside the root).
        let isSymbolicLink: Bool

        var url: URL { URL(fileURLWithPath: location) }
    }

    /// Whether `url`, with every symbolic link on its way resolved, lies inside the root.
    func contains(_ url: URL) -> Bool {
        let resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
        return resolved == root.path || resolved.hasPrefix(rootPrefix)
    }

    /// The regular files below `folder` (named `name` in diagnostics), sorted, as (path, URL),
    /// where the path is `name/` and the file's path below the folder. Hidden files are passed
    /// over; a symbolic link is followed to a file inside the root, a link out of it is an
    /// error, and links to folders are not followed.
    func files(in folder: URL, displayedAs name: String, _ diagnostics: inout [Diagnostic]) -> [(path: String, url: URL)] {
        list(folder, displayedAs: name, &diagnostics).map { ($0.path, $0.url) }
    }

    /// The files below `folder` as `files(in:displayedAs:)` finds them, read from the folders
    /// with `readdir`: Foundation's enumerator makes a URL and reads its resource values per file,
    /// which costs more than reading the file.
    func list(_ folder: URL, displayedAs name: String, _ diagnostics: inout [Diagnostic]) -> [File] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        guard contains(folder) else {
            diagnostics.append(.error(stage, at: SourceLocation(path: name), "not read: a symbolic link to a folder outside the site folder"))
            return []
        }
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        var found: [File] = []
        var folders = [(location: base, path: name)]
        while let (location, path) = folders.popLast() {
            guard let directory = opendir(location) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let entryName = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
                // Hidden files and folders, and `.` and `..`.
                guard !entryName.hasPrefix(".") else { continue }
                let entryLocation = location + "/" + entryName
                let entryPath = path + "/" + entryName
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var info = stat()
                    guard lstat(entryLocation, &info) == 0 else { continue }
                    type = switch info.st_mode & S_IFMT {
                    case S_IFREG: Int32(DT_REG)
                    case S_IFDIR: Int32(DT_DIR)
                    case S_IFLNK: Int32(DT_LNK)
                    default: Int32(DT_UNKNOWN)
                    }
                }
                switch type {
                case Int32(DT_REG):
                    found.append(File(path: entryPath, name: entryName, location: entryLocation, isSymbolicLink: false))
                case Int32(DT_DIR):
                    folders.append((entryLocation, entryPath))
                case Int32(DT_LNK):
                    if let file = linkedFile(at: entryLocation, path: entryPath, name: entryName, &diagnostics) { found.append(file) }
                default:
                    continue
                }
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// The file a symbolic link found in a folder leads to, if it is a file inside the root.
    private func linkedFile(at location: String, path: String, name: String, _ diagnostics: inout [Diagnostic]) -> File? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isFolder) else {
            diagnostics.append(.warning(stage, at: SourceLocation(path: path), "not read: a symbolic link to nothing"))
            return nil
        }
        let kind = isFolder.boolValue ? "folder" : "file"
        if !contains(URL(fileURLWithPath: location)) {
            diagnostics.append(.error(stage, at: SourceLocation(path: path), "not read: a symbolic link to a \(kind) outside the site folder"))
        } else if isFolder.boolValue {
            diagnostics.append(.warning(stage, at: SourceLocation(path: path), "not read: symbolic links to folders are not followed"))
        } else {
            return File(path: path, name: name, location: location, isSymbolicLink: true)
        }
        return nil
    }

    /// The text of a file `list` found. A regular file was reached from the resolved folder
    /// through folders alone (`readdir` does not follow links), so it lies inside the root; it is
    /// opened without following a link, in case one took its place since. Anything else goes
    /// the way of `readText(_:path:)`, with its checks and messages.
    func readText(_ file: File, _ diagnostics: inout [Diagnostic]) -> SourceText? {
        read(file, &diagnostics)?.text
    }

    /// The text of a file `list` found, as `readText` reads it, and which version of the file
    /// was read (nil when it was reached through a link).
    func read(_ file: File, _ diagnostics: inout [Diagnostic]) -> (text: SourceText, version: FileVersion?)? {
        func readLinked() -> (text: SourceText, version: FileVersion?)? {
            readText(file.url, path: file.path, &diagnostics).map { ($0, nil) }
        }
        guard !file.isSymbolicLink else { return readLinked() }
        let descriptor = open(file.location, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return readLinked() }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return readLinked() }
        let size = Int(info.st_size)
        if size > maximumFileSize {
            diagnostics.append(tooLarge(size, path: file.path))
            return nil
        }
        guard let bytes = Self.readAll(descriptor, expecting: size) else {
            diagnostics.append(.error(stage, at: SourceLocation(path: file.path), "cannot read the file"))
            return nil
        }
        switch bytes.withUnsafeBytes({ SourceText.decoding(path: file.path, utf8: $0) }) {
        case .success(let text):
            return (text, FileVersion(info))
        case .failure(let error):
            diagnostics.append(.error(stage, at: error.location, error.description))
            return nil
        }
    }

    /// What a file `list` found is now, as `lstat` tells without opening it; nil for a file
    /// reached through a link, or gone.
    func version(of file: File) -> FileVersion? {
        guard !file.isSymbolicLink else { return nil }
        var info = stat()
        guard lstat(file.location, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileVersion(info)
    }

    /// Everything left to read from `descriptor`, `size` bytes as it was last seen; nil after an error.
    private static func readAll(_ descriptor: Int32, expecting size: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: max(bytes.count, 4096)) }
            let read = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if read < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if read == 0 { break }
            count += read
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// The text of the file at `url` (named `path` in diagnostics), or nil after an error: a
    /// file outside the root, larger than `maximumFileSize`, unreadable or not UTF-8.
    func readText(_ url: URL, path: String, _ diagnostics: inout [Diagnostic]) -> SourceText? {
        guard contains(url) else {
            diagnostics.append(.error(stage, at: SourceLocation(path: path), "not read: a symbolic link to a file outside the site folder"))
            return nil
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        if let size, size > maximumFileSize {
            diagnostics.append(tooLarge(size, path: path))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.append(.error(stage, at: SourceLocation(path: path), "cannot read the file"))
            return nil
        }
        do {
            return try SourceText(path: path, utf8: data)
        } catch {
            diagnostics.append(.error(stage, at: error.location, error.description))
            return nil
        }
    }

    private func tooLarge(_ size: Int, path: String) -> Diagnostic {
        .error(stage, at: SourceLocation(path: path),
               "not read: the file has \(Self.megabytes(size)), more than the \(Self.megabytes(maximumFileSize)) a file may have; split it")
    }

    private static func megabytes(_ bytes: Int) -> String {
        "\((Double(bytes) / 1_048_576 * 10).rounded() / 10) MB"
    }
}

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
        let resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
        return resolved == root.path || resolved.hasPrefix(rootPrefix)
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
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: keys,
                                                              options: [.skipsHiddenFiles]) else { return [] }
        var found: [(path: String, url: URL)] = []
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: Set(keys))
            let path = name + url.standardizedFileURL.path.dropFirst(base.path.count)
            guard values?.isSymbolicLink == true else {
                if values?.isRegularFile == true { found.append((path, url)) }
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

    /// The text of the file at `url` (named `path` in diagnostics), or nil after an error: a
    /// file outside the root, larger than `maximumFileSize`, unreadable or not UTF-8.
    func readText(_ url: URL, path: String, _ diagnostics: inout [Diagnostic]) -> SourceText? {
        guard contains(url) else {
            diagnostics.append(.error(stage, at: SourceLocation(path: path), "not read: a symbolic link to a file outside the site folder"))
            return nil
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        if let size, size > maximumFileSize {
            diagnostics.append(.error(stage, at: SourceLocation(path: path),
                                      "not read: the file has \(Self.megabytes(size)), more than the \(Self.megabytes(maximumFileSize)) "
                                      + "a file may have; split it"))
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

    private static func megabytes(_ bytes: Int) -> String {
        "\((Double(bytes) / 1_048_576 * 10).rounded() / 10) MB"
    }
}

import Foundation

/// Output paths every host can hold: the site is published to Windows and macOS machines and
/// to hosts on their file systems, which take names that differ only by case or by Unicode
/// normalization (`Ärger` composed or decomposed) for one file, and which reserve device names.
enum PortablePaths {
    /// The form two paths share when such a file system takes them for one file.
    static func key(of path: String) -> String {
        path.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// Whether Windows reserves a file or folder name for a device (`con`, `nul`, `com1`, ...),
    /// with any extension.
    static func isReservedOnWindows(_ name: String) -> Bool {
        let stem = name.prefix { $0 != "." }.lowercased()
        return ["con", "prn", "aux", "nul"].contains(stem)
            || (stem.count == 4 && ["com", "lpt"].contains(String(stem.prefix(3))) && ("1"..."9").contains(String(stem.suffix(1))))
    }

    /// Assets whose paths below `assets/` are one on such a file system though they differ, or
    /// that Windows cannot hold: an error naming the files. An asset of the site with the very
    /// path of one of the theme's replaces it, which is no problem.
    static func problems(in assets: [Asset]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var byKey: [String: Asset] = [:]
        for asset in assets {
            if let name = asset.path.split(separator: "/").first(where: { isReservedOnWindows(String($0)) }) {
                diagnostics.append(.error(.publish, at: SourceLocation(path: asset.source),
                                          "'\(name)' is a name Windows reserves for a device: the site could not be copied there; rename it"))
            }
            let key = key(of: asset.path)
            // Compared by scalars: Swift's `==` takes composed and decomposed text for equal.
            if let other = byKey[key], !other.path.unicodeScalars.elementsEqual(asset.path.unicodeScalars) {
                diagnostics.append(.error(.publish, at: SourceLocation(path: asset.source),
                                          "\(other.source) and \(asset.source) differ only by case or Unicode normalization: "
                                          + "hosts on macOS and Windows take them for one file; rename one"))
            }
            byKey[key] = asset
        }
        return diagnostics
    }
}

import Foundation

/// The package's resource folders (`Theme`, `Basemap`), which SwiftPM copies into a bundle
/// folder beside the executable. Looked up by hand because `Bundle.module` traps when the
/// bundle is missing, and a missing resource must be an error message, not a crash.
enum PackageResources {
    /// The running executable, symbolic links resolved.
    static var executable: URL {
        Bundle.main.executableURL?.resolvingSymlinksInPath() ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// The resource folder `name`, if it is installed and holds `file`.
    static func folder(_ name: String, holding file: String) -> URL? {
        let candidates = [executable.deletingLastPathComponent(), Bundle.main.bundleURL]
            .map { $0.appendingPathComponent("Dossier_DossierCore.resources/\(name)") }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(file).path) }
    }
}

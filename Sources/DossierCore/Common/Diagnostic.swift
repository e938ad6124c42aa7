/// The stage of the build pipeline a diagnostic comes from.
public enum Stage: String, Sendable, Hashable {
    case load, resolve, link, index, render, publish
}

/// A place in a file of the site: `path` is relative to the site folder, `line` and `column`
/// are 1-based (the column counts Unicode scalars); 0 means "the whole file".
public struct SourceLocation: Sendable, Hashable, Comparable {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 0, column: Int = 0) {
        self.path = path
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}

/// One problem found in the site's files, as the command line prints it:
/// `path:line:column: error: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// Worth an editor's look, never wrong (an entity no article mentions): `check` shows them.
        case note
        case warning, error
    }

    public var severity: Severity
    public var stage: Stage
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ stage: Stage, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.stage = stage
        self.location = location
        self.message = message
    }

    public static func error(_ stage: Stage, at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, stage, at: location, message)
    }

    public static func warning(_ stage: Stage, at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, stage, at: location, message)
    }

    public static func note(_ stage: Stage, at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.note, stage, at: location, message)
    }

    public var isError: Bool { severity == .error }

    /// The file's path below `prefix` (the site folder as the user named it); an absolute
    /// path (the output folder) as it is.
    public func path(sitePrefix prefix: String) -> String {
        guard !prefix.isEmpty, prefix != ".", !location.path.hasPrefix("/") else { return location.path }
        return prefix.hasSuffix("/") ? prefix + location.path : prefix + "/" + location.path
    }

    /// The diagnostic with its path shown below `prefix` (the site folder as the user named it).
    public func formatted(sitePrefix prefix: String = "") -> String {
        var position = path(sitePrefix: prefix)
        if location.line > 0 {
            position += ":\(location.line)"
            if location.column > 0 { position += ":\(location.column)" }
        }
        return "\(position): \(severity.rawValue): \(message)"
    }

    public var description: String { formatted() }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains(where: \.isError) }

    /// The diagnostics in a stable order: by file, position, then message.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }
}

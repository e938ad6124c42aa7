import DossierCore
import Foundation

/// A build's progress on one line of a terminal (stage and count), rewritten in place and
/// cleared at the end. Nothing is shown when stderr is not a terminal.
final class TerminalProgress: Sendable {
    static func onStandardError() -> TerminalProgress? {
        isatty(STDERR_FILENO) == 1 ? TerminalProgress() : nil
    }

    /// Shows one progress report (called by the build on its own thread).
    @Sendable func show(_ progress: BuildProgress) {
        let count = progress.total > 0 ? " \(progress.done)/\(progress.total)" : ""
        FileHandle.standardError.write(Data("\r\u{1B}[K\(progress.stage.rawValue)\(count)…".utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

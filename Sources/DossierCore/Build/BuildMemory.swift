import Synchronization

/// What a long-running process (`dossier serve`) keeps between the builds of one site, so a
/// save costs what it changes:
/// - each article's link result, reused while the article's file and everything the linker
///   is made from (actors and places, languages, the ids of articles and notes) are the same;
/// - the last good build's archive, theme and linker, from which a saved article's page is
///   rendered at once (`SiteBuilder.previewArticles`), before the whole site is rebuilt.
///
/// Builds of one site run one after another; the lock only guards the hand-over between them.
public final class BuildMemory: Sendable {
    /// The last build that published, as far as rendering one article's page needs it.
    struct LastBuild: Sendable {
        let archive: Archive
        let theme: Theme
        let basemap: Basemap?
        let linker: Linker
    }

    /// An article's link result, and the digest of the file it was made from.
    struct LinkedFile: Sendable {
        let digest: UInt64
        let article: LinkedArticle
        let diagnostics: [Diagnostic]
    }

    private struct State: Sendable {
        var linkerDigest: UInt64?
        var linked: [String: LinkedFile] = [:]
        var lastBuild: LastBuild?
    }

    private let state = Mutex(State())

    public init() {}

    /// The link results of the last build, by article file path, if its linker was made from
    /// the same inputs (`linkerDigest`); otherwise none, and they are forgotten.
    func linkedArticles(linkerDigest: UInt64) -> [String: LinkedFile] {
        state.withLock { state in
            if state.linkerDigest != linkerDigest {
                state.linkerDigest = linkerDigest
                state.linked = [:]
            }
            return state.linked
        }
    }

    /// Whether the last build's link results are here (of whatever linker).
    var hasLinkedArticles: Bool {
        state.withLock { !$0.linked.isEmpty }
    }

    /// Keeps this build's link results (of the files that still exist) for the next build.
    func remember(linked: [String: LinkedFile], linkerDigest: UInt64) {
        state.withLock { state in
            state.linkerDigest = linkerDigest
            state.linked = linked
        }
    }

    var lastBuild: LastBuild? {
        get { state.withLock { $0.lastBuild } }
        set { state.withLock { $0.lastBuild = newValue } }
    }
}

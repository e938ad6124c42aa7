import DossierCore
import Foundation

/// `dossier serve`: builds the site, serves its output on 127.0.0.1, watches `content/` and
/// `templates/`, and after a burst of saves has settled shows the change: a saved article's
/// page is rendered and reloaded at once (`SiteBuilder.previewArticles`), then the whole site
/// is rebuilt with what the last build can lend (`BuildMemory`), and the open pages it changed
/// reload; a failed build's problems are shown over the last good page until they are fixed.
public actor PreviewServer {
    public let site: URL
    public let output: URL
    /// How long the files must be quiet after a save before the site is rebuilt: long enough
    /// to take an editor's save (a temporary file, a rename) or a checkout as one change.
    public nonisolated let debounce: Duration
    private let requestedPort: UInt16
    private let hub = ReloadHub()
    private var server: LocalHTTPServer?
    private var watcher: FileWatcher?
    private var pendingRebuild: Task<Void, Never>?
    /// The files changed since the last build began.
    private var changedFiles: Set<String> = []
    /// Whether a build is under way: builds run one at a time, the next after it.
    private var building = false
    private let memory = BuildMemory()
    private var version = 0
    /// Called with each build's report (the command line prints its summary).
    private let onBuild: @Sendable (BuildReport) -> Void
    /// Called with the pages a preview wrote, before the build that follows it.
    private let onPreview: @Sendable ([String]) -> Void

    /// The path pages listen on for reloads and problems.
    static let eventsPath = "/__dossier/events"

    public init(site: URL, port: UInt16 = 8000, debounce: Duration = .milliseconds(40),
                onBuild: @escaping @Sendable (BuildReport) -> Void = { _ in },
                onPreview: @escaping @Sendable ([String]) -> Void = { _ in }) {
        self.site = site.standardizedFileURL
        self.output = self.site.appendingPathComponent("public")
        self.requestedPort = port
        self.debounce = debounce
        self.onPreview = onPreview
        self.onBuild = onBuild
    }

    /// Builds, starts serving and watching; returns the port it listens on (useful with port 0).
    public func start() async throws -> UInt16 {
        building = true
        await build()
        building = false
        let hub = self.hub
        let files = StaticFiles(root: output)
        let server = LocalHTTPServer(port: requestedPort) { path in
            guard path == Self.eventsPath else { return files.response(for: path) }
            return LocalHTTPServer.Response(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")],
                                            body: .stream(await hub.listen()))
        }
        let port = try await server.start()
        self.server = server
        #if canImport(Glibc)
        watcher = try FileWatcher(folders: [site.appendingPathComponent("content"), site.appendingPathComponent("templates")]) { path in
            Task { await self.noteChange(of: path) }
        }
        #endif
        return port
    }

    public func stop() {
        watcher?.stop()
        server?.stop()
    }

    /// Records a changed file and waits for the files to be quiet for `debounce`.
    private func noteChange(of path: String) {
        changedFiles.insert(path)
        pendingRebuild?.cancel()
        pendingRebuild = Task {
            try? await Task.sleep(for: debounce)
            guard !Task.isCancelled else { return }
            await rebuildWhileChanged()
        }
    }

    /// Shows the changes and rebuilds until no file changed since the last build began.
    private func rebuildWhileChanged() async {
        guard !building else { return }
        building = true
        while !changedFiles.isEmpty {
            let files = changedFiles
            changedFiles = []
            let previewed = await preview(files)
            await build(previewed: previewed)
        }
        building = false
    }

    /// Renders the saved articles' pages at once, if the change allows it, and reloads them.
    private func preview(_ files: Set<String>) async -> [OutputFile] {
        let builder = SiteBuilder(site: site)
        let memory = self.memory
        let pages = await offActor { builder.previewArticles(Array(files), memory: memory) } ?? []
        guard !pages.isEmpty else { return [] }
        onPreview(pages.map(\.path))
        version += 1
        await hub.send(.reload(version: version, scope: .only(pages.map(\.path))))
        return pages
    }

    /// Builds the site and tells the pages what came of it: the pages a preview has just shown
    /// reload only if the build changed them again.
    private func build(previewed: [OutputFile] = []) async {
        let builder = SiteBuilder(site: site)
        let memory = self.memory
        let report = await offActor { builder.build(memory: memory) }
        onBuild(report)
        if report.published {
            let output = self.output
            let shown = previewed.filter { $0.isHeld(in: output) }
            version += 1
            await hub.send(.reload(version: version, scope: .allBut(shown.map(\.path))))
        } else {
            await hub.send(.problems(report.diagnostics.filter(\.isError).map { $0.formatted() }))
        }
    }

    /// Runs `work` on a thread of its own, so the actor keeps noting changes meanwhile.
    private func offActor<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            // Not Dispatch's pool, which starts a worker only some time after its workers are
            // all busy (as a build's keep them).
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}

/// The built site's files, each request confined to the output folder; HTML pages get the
/// script that listens for reloads.
struct StaticFiles: Sendable {
    let root: URL
    /// The root with symbolic links resolved, and a `/`: every file served lies below it.
    private let resolvedRoot: String

    init(root: URL) {
        self.root = root
        self.resolvedRoot = root.resolvingSymlinksInPath().path + "/"
    }

    func response(for requestPath: String) -> LocalHTTPServer.Response {
        guard let file = resolve(requestPath) else { return notFound() }
        guard let data = FileManager.default.contents(atPath: file.path) else { return notFound() }
        let type = Self.contentType(of: file.pathExtension)
        let body = type.hasPrefix("text/html") ? Self.injectingReloadScript(into: data) : data
        return LocalHTTPServer.Response(status: 200, headers: [("Content-Type", type), ("Cache-Control", "no-store")], body: .bytes(body))
    }

    /// The file a request path names below `root`, or nil: `..`, encoded or not, is refused.
    func resolve(_ requestPath: String) -> URL? {
        let decoded = requestPath.removingPercentEncoding ?? requestPath
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains(where: { $0 == ".." || $0 == "." || $0.contains("\0") || $0.contains("\\") }) else { return nil }
        var url = root
        for part in parts { url.appendPathComponent(String(part)) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return nil }
        if isFolder.boolValue { url.appendPathComponent("index.html") }
        let resolved = url.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(resolvedRoot) else { return nil }
        return FileManager.default.fileExists(atPath: resolved) ? url : nil
    }

    private func notFound() -> LocalHTTPServer.Response {
        let page = root.appendingPathComponent("404.html")
        let body = FileManager.default.contents(atPath: page.path).map(Self.injectingReloadScript) ?? Data("Not found\n".utf8)
        return LocalHTTPServer.Response(status: 404, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
                                        body: .bytes(body))
    }

    static func contentType(of fileExtension: String) -> String {
        switch fileExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json", "jsonld": "application/json; charset=utf-8"
        case "xml": "application/xml; charset=utf-8"
        case "csv": "text/csv; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// Listens for reloads; shows a failed build's problems over the page until the next good build.
    static let reloadScript = """
        <script>(function () {
          var events = new EventSource("\(PreviewServer.eventsPath)");
          events.addEventListener("reload", function (event) {
            var scope = JSON.parse(event.data);
            var path = decodeURIComponent(location.pathname).replace(/^\\//, "");
            var here = /(^|\\/)$/.test(path) ? [path + "index.html"] : [path, path + "/index.html"];
            var listed = function (pages) { return here.some(function (page) { return pages.indexOf(page) >= 0; }); };
            if (scope.only ? listed(scope.only) : !listed(scope.except)) location.reload();
          });
          events.addEventListener("problems", function (event) {
            var panel = document.getElementById("dossier-problems");
            if (!panel) {
              panel = document.createElement("div");
              panel.id = "dossier-problems";
              panel.setAttribute("role", "alert");
              panel.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;"
                + "background:rgba(24,24,24,.94);color:#fff;font:14px/1.5 monospace;white-space:pre-wrap";
              document.body.appendChild(panel);
            }
            panel.textContent = "Der Build ist fehlgeschlagen; die Seite zeigt den letzten guten Stand.\\n\\n" + event.data;
          });
        })();</script>
        """

    /// The page with the reload script before its last `</body>` (else at its end), spliced in
    /// as bytes: under load, decoding every page as a string cost a quarter of the server's time.
    static func injectingReloadScript(into data: Data) -> Data {
        var page = data
        if let end = data.range(of: Data("</body>".utf8), options: .backwards) {
            page.replaceSubrange(end, with: Data((reloadScript + "\n</body>").utf8))
        } else {
            page.append(Data(reloadScript.utf8))
        }
        return page
    }
}

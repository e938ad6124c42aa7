import DossierCore
import Foundation

/// `dossier serve`: builds the site, serves its output on 127.0.0.1, watches `content/` and
/// `templates/`, rebuilds after a burst of saves has settled, and tells the open pages to
/// reload, or shows them the build's problems over the last good page until they are fixed.
public actor PreviewServer {
    public let site: URL
    public let output: URL
    /// How long the files must be quiet after a save before the site is rebuilt.
    public let debounce: Duration
    private let requestedPort: UInt16
    private let hub = ReloadHub()
    private var server: LocalHTTPServer?
    private var watcher: FileWatcher?
    private var pendingRebuild: Task<Void, Never>?
    private var version = 0
    /// Called with each build's report (the command line prints its summary).
    private let onBuild: @Sendable (BuildReport) -> Void

    /// The path pages listen on for reloads and problems.
    static let eventsPath = "/__dossier/events"

    public init(site: URL, port: UInt16 = 8000, debounce: Duration = .milliseconds(120),
                onBuild: @escaping @Sendable (BuildReport) -> Void = { _ in }) {
        self.site = site.standardizedFileURL
        self.output = self.site.appendingPathComponent("public")
        self.requestedPort = port
        self.debounce = debounce
        self.onBuild = onBuild
    }

    /// Builds, starts serving and watching; returns the port it listens on (useful with port 0).
    public func start() async throws -> UInt16 {
        await rebuild()
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
        watcher = try FileWatcher(folders: [site.appendingPathComponent("content"), site.appendingPathComponent("templates")]) { _ in
            Task { await self.scheduleRebuild() }
        }
        #endif
        return port
    }

    public func stop() {
        watcher?.stop()
        server?.stop()
    }

    /// Waits for the files to be quiet for `debounce`, then rebuilds once.
    private func scheduleRebuild() {
        pendingRebuild?.cancel()
        pendingRebuild = Task {
            try? await Task.sleep(for: debounce)
            guard !Task.isCancelled else { return }
            await rebuild()
        }
    }

    /// Builds the site off the actor's thread and tells the pages what came of it.
    private func rebuild() async {
        let builder = SiteBuilder(site: site)
        let report = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: builder.build()) }
        }
        onBuild(report)
        if report.published {
            version += 1
            await hub.send(.reload(version: version))
        } else {
            await hub.send(.problems(report.diagnostics.filter(\.isError).map { $0.formatted() }))
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
          events.addEventListener("reload", function () { location.reload(); });
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

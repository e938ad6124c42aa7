import DossierCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import DossierServe

@Suite(.serialized) struct PreviewServerTests {
    private func makeSite() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-serve-\(UUID().uuidString)")
        try SiteScaffold.create(at: root)
        return root
    }

    private func edit(_ site: URL, _ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: site.appendingPathComponent(path))
    }

    /// `RawHTTP.get` and `exchange`, waiting on a thread of their own, outside Swift's cooperative
    /// pool and Dispatch's (which starts a worker only some time after its workers are busy). The
    /// cooperative pool has a thread per core (two here): a test that blocked one while it waited for an
    /// answer, with another suite's test on the other, left the server's tasks no thread to
    /// answer on, and the request went unanswered under a full test run.
    private func get(_ path: String, port: UInt16) async throws -> String {
        try await outsideThePool { try RawHTTP.get(path, port: port) }
    }

    private func exchange(_ request: String, port: UInt16) async throws -> String {
        try await outsideThePool { try RawHTTP.exchange(request, port: port) }
    }

    private func outsideThePool(_ work: @escaping @Sendable () throws -> String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    @Test func servesReloadsOnSaveAndShowsProblemsUntilFixed() async throws {
        let site = try makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = PreviewServer(site: site, port: 0)
        let port = try await server.start()

        let page = try await get("/articles/beispiel/index.html", port: port)
        #expect(page.hasPrefix("HTTP/1.1 200"))
        #expect(page.contains("Vereinte Nationen beraten"))
        #expect(page.contains("new EventSource(\"/__dossier/events\")"))

        let events = try RawHTTP(port: port)
        events.send(get: "/__dossier/events")
        #expect(events.read(until: ": connected") != nil)

        // A save, as an editor's save is: write to a temporary file and rename it into place.
        let article = "content/articles/beispiel.md"
        let original = try String(contentsOf: site.appendingPathComponent(article), encoding: .utf8)
        try edit(site, "content/articles/.beispiel.md.tmp", original.replacingOccurrences(of: "Frühjahr", with: "Sommer"))
        #expect(rename(site.appendingPathComponent("content/articles/.beispiel.md.tmp").path,
                       site.appendingPathComponent(article).path) == 0)
        #expect(events.read(until: "event: reload") != nil)
        #expect(try await get("/articles/beispiel/index.html", port: port).contains("im Sommer ausweiten"))

        // A broken front matter: the problem with file and line, and the last good page still served.
        events.reset()
        try edit(site, article, "---\ntitle: [kaputt\n---\nText.\n")
        // (`edit` writes the file in place: a build that starts before the write is done reports
        // the half-written file first, then the next build reports the whole one.)
        let problems = try #require(events.read(until: "content/articles/beispiel.md:3:"))
        #expect(problems.contains("event: problems"))
        #expect(try await get("/articles/beispiel/index.html", port: port).contains("im Sommer ausweiten"))

        // Fixed: the pages reload.
        events.reset()
        try edit(site, article, original)
        #expect(events.read(until: "event: reload") != nil)
        #expect(try await get("/articles/beispiel/index.html", port: port).contains("im Frühjahr ausweiten"))
        await server.stop()
    }

    @Test func aSavedArticlesPageReloadsFirstThenThePagesTheBuildChanged() async throws {
        let site = try makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let previews = BuildCounter()
        let server = PreviewServer(site: site, port: 0, onPreview: { _ in previews.increment() })
        let port = try await server.start()
        let events = try RawHTTP(port: port)
        events.send(get: "/__dossier/events")
        #expect(events.read(until: ": connected") != nil)

        let article = "content/articles/beispiel.md"
        let original = try String(contentsOf: site.appendingPathComponent(article), encoding: .utf8)
        try edit(site, article, original.replacingOccurrences(of: "Frühjahr", with: "Herbst"))
        let first = try #require(events.read(until: #""only":"#))
        #expect(first.contains("event: reload") && first.contains(#""only":["articles/beispiel/index.html"]"#), "\(first)")
        #expect(try await get("/articles/beispiel/index.html", port: port).contains("im Herbst ausweiten"))
        // The build (its event may already have come with the first): every page but the one
        // just shown, which it rendered as the preview had.
        let both = try #require(events.read(until: #""except":"#))
        #expect(both.contains(#""except":["articles/beispiel/index.html"]"#), "\(both)")
        #expect(previews.count == 1)

        // A new article is no preview's: the build alone reloads every page.
        events.reset()
        try edit(site, "content/articles/zweites.md", "---\ntitle: Zweites\n---\nText.\n")
        let build = try #require(events.read(until: #""except":"#))
        #expect(build.contains(#""except":[]"#), "\(build)")
        #expect(previews.count == 1)
        await server.stop()
    }

    @Test func aNewFolderIsWatchedToo() async throws {
        let site = try makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = PreviewServer(site: site, port: 0)
        let port = try await server.start()
        let events = try RawHTTP(port: port)
        events.send(get: "/__dossier/events")
        #expect(events.read(until: ": connected") != nil)
        try FileManager.default.createDirectory(at: site.appendingPathComponent("content/articles/2024"), withIntermediateDirectories: true)
        #expect(events.read(until: "event: reload") != nil)
        events.reset()
        try edit(site, "content/articles/2024/neu.md", "---\ntitle: Ganz neu in Damaskus\n---\nText.\n")
        #expect(events.read(until: "event: reload") != nil)
        #expect(try await get("/articles/neu/index.html", port: port).contains("Ganz neu in"))
        await server.stop()
    }

    @Test func aBurstOfSavesIsOneRebuild() async throws {
        let site = try makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let builds = BuildCounter()
        let server = PreviewServer(site: site, port: 0, debounce: .milliseconds(300)) { _ in builds.increment() }
        let port = try await server.start()
        let events = try RawHTTP(port: port)
        events.send(get: "/__dossier/events")
        #expect(events.read(until: ": connected") != nil)
        for index in 1...10 {
            try edit(site, "content/articles/beispiel.md", "---\ntitle: Fassung \(index)\n---\nText \(index).\n")
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(events.read(until: "event: reload") != nil)
        // The first reload may be the saved page's preview: the rebuild is waited for (on a
        // loaded machine it takes seconds), then the count is taken well after the debounce.
        let deadline = ContinuousClock.now + .seconds(30)
        while builds.count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        _ = events.read(until: "never", seconds: 1)
        #expect(builds.count == 2, "the first build, then one for the burst")
        #expect(try await get("/articles/beispiel/index.html", port: port).contains("Fassung 10"))
        await server.stop()
    }

    @Test func refusesPathsOutOfTheSite() async throws {
        let site = try makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = PreviewServer(site: site, port: 0)
        let port = try await server.start()
        let outside = site.appendingPathComponent("public/fremd")
        try FileManager.default.createSymbolicLink(at: outside, withDestinationURL: site.appendingPathComponent("content"))
        for path in ["/../content/site.yml", "/%2e%2e/content/site.yml", "/articles/%2E%2E/%2E%2E/content/site.yml",
                     "/..%2f..%2fcontent/site.yml", "/%252e%252e/content/site.yml", "/..%252f..%252fcontent/site.yml",
                     "/..\\content\\site.yml", "/%5c..%5ccontent%5csite.yml", "/./../content/site.yml", "//../content/site.yml",
                     "/articles/../../content/site.yml", "/fremd/site.yml", "/%2e%2e%2f%2e%2e%2fcontent/site.yml", "/..%00/content/site.yml"] {
            let response = try await get(path, port: port)
            #expect(response.hasPrefix("HTTP/1.1 404"), "\(path)")
            #expect(!response.contains("title: Mein Archiv"), "\(path)")
        }
        #expect(try await get("/", port: port).hasPrefix("HTTP/1.1 200"))
        let missing = try await get("/gibt/es/nicht.html", port: port)
        #expect(missing.hasPrefix("HTTP/1.1 404"))
        #expect(missing.contains("Seite nicht gefunden"), "the site's own 404 page")
        await server.stop()
    }

    @Test func resolvesOnlyInsideTheOutputFolder() throws {
        let files = StaticFiles(root: URL(fileURLWithPath: "/tmp"))
        for path in ["/../etc/passwd", "/%2e%2e/etc/passwd", "/..%2fetc/passwd", "/..\\etc\\passwd", "/%5c..%5cetc", "/a/../../etc/passwd"] {
            #expect(files.resolve(path) == nil, "\(path)")
        }
    }

    @Test func listensOn127001Only() async throws {
        let site = try makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = PreviewServer(site: site, port: 0)
        let port = try await server.start()
        #expect(try await get("/", port: port).hasPrefix("HTTP/1.1 200"))
        // All of 127.0.0.0/8 is this machine: a server listening on every address would answer here.
        #expect(throws: RawHTTP.Failure.self) { try RawHTTP(port: port, host: "127.0.0.2") }
        await server.stop()
        var refused = false
        for _ in 1...50 where !refused {
            refused = (try? RawHTTP(port: port)) == nil
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(refused, "stop closes the listening socket")
    }

    @Test func aStalledClientDoesNotBlockOthers() async throws {
        let site = try makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = PreviewServer(site: site, port: 0)
        let port = try await server.start()
        let silent = try RawHTTP(port: port)
        let halfway = try RawHTTP(port: port)
        halfway.send(raw: "GET /articles/beispiel/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let listening = try RawHTTP(port: port)
        listening.send(get: "/__dossier/events")
        #expect(listening.read(until: ": connected") != nil)
        let started = Date()
        for _ in 1...20 {
            #expect(try await get("/articles/beispiel/index.html", port: port).hasPrefix("HTTP/1.1 200"))
        }
        #expect(Date().timeIntervalSince(started) < 5)
        // The stalled request is answered once it is complete.
        halfway.send(raw: "Connection: close\r\n\r\n")
        #expect(halfway.read(until: "</html>") != nil)
        withExtendedLifetime(silent) {}
        await server.stop()
    }

    @Test func answersWhatIsNotAPageRequestWithoutStopping() async throws {
        let site = try makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = PreviewServer(site: site, port: 0)
        let port = try await server.start()
        #expect(try await exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", port: port).hasPrefix("HTTP/1.1 405"))
        #expect(try await exchange("Hallo\r\n\r\n", port: port).hasPrefix("HTTP/1.1 400"))
        #expect(try await exchange("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 20_000) + "\r\n\r\n", port: port)
            .hasPrefix("HTTP/1.1 431"))
        let head = try await exchange("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: port)
        #expect(head.hasPrefix("HTTP/1.1 200") && head.hasSuffix("\r\n\r\n"), "a HEAD answer has no body")
        // Two requests on one connection, the second sent before the first is answered.
        let both = try await exchange("GET /404.html HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: port)
        #expect(both.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
        #expect(try await get("/", port: port).hasPrefix("HTTP/1.1 200"))
        await server.stop()
    }
}

/// Counts builds from the server's callback thread.
final class BuildCounter: Sendable {
    private let builds = Mutex(0)
    func increment() { builds.withLock { $0 += 1 } }
    var count: Int { builds.withLock { $0 } }
}

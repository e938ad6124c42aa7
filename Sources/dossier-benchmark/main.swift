// Benchmarks of Dossier's stages. Run with a release build:
//
//     swift run -c release dossier-benchmark linker [CORPUS] [REGISTRY]
//
// `linker`: finds the mentions in every article of CORPUS (default ../shared/corpus) with the
// registry of REGISTRY (default ../shared/eval/linking/registry.json) and with a registry of
// 20,000 generated entities, and prints MB of article text per second for both: finding names
// must cost time in proportion to the text, not to the registry.
//
//     swift run -c release dossier-benchmark reload SITE [SAVES]
//
// `reload`: serves SITE as `dossier serve` does, listens for reload events as an open page
// does, saves one article SAVES times (default 5) and prints the time from each save to the
// reload message of the saved article's page (after which the page shows the new text), and to
// the reload message of the rebuilt site, and their medians.
//
//     swift run -c release dossier-benchmark stages SITE
//
// `stages`: loads, resolves, links and indexes SITE as a build does and prints each stage's
// wall and CPU seconds (CPU of the whole process, so all cores count) and the peak RSS: on a
// machine shared with others, CPU seconds are what compares.
import DossierCore
import DossierServe
import Foundation
import Synchronization

struct RegistryEntry: Decodable {
    let id: String
    let type: String
    let name: String
    let aliases: [String]
}

/// A site folder in a temporary directory holding the corpus and a registry.
func makeSite(articles: [URL], registry: [RegistryEntry]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-benchmark-\(UUID().uuidString)")
    for folder in ["articles", "actors", "places"] {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content/\(folder)"), withIntermediateDirectories: true)
    }
    for article in articles {
        try FileManager.default.copyItem(at: article, to: root.appendingPathComponent("content/articles/\(article.lastPathComponent)"))
    }
    for entry in registry {
        let folder = entry.type == "place" ? "places" : "actors"
        let quoted = { (text: String) in "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        let yaml = "---\nname: \(quoted(entry.name))\naliases: [\(entry.aliases.map(quoted).joined(separator: ", "))]\n---\n"
        try yaml.write(to: root.appendingPathComponent("content/\(folder)/\(entry.id).md"), atomically: false, encoding: .utf8)
    }
    return root
}

/// Names made of syllables, deterministic: none is a word of the corpus by design, so the
/// larger registry adds cost without adding mentions.
func generatedRegistry(count: Int) -> [RegistryEntry] {
    let syllables = ["ka", "ro", "mi", "ven", "tal", "dur", "bex", "qui", "zor", "nal", "fey", "ost", "lam", "pir", "gu", "hesh"]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(state >> 33)
    }
    func word() -> String {
        (0..<(2 + next() % 3)).map { _ in syllables[next() % syllables.count] }.joined().capitalized
    }
    return (0..<count).map { index in
        let name = (0..<(1 + next() % 3)).map { _ in word() }.joined(separator: " ")
        let aliases = (0..<(next() % 3)).map { _ in word() } + (index % 5 == 0 ? ["X\(index)"] : [])
        return RegistryEntry(id: "gen-\(index)", type: index % 3 == 0 ? "place" : "actor", name: name, aliases: aliases)
    }
}

/// Links every article `rounds` times; returns seconds per round, the text's size and the mentions.
func measure(site: URL, rounds: Int) -> (seconds: Double, bytes: Int, mentions: Int) {
    let (content, _) = ContentLoader(site: site).load()
    let registry = Registry(entities: content.entities)
    let linker = Linker(registry: registry, siteLanguage: content.config.language,
                        articleIDs: Set(content.articles.map(\.id)), noteIDs: [])
    let bytes = content.articles.reduce(0) { $0 + $1.file.text.utf8.count }
    var mentions = 0
    var best = Double.infinity
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        mentions = content.articles.reduce(0) { $0 + linker.link($1).0.mentions.count }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (best, bytes, mentions)
}

func benchmarkLinker(corpus: URL, registryFile: URL) throws {
    let articles = try FileManager.default.subpathsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".txt") }.sorted()
        .map { corpus.appendingPathComponent($0) }
    let real = try JSONDecoder().decode([RegistryEntry].self, from: Data(contentsOf: registryFile))
    print("linker benchmark: \(articles.count) articles of \(corpus.path)")
    print("registry                   entities    text MB   mentions   seconds/round   MB/s")
    var rates: [Double] = []
    for (label, registry) in [("evaluation registry", real), ("generated + evaluation", real + generatedRegistry(count: 20_000))] {
        let site = try makeSite(articles: articles, registry: registry)
        defer { try? FileManager.default.removeItem(at: site) }
        let result = measure(site: site, rounds: 20)
        let megabytes = Double(result.bytes) / 1_000_000
        rates.append(megabytes / result.seconds)
        print(label.padding(toLength: 26, withPad: " ", startingAt: 0),
              String(format: "%8d   %8.3f   %8d   %13.4f   %5.2f", registry.count, megabytes, result.mentions, result.seconds, rates.last!))
    }
    print(String(format: "cost of the larger registry: %.2f times the smaller one's (target: at most 1.5)", rates[0] / rates[1]))
}

func benchmarkReload(site: URL, saves: Int) async throws {
    let server = PreviewServer(site: site, port: 0)
    print("reload benchmark: \(site.path)")
    let started = DispatchTime.now().uptimeNanoseconds
    let port = try await server.start()
    print(String(format: "first build: %.2f s", Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
    let articles = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("content/articles").path)
        .filter { $0.hasSuffix(".md") || $0.hasSuffix(".txt") }.sorted()
    guard !articles.isEmpty else {
        print("the site has no articles to save")
        await server.stop()
        return
    }
    let name = articles[articles.count / 2]
    let article = site.appendingPathComponent("content/articles/\(name)")
    let page = "articles/\(Slug.make(from: (name as NSString).deletingPathExtension))/index.html"
    let original = try Data(contentsOf: article)
    defer { try? original.write(to: article) }
    let events = try RawHTTP(port: port)
    events.send(get: "/__dossier/events")
    _ = events.read(until: ": connected")
    /// The data of the next reload event.
    func nextReload() -> String? {
        events.reset()
        guard events.read(until: "event: reload", seconds: 600) != nil, let whole = events.read(until: "}\n\n") else { return nil }
        return whole.components(separatedBy: "data: ").last
    }
    var previews: [Double] = []
    var builds: [Double] = []
    func milliseconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }
    for save in 1...saves {
        try await Task.sleep(for: .milliseconds(300))
        let saved = DispatchTime.now().uptimeNanoseconds
        try (original + Data("\nNachtrag \(save).\n".utf8)).write(to: article)
        guard let preview = nextReload() else { break }
        let previewed = milliseconds(since: saved)
        let shown = try RawHTTP.get("/\(page)", port: port).contains("Nachtrag \(save).")
        guard preview.contains("\"only\""), preview.contains(page), shown else {
            print("save \(save): the first reload was not the saved article's page: \(preview)")
            break
        }
        guard nextReload() != nil else { break }
        previews.append(previewed)
        builds.append(milliseconds(since: saved))
        print(String(format: "save %d: %.0f ms to the page's reload, %.0f ms to the rebuilt site's", save, previews.last!, builds.last!))
    }
    guard !previews.isEmpty else { return }
    print(String(format: "median save-to-reload: %.0f ms for the saved page, %.0f ms for the whole site (both include the %d ms debounce)",
                 previews.sorted()[previews.count / 2], builds.sorted()[builds.count / 2],
                 Int(server.debounce.components.attoseconds / 1_000_000_000_000_000)))
    await server.stop()
}

/// Wall and CPU seconds of the process now.
func clocks() -> (wall: Double, cpu: Double) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return (Double(DispatchTime.now().uptimeNanoseconds) / 1e9, seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

/// Clocks at each stage's start, as the build reports the stages.
final class StageClocks: Sendable {
    private let starts = Mutex<[(stage: Stage, wall: Double, cpu: Double)]>([])

    func enter(_ stage: Stage) {
        let now = clocks()
        starts.withLock { if $0.last?.stage != stage { $0.append((stage, now.wall, now.cpu)) } }
    }

    func report() {
        let end = clocks()
        let starts = starts.withLock { $0 }
        for (index, start) in starts.enumerated() {
            let next = index + 1 < starts.count ? (starts[index + 1].wall, starts[index + 1].cpu) : end
            print(String(format: "%@: %.2f s wall, %.2f s CPU", start.stage.rawValue, next.0 - start.wall, next.1 - start.cpu))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("peak RSS: \(usage.ru_maxrss / 1024) MB")
    }
}

func benchmarkStages(site: URL) {
    let stageClocks = StageClocks()
    let (archive, diagnostics, _, _, _) = SiteBuilder(site: site).archive(progress: { stageClocks.enter($0.stage) })
    stageClocks.report()
    print("\(archive.articles.count) articles, \(archive.articles.reduce(0) { $0 + $1.mentions.count }) mentions, \(diagnostics.count) diagnostics")
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "reload":
    guard let site = arguments.dropFirst().first else {
        print("usage: dossier-benchmark reload SITE [SAVES]")
        exit(2)
    }
    try await benchmarkReload(site: URL(fileURLWithPath: site), saves: Int(arguments.dropFirst(2).first ?? "") ?? 5)
case "stages":
    guard let site = arguments.dropFirst().first else {
        print("usage: dossier-benchmark stages SITE")
        exit(2)
    }
    benchmarkStages(site: URL(fileURLWithPath: site))
case "linker":
    let corpus = URL(fileURLWithPath: arguments.dropFirst().first ?? "../shared/corpus")
    let registry = URL(fileURLWithPath: arguments.dropFirst(2).first ?? "../shared/eval/linking/registry.json")
    try benchmarkLinker(corpus: corpus, registryFile: registry)
default:
    print("usage: dossier-benchmark linker [CORPUS] [REGISTRY] | reload SITE [SAVES] | stages SITE")
    exit(2)
}

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
// `reload`: serves SITE as `dossier serve` does, saves one article SAVES times (default 5) and
// prints the time from each save to the rebuilt site's reload message, and their median.
//
//     swift run -c release dossier-benchmark stages SITE [ROUNDS]
//
// `stages`: runs load, resolve and link on SITE as a build does, ROUNDS times (default 3), and
// prints each stage's wall and CPU seconds per round, and the process's peak memory.
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
    let (finishedBuilds, finished) = AsyncStream.makeStream(of: UInt64.self)
    let server = PreviewServer(site: site, port: 0) { report in
        if report.published { finished.yield(DispatchTime.now().uptimeNanoseconds) }
    }
    var builds = finishedBuilds.makeAsyncIterator()
    print("reload benchmark: \(site.path)")
    let started = DispatchTime.now().uptimeNanoseconds
    _ = try await server.start()
    _ = await builds.next()
    print(String(format: "first build: %.2f s", Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
    let articles = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("content/articles").path)
        .filter { $0.hasSuffix(".md") || $0.hasSuffix(".txt") }.sorted()
    guard !articles.isEmpty else {
        print("the site has no articles to save")
        await server.stop()
        return
    }
    let article = site.appendingPathComponent("content/articles/\(articles[articles.count / 2])")
    let original = try Data(contentsOf: article)
    defer { try? original.write(to: article) }
    var latencies: [Double] = []
    for save in 1...saves {
        try await Task.sleep(for: .milliseconds(300))
        let saved = DispatchTime.now().uptimeNanoseconds
        try (original + Data("\nNachtrag \(save).\n".utf8)).write(to: article)
        guard let done = await builds.next() else { break }
        latencies.append(Double(done - saved) / 1e6)
        print(String(format: "save %d: %.0f ms to the reload message", save, latencies.last!))
    }
    print(String(format: "median save-to-reload: %.0f ms (includes the %d ms debounce)",
                 latencies.sorted()[latencies.count / 2], 120))
    await server.stop()
}

/// The process's resource usage so far.
func resourceUsage() -> rusage {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return usage
}

/// The process's CPU time so far (user and system), in seconds.
func cpuSeconds() -> Double {
    let usage = resourceUsage()
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func benchmarkStages(site: URL, rounds: Int) {
    print("stages benchmark: \(site.path)")
    print("round   load wall/CPU s   resolve wall/CPU s   link wall/CPU s   mentions")
    for round in 1...rounds {
        var times: [(wall: Double, cpu: Double)] = []
        func timed<T>(_ work: () -> T) -> T {
            let wall = DispatchTime.now().uptimeNanoseconds
            let cpu = cpuSeconds()
            let result = work()
            times.append((Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9, cpuSeconds() - cpu))
            return result
        }
        let (content, _) = timed { ContentLoader(site: site).load() }
        let registry = timed {
            let registry = Registry(entities: content.entities)
            _ = registry.validate()
            return registry
        }
        let mentions = timed {
            let linker = Linker(registry: registry, siteLanguage: content.config.language,
                                articleLanguages: Set(content.articles.compactMap(\.language)),
                                articleIDs: Set(content.articles.map(\.id)), noteIDs: Set(content.notes.map(\.id)))
            // On every core, as the build links.
            let chunks = ProcessInfo.processInfo.activeProcessorCount * 8
            let counts = Mutex([Int](repeating: 0, count: chunks))
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let count = stride(from: chunk, to: content.articles.count, by: chunks)
                    .reduce(0) { $0 + linker.link(content.articles[$1]).0.mentions.count }
                counts.withLock { $0[chunk] = count }
            }
            let articlesByID = Dictionary(content.articles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for note in content.notes { _ = linker.link(note, commentingOn: note.articleID.flatMap { articlesByID[$0] }) }
            for entity in registry.entities { _ = linker.link(entity.description) }
            return counts.withLock { $0.reduce(0, +) }
        }
        print(String(format: "%5d   %7.3f / %6.3f   %8.3f / %6.3f   %7.3f / %6.3f   %8d", round,
                     times[0].wall, times[0].cpu, times[1].wall, times[1].cpu, times[2].wall, times[2].cpu, mentions))
    }
    print("peak memory: \(resourceUsage().ru_maxrss / 1024) MiB")
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
        print("usage: dossier-benchmark stages SITE [ROUNDS]")
        exit(2)
    }
    benchmarkStages(site: URL(fileURLWithPath: site), rounds: Int(arguments.dropFirst(2).first ?? "") ?? 3)
case "linker":
    let corpus = URL(fileURLWithPath: arguments.dropFirst().first ?? "../shared/corpus")
    let registry = URL(fileURLWithPath: arguments.dropFirst(2).first ?? "../shared/eval/linking/registry.json")
    try benchmarkLinker(corpus: corpus, registryFile: registry)
default:
    print("usage: dossier-benchmark linker [CORPUS] [REGISTRY] | reload SITE [SAVES] | stages SITE [ROUNDS]")
    exit(2)
}

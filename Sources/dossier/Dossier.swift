import ArgumentParser
import DossierCore
import Foundation

@main
struct Dossier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "A static-site generator for annotated news archives.",
        subcommands: [Build.self, Check.self, Serve.self, New.self, Import.self]
    )

    /// Exit status 2 for usage errors (DESIGN §3), where ArgumentParser would use 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Options every command that reads a site takes.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site folder, holding content/ and templates/.")
    var site: String = "."

    var siteURL: URL { URL(fileURLWithPath: site, isDirectory: true) }
}

/// How much a command says on stderr.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print only errors and warnings, no summary.")
    var quiet = false

    @Flag(name: .long, help: "Also print notes (entities no article mentions, undated articles).")
    var verbose = false
}

/// Prints the diagnostics and a summary line; exits 1 when there are errors.
func finish(_ report: BuildReport, site: String, action: String, output: OutputOptions, notes: Bool) throws {
    // Written at once: one write per line took 0.1 s for the 10,000 warnings of a large archive.
    let shown = report.diagnostics.filter { $0.severity != .note || notes || output.verbose }
    if !shown.isEmpty {
        printError(shown.map { $0.formatted(sitePrefix: site) }.joined(separator: "\n"))
    }
    if !output.quiet {
        printError(report.summary(action: action))
    }
    if output.verbose, !report.stageSeconds.isEmpty {
        printError(report.stageLine)
    }
    if report.errors > 0 { throw ExitCode(1) }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into public/.")

    @OptionGroup var options: SiteOptions
    @OptionGroup var verbosity: OutputOptions

    @Option(name: .long, help: "The output folder (default: SITE/public).")
    var output: String?

    @Flag(name: .long, help: "Treat warnings (unknown keys, ambiguous names, orphaned notes) as errors.")
    var strict = false

    func run() throws {
        let builder = SiteBuilder(site: options.siteURL, output: output.map { URL(fileURLWithPath: $0, isDirectory: true) },
                                  strict: strict)
        let progress = verbosity.quiet ? nil : TerminalProgress.onStandardError()
        // Never released: the archive it keeps is freed with the process, at once, instead of
        // value by value when the build returns (0.06 s of a rebuild at 10,000 articles).
        let memory = Unmanaged.passRetained(BuildMemory()).takeUnretainedValue()
        let report = builder.build(progress: progress?.show, memory: memory)
        progress?.clear()
        try finish(report, site: options.site, action: report.outcome,
                   output: verbosity, notes: false)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate everything build validates, writing nothing.")

    enum Format: String, ExpressibleByArgument {
        case text, json
    }

    @OptionGroup var options: SiteOptions
    @OptionGroup var verbosity: OutputOptions

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    @Option(name: .long, help: "text (path:line:column: severity: message) or json, for tools.")
    var format: Format = .text

    func run() throws {
        let report = SiteBuilder(site: options.siteURL, strict: strict).build(publish: false)
        switch format {
        case .text:
            try finish(report, site: options.site, action: "checked", output: verbosity, notes: true)
        case .json:
            FileHandle.standardOutput.write(report.json(sitePrefix: options.site))
            if report.errors > 0 { throw ExitCode(1) }
        }
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new site with the default theme and a small sample.")

    @Argument(help: "The folder of the new site; it must not exist or be empty.")
    var folder: String

    func run() throws {
        do {
            try SiteScaffold.create(at: URL(fileURLWithPath: folder, isDirectory: true))
        } catch {
            printError("dossier new: error: \(error)")
            throw ExitCode(1)
        }
        print("created \(folder): build it with `dossier build --site \(folder)`")
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import plain-text articles as content/articles/<id>.md; existing articles are never overwritten.")

    @Argument(help: "Plain-text article files: the headline on the first line, paragraphs separated by blank lines.")
    var files: [String]

    @OptionGroup var options: SiteOptions

    @Option(help: "The articles' date, YYYY-MM-DD or ISO 8601.") var date: String?
    @Option(help: "The publisher or agency.") var source: String?
    @Option(help: "The address of the original.") var url: String?
    @Option(help: "The articles' language (BCP 47), when not the site's.") var language: String?

    func run() throws {
        let importer = ArticleImporter(site: options.siteURL)
        let metadata = ArticleImporter.Metadata(date: date, source: source, url: url, language: language)
        var failed = false
        for file in files {
            switch importer.importArticle(from: URL(fileURLWithPath: file), metadata: metadata) {
            case .success(let path): print("imported \(file) -> \(path)")
            case .failure(let failure):
                printError(failure.description)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

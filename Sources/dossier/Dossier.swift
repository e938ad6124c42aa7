import ArgumentParser
import DossierCore
import Foundation

@main
struct Dossier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "A static-site generator for annotated news archives.",
        subcommands: [Build.self, Check.self]
    )

    /// Exit status 2 for usage errors (DESIGN §3), where ArgumentParser would use 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options every command that reads a site takes.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site folder, holding content/ and templates/.")
    var site: String = "."

    var siteURL: URL { URL(fileURLWithPath: site, isDirectory: true) }
}

/// Prints the diagnostics and a summary line; exits 1 when there are errors.
func finish(_ report: BuildReport, site: String, action: String) throws {
    for diagnostic in report.diagnostics {
        FileHandle.standardError.write(Data((diagnostic.formatted(sitePrefix: site) + "\n").utf8))
    }
    let summary = "\(action): \(report.articles) articles, \(report.actors) actors, \(report.places) places, "
        + "\(report.notes) notes, \(report.mentions) mentions, \(report.warnings) warnings, \(report.errors) errors"
    FileHandle.standardError.write(Data((summary + "\n").utf8))
    if report.errors > 0 { throw ExitCode(1) }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into public/.")

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: "The output folder (default: SITE/public).")
    var output: String?

    @Flag(name: .long, help: "Treat warnings (unknown keys, ambiguous names) as errors.")
    var strict = false

    func run() throws {
        let builder = SiteBuilder(site: options.siteURL, output: output.map { URL(fileURLWithPath: $0, isDirectory: true) },
                                  strict: strict)
        let report = builder.build()
        try finish(report, site: options.site, action: report.published ? "built \(report.pages) pages" : "not built")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate everything build validates, writing nothing.")

    @OptionGroup var options: SiteOptions

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    func run() throws {
        let report = SiteBuilder(site: options.siteURL, strict: strict).build(publish: false)
        try finish(report, site: options.site, action: "checked")
    }
}

import ArgumentParser
import DossierCore
import DossierServe
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site, serve it on 127.0.0.1, and rebuild and reload the open pages on every save.")

    @OptionGroup var options: SiteOptions

    @Option(help: "The port to listen on.")
    var port: UInt16 = 8000

    func run() throws {
        let site = options.site
        let server = PreviewServer(site: options.siteURL, port: port) { report in
            for diagnostic in report.diagnostics where diagnostic.severity != .note {
                printError(diagnostic.formatted(sitePrefix: site))
            }
            printError(report.summary(action: report.outcome))
        } onPreview: { pages in
            printError("shown at once: \(pages.joined(separator: ", ")); rebuilding the site")
        }
        // Ctrl-C (and a polite kill) end the preview at once, with pages connected or not.
        var signalSources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
            source.setEventHandler {
                printError("stopped")
                Foundation.exit(0)
            }
            source.resume()
            signalSources.append(source)
        }
        Task {
            do {
                let listening = try await server.start()
                printError("serving http://127.0.0.1:\(listening)/ (Ctrl-C stops)")
            } catch {
                printError("dossier serve: error: \(error)")
                Foundation.exit(1)
            }
        }
        // dispatchMain never returns: the signal sources live as long as the process.
        withExtendedLifetime(signalSources) { dispatchMain() }
    }
}

import Foundation
import Testing
@testable import DossierCore

@Suite struct ThemeTests {
    /// A copy of the built-in theme in a site folder, to break on purpose.
    private func siteWithTheme() throws -> TestSite {
        let site = try TestSite(Fixture.files)
        let builtIn = try #require(Theme.builtInFolder)
        try FileManager.default.copyItem(at: builtIn, to: site.root.appendingPathComponent("templates"))
        return site
    }

    @Test func theBuiltInThemeIsComplete() throws {
        let (theme, diagnostics) = Theme.load(from: try #require(Theme.builtInFolder), displayedAs: "theme")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(theme?.assets.map(\.path).contains("dossier.css") == true)
    }

    @Test func aMissingTemplateIsAnErrorNamingIt() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        try site.remove("templates/place.mustache")
        let report = site.build()
        let error = try #require(report.diagnostics.first { $0.isError })
        #expect(error.location.path == "templates/place.mustache")
        #expect(error.message.contains("missing template 'place'"))
        #expect(!site.exists("public"))
    }

    @Test func aMissingPartialIsAnErrorAtItsUse() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        try site.write("templates/note.mustache", "{{<layout}}{{$main}}\n  {{> partials/fehlt}}{{/main}}{{/layout}}\n")
        let report = site.build()
        let error = try #require(report.diagnostics.first { $0.isError })
        #expect(error.location == SourceLocation(path: "templates/note.mustache", line: 2, column: 3))
        #expect(error.message.contains("partials/fehlt"))
    }

    @Test func aTemplateSyntaxErrorHasItsPosition() throws {
        let site = try siteWithTheme()
        defer { site.delete() }
        try site.write("templates/home.mustache", "<p>\n{{#open}}\n")
        let report = site.build()
        let error = try #require(report.diagnostics.first { $0.isError && $0.location.path == "templates/home.mustache" })
        #expect(error.location.line > 0)
        #expect(error.message.contains("syntax"))
    }
}

import Testing
@testable import DossierCore

@Suite struct EntityFilesTests {
    @Test func aPlaceNeedsBothCoordinatesWithinRange() throws {
        let site = try TestSite(fixtureWith: [
            "content/places/halb.md": "---\nname: Halb\nlat: 35\n---\n",
            "content/places/weit.md": "---\nname: Weit\nlat: 95\nlon: 10\n---\n",
        ])
        defer { site.delete() }
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        #expect(diagnostics.contains { $0.location.path == "content/places/halb.md" && $0.message.contains("both 'lat' and 'lon'") })
        #expect(diagnostics.contains { $0.location.path == "content/places/weit.md" && $0.message.contains("out of range") })
        #expect(!content.entities.contains { $0.ref.id == "halb" || $0.ref.id == "weit" })
    }

    @Test func filesOfAnotherKindAreReportedAndLeftOut() throws {
        let site = try TestSite(fixtureWith: ["content/actors/liesmich.txt": "Notizen\n"])
        defer { site.delete() }
        let (content, diagnostics) = ContentLoader(site: site.root).load()
        let warning = try #require(diagnostics.first)
        #expect(warning.severity == .warning && warning.location.path == "content/actors/liesmich.txt")
        #expect(warning.message == "ignored: only .md files are read in content/actors/")
        #expect(content.entities.count == 6)
    }
}

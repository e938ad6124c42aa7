import Testing
@testable import DossierCore

@Suite struct RegistryTests {
    @Test func withinMustNameAPlace() throws {
        let site = try TestSite(fixtureWith: ["content/places/efrin.md": "---\nname: Efrîn\nwithin: syrien\n---\n"])
        defer { site.delete() }
        let error = try #require(site.build(publish: false).diagnostics.first { $0.stage == .resolve && $0.isError })
        #expect(error.location.path == "content/places/efrin.md")
        #expect(error.location.line == 3)
        #expect(error.message.contains("'within: syrien' names no place"))
    }

    @Test func namesAndIdsFindTheirEntities() {
        let registry = TestRegistry.conventions
        #expect(registry.entities(named: "EFRIN") == [EntityRef(.place, "efrin")])
        #expect(registry.entities(withID: "georgia") == [EntityRef(.place, "georgia")])
        #expect(registry.entities(named: "Georgia").count == 2)
    }
}

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

    /// An entity looked up by its reference, whole or a part of it; nothing for one the
    /// registry lacks.
    @Test func anEntityOrAPartOfItIsFoundByItsReference() throws {
        let registry = TestRegistry.conventions
        for entity in registry.entities {
            #expect(registry[entity.ref]?.name == entity.name)
            #expect(registry.entity(entity.ref) { $0.name } == entity.name)
            #expect(registry.entity(entity.ref) { $0.ref } == entity.ref)
        }
        #expect(registry[EntityRef(.actor, "niemand")] == nil)
        #expect(registry.entity(EntityRef(.actor, "niemand")) { $0.name } == nil)
    }
}

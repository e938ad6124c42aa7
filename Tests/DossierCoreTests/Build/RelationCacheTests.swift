import Foundation
import Testing
@testable import DossierCore

@Suite struct RelationCacheTests {
    @Test func aBuildKeepsItsRelationsForTheNextAndANextBuildTakesOnlyWhatItCanTrust() throws {
        // A third article relates the fixture's two.
        let site = try TestSite(fixtureWith: ["content/articles/dritte.md": "---\ntitle: Dritte\n---\nDie QSD in Efrîn.\n"])
        defer { site.delete() }
        let archive = SiteBuilder(site: site.root).archive().archive
        #expect(site.build().published)
        // What the build kept is its archive's relations.
        #expect(RelationCache.read(site: site.root) == archive.relations)
        #expect(!archive.relations.related.joined().isEmpty && !archive.relations.companions.joined().isEmpty)

        let file = RelationCache.file(site: site.root)
        let kept = try Data(contentsOf: file)
        // Cut short, or with a number that points past the articles, it is not taken.
        try kept.prefix(kept.count - 1).write(to: file)
        #expect(RelationCache.read(site: site.root) == nil)
        var pointingPast = archive.relations.related
        pointingPast[0] = [Relations.Relation(other: pointingPast.count, shared: 1)]
        RelationCache.save(Relations(layout: archive.relations.layout, entitiesOfArticle: archive.relations.entitiesOfArticle,
                                     relating: archive.relations.relating, related: pointingPast,
                                     companions: archive.relations.companions), site: site.root)
        #expect(RelationCache.read(site: site.root) == nil)
        // Nor from another tool.
        try Data(String(decoding: kept, as: UTF8.self).replacingOccurrences(of: BuildCache.toolIdentity, with: "another tool").utf8)
            .write(to: file)
        #expect(RelationCache.read(site: site.root) == nil)
    }
}

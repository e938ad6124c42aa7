import Testing
@testable import DossierCore

@Suite struct SitePathsTests {
    @Test func linksAreRelativeAndNameTheirFile() {
        let paths = SitePaths(prettyURLs: false)
        #expect(paths.href(from: SitePaths.article("a"), to: SitePaths.entity(EntityRef(.actor, "qsd")))
            == "../../actors/qsd/index.html")
        #expect(paths.href(from: SitePaths.home, to: SitePaths.entityList(.place)) == "places/index.html")
        #expect(paths.href(from: SitePaths.articleList(page: 2), to: SitePaths.home) == "../../../index.html")
        #expect(paths.href(from: SitePaths.entity(EntityRef(.place, "x")), to: SitePaths.article("a"), fragment: "m-2")
            == "../../articles/a/index.html#m-2")
    }

    @Test func prettyURLsEndInTheFolder() {
        let paths = SitePaths(prettyURLs: true)
        #expect(paths.href(from: SitePaths.article("a"), to: SitePaths.entity(EntityRef(.actor, "qsd"))) == "../../actors/qsd/")
        #expect(paths.href(from: SitePaths.home, to: SitePaths.home) == "./")
        #expect(paths.href(from: SitePaths.home, to: "assets/dossier.css") == "assets/dossier.css")
    }

    @Test func aPathsDepthCountsItsFoldersNotItsSlashes() {
        #expect(SitePaths.depth(of: "index.html") == 0)
        #expect(SitePaths.depth(of: "actors/qsd/page/2/index.html") == 4)
        #expect(SitePaths.depth(of: "/a//b/") == 1)
    }

    @Test func archivePagesArePaginated() {
        #expect(SitePaths.articleList(page: 1) == "articles/index.html")
        #expect(SitePaths.articleList(page: 3) == "articles/page/3/index.html")
    }
}

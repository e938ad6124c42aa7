import Testing
@testable import DossierCore

/// What an editor decides about links, without editing an article's text.
@Suite struct EditorControlTests {
    private func mentions(_ site: TestSite, article: String) throws -> [String] {
        try site.read("public/data/mentions.csv").split(separator: "\r\n").dropFirst()
            .filter { $0.hasPrefix(article + ",") }.map { $0.split(separator: ",")[1...2].joined(separator: ":") }
    }

    @Test func anArticleCanStopAnAutomaticLinkByIdOrByForm() throws {
        var files = Fixture.files
        files["content/articles/stopp.md"] = """
            ---
            title: Stopp
            unlinked: [efrin, Damaskus]
            ---
            Efrîn, Damaskus und Erdoğan; ausdrücklich doch [[efrin|Efrîn]].
            """
        let site = try TestSite(files)
        defer { site.delete() }
        #expect(site.build().published)
        #expect(try mentions(site, article: "stopp") == ["erdogan:Erdoğan", "efrin:[[efrin|Efrîn]]"])
        #expect(try mentions(site, article: "agentur").contains("efrin:Efrîn"), "other articles are not affected")
    }

    @Test func shownAliasesAreOnThePageButNeverMatched() throws {
        let site = try TestSite(fixtureWith: [
            "content/places/damaskus.md": "---\nname: Damaskus\nshown_aliases: [Şam]\n---\nHauptstadt.\n",
            "content/articles/sam.md": "---\ntitle: Şam\n---\nIn Şam.\n",
        ])
        defer { site.delete() }
        #expect(site.build().published)
        #expect(try mentions(site, article: "sam").isEmpty)
        #expect(try site.read("public/places/damaskus/index.html").contains("<li>Şam</li>"))
    }

    @Test func theArticlesLanguageChoosesTheRules() throws {
        let site = try TestSite(fixtureWith: [
            "content/articles/english.md": "---\ntitle: Efrin\nlanguage: en\n---\nErdogan's forces and Efrîns.\n",
            "content/articles/kurdi.md": "---\ntitle: Efrîn\nlanguage: ku\n---\nLi Efrînê.\n",
        ])
        defer { site.delete() }
        #expect(site.build().published)
        #expect(try mentions(site, article: "english") == ["efrin:Efrin", "erdogan:Erdogan's"])
        #expect(try mentions(site, article: "kurdi") == ["efrin:Efrîn", "efrin:Efrînê"])
        #expect(try mentions(site, article: "agentur").count == 5, "German by the site's language")
    }

    @Test func checkListsANameTwoEntitiesShareAndItIsNotLinked() throws {
        let site = try TestSite(fixtureWith: ["content/actors/efrin-brigade.md": "---\nname: Efrîn-Brigade\naliases: [Efrîn]\n---\n"])
        defer { site.delete() }
        let report = site.build(publish: false)
        let warnings = report.diagnostics.filter { $0.severity == .warning }
        #expect(warnings.contains { $0.stage == .resolve && $0.message.contains("actors/efrin-brigade and places/efrin") })
        #expect(warnings.contains { $0.stage == .link && $0.location.path == "content/articles/agentur.txt" })
        #expect(site.build(strict: true).errors > 0)
        _ = site.build()
        #expect(try !mentions(site, article: "agentur").contains("efrin:Efrîn"))
    }
}

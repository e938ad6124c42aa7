import Foundation
import Testing
@testable import DossierCore

/// The site must be publishable to hosts whose file systems ignore case and Unicode
/// normalization and reserve device names: two inputs that would become one file there, or a
/// name Windows reserves, are an error naming the files.
@Suite struct PortablePathsTests {
    @Test func idsThatDifferOnlyByCaseOrNormalizationNameBothFiles() throws {
        let composed = "\u{00C4}rger"
        let decomposed = "A\u{0308}rger"
        // Written one by one: a dictionary takes composed and decomposed keys for one.
        let site = try TestSite(["content/actors/Qsd.md": "---\nname: A\n---\n", "content/actors/qsd.md": "---\nname: B\n---\n"])
        defer { site.delete() }
        try site.write("content/places/\(composed).md", "---\nname: C\n---\n")
        try site.write("content/places/\(decomposed).md", "---\nname: D\n---\n")
        let errors = ContentLoader(site: site.root).load().diagnostics.filter(\.isError)
        #expect(errors.count == 2)
        #expect(errors.contains { $0.message == "duplicate actor id 'qsd': content/actors/Qsd.md and content/actors/qsd.md both map to it" })
        let places = try #require(errors.first { $0.message.hasPrefix("duplicate place id 'arger'") })
        #expect(places.message.contains("content/places/\(composed).md") && places.message.contains("content/places/\(decomposed).md"))
    }

    @Test func referencesThatLookLikePathsNameNothingAndNothingIsWritten() throws {
        let site = try TestSite(fixtureWith: [
            "content/places/vorort.md": "---\nname: Vorort\nwithin: ../../etc\n---\n",
            "content/notes/pfad.md": "---\ntitle: Pfad\narticle: ../../../etc/passwd\nabout: [/etc/passwd]\n---\nSiehe [[../../etc/passwd]].\n",
        ])
        defer { site.delete() }
        let report = site.build()
        #expect(!report.published && !site.exists("public"))
        #expect(report.diagnostics.filter(\.isError).map(\.message) == [
            "'article: ../../../etc/passwd' names no article: no content/articles/../../../etc/passwd.md or .txt",
            "'about: /etc/passwd' names no actor or place",
            "unknown link target [[../../etc/passwd]]: no actor, place, article or note has this id or name",
            "'within: ../../etc' names no place: no content/places/../../etc.md",
        ])
    }

    @Test func anIdWindowsReservesIsAnError() throws {
        let site = try TestSite(fixtureWith: ["content/actors/CON.md": "---\nname: Con\n---\n", "content/places/com1.md": "---\nname: Com\n---\n",
                                              "content/articles/console.md": "---\ntitle: Kein Gerät\n---\n"])
        defer { site.delete() }
        let report = site.build(publish: false)
        #expect(report.diagnostics.filter(\.isError).map(\.description) == [
            "content/actors/CON.md: error: the id 'con' is a name Windows reserves for a device: its pages could not be copied there; rename the file",
            "content/places/com1.md: error: the id 'com1' is a name Windows reserves for a device: its pages could not be copied there; rename the file",
        ])
    }

    @Test func assetsThatWouldBecomeOneFileAreAnErrorNamingBoth() throws {
        let site = try TestSite(fixtureWith: [
            "content/assets/img/Logo.svg": "<svg/>", "content/assets/img/logo.svg": "<svg/>",
            "content/assets/Dossier.css": "body {}", "content/assets/aux.txt": "Gerät",
        ])
        defer { site.delete() }
        try site.write("content/assets/\u{00C4}rger.txt", "NFC")
        try site.write("content/assets/A\u{0308}rger.txt", "NFD")
        let report = site.build()
        #expect(!report.published)
        #expect(report.diagnostics.filter(\.isError).map(\.description).sorted() == [
            "content/assets/A\u{0308}rger.txt: error: content/assets/\u{00C4}rger.txt and content/assets/A\u{0308}rger.txt differ only by case "
                + "or Unicode normalization: hosts on macOS and Windows take them for one file; rename one",
            "content/assets/Dossier.css: error: (built-in theme)/assets/dossier.css and content/assets/Dossier.css differ only by case "
                + "or Unicode normalization: hosts on macOS and Windows take them for one file; rename one",
            "content/assets/aux.txt: error: 'aux.txt' is a name Windows reserves for a device: the site could not be copied there; rename it",
            "content/assets/img/logo.svg: error: content/assets/img/Logo.svg and content/assets/img/logo.svg differ only by case "
                + "or Unicode normalization: hosts on macOS and Windows take them for one file; rename one",
        ].sorted())
    }

    @Test func anAssetOfTheSiteReplacesTheThemesOfTheSamePath() throws {
        let site = try TestSite(fixtureWith: ["content/assets/dossier.css": "body { color: red }"])
        defer { site.delete() }
        let report = site.build()
        #expect(report.errors == 0 && report.published)
        #expect(try site.read("public/assets/dossier.css") == "body { color: red }")
    }
}

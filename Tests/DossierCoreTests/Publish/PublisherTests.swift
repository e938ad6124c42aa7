import Foundation
import Testing
@testable import DossierCore

@Suite struct PublisherTests {
    @Test func replacesTheOutputAndKeepsItsHiddenFiles() throws {
        let site = try TestSite()
        defer { site.delete() }
        try site.write("public/.gitkeep", "")
        try site.write("public/alt.html", "alt")
        let output = site.root.appendingPathComponent("public")
        try Publisher(output: output).publish(files: [OutputFile(path: "a/index.html", text: "neu")], assets: [])
        #expect(try site.snapshot() == [".gitkeep": Data(), "a/index.html": Data("neu".utf8)])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".public") }
        #expect(leftovers.isEmpty, "staging and previous folders are cleaned up")
    }

    @Test func refusesPathsThatLeaveTheOutputAndLeavesItUntouched() throws {
        let site = try TestSite()
        defer { site.delete() }
        try site.write("public/index.html", "alt")
        let before = try site.snapshot()
        for path in ["../content/x", "/etc/x", "a/../../x", "a/./b", "a//b", "", "a/"] {
            #expect(throws: Publisher.Failure.self, "\(path)") {
                try Publisher(output: site.root.appendingPathComponent("public"))
                    .publish(files: [OutputFile(path: "ok.html", text: ""), OutputFile(path: path, text: "")], assets: [])
            }
        }
        #expect(throws: Publisher.Failure.self, "an asset's path is checked too") {
            try Publisher(output: site.root.appendingPathComponent("public"))
                .publish(files: [], assets: [Asset(path: "../../x", file: site.root.appendingPathComponent("public/index.html"))])
        }
        #expect(try site.snapshot() == before)
        #expect(!site.exists("content/x"))
    }

    @Test func refusesAnOutputFolderThatWouldReplaceTheSitesOwnFiles() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        try FileManager.default.createDirectory(at: site.root.appendingPathComponent("templates"), withIntermediateDirectories: true)
        let before = try site.snapshot("content")
        for output in [".", "..", "content", "content/public", "templates/out"] {
            let folder = site.root.appendingPathComponent(output)
            #expect(throws: Publisher.Failure.self, "\(output)") {
                try Publisher(output: folder, site: site.root).publish(files: [OutputFile(path: "index.html", text: "neu")], assets: [])
            }
        }
        #expect(try site.snapshot("content") == before)
        #expect(!site.exists("templates/out"))
        try Publisher(output: site.root.appendingPathComponent("public"), site: site.root)
            .publish(files: [OutputFile(path: "index.html", text: "neu")], assets: [])
        #expect(try site.read("public/index.html") == "neu")
    }

    @Test func cleansUpAfterBuildsThatWereKilled() throws {
        let site = try TestSite()
        defer { site.delete() }
        let dead = Int32.max
        let alive = ProcessInfo.processInfo.processIdentifier
        try site.write(".public.staging-\(dead)-a1b2c3d4/index.html", "halb")
        try site.write(".public.staging-0f9e8d7c/index.html", "halb, ohne Prozess im Namen")
        try site.write(".public.staging-\(alive)-a1b2c3d4/index.html", "ein Build dieses Prozesses, der noch läuft")
        try site.write("public/index.html", "alt")
        try Publisher(output: site.root.appendingPathComponent("public")).publish(files: [OutputFile(path: "index.html", text: "neu")], assets: [])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".public") }
        #expect(leftovers == [".public.staging-\(alive)-a1b2c3d4"])
        #expect(try site.read("public/index.html") == "neu")
    }

    @Test func aSiteLeftBetweenTheTwoRenamesIsPutBack() throws {
        let site = try TestSite()
        defer { site.delete() }
        try site.write(".public.previous-\(Int32.max)-a1b2c3d4/index.html", "alt")
        #expect(throws: Publisher.Failure.self) {
            try Publisher(output: site.root.appendingPathComponent("public")).publish(files: [OutputFile(path: "/etc/x", text: "")], assets: [])
        }
        #expect(try site.snapshot() == ["index.html": Data("alt".utf8)])
    }

    @Test func linkedAssetsArePublishedAsFiles() throws {
        let site = try TestSite(["content/assets/logo.svg": "<svg/>"])
        defer { site.delete() }
        let link = site.root.appendingPathComponent("content/assets/verweis.svg")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: site.root.appendingPathComponent("content/assets/logo.svg"))
        try Publisher(output: site.root.appendingPathComponent("public")).publish(files: [], assets: [Asset(path: "verweis.svg", file: link)])
        let published = site.root.appendingPathComponent("public/assets/verweis.svg")
        #expect(try published.resourceValues(forKeys: [.isSymbolicLinkKey]).isSymbolicLink == false)
        #expect(try site.read("public/assets/verweis.svg") == "<svg/>")
    }

    @Test func foldersAreExchangedInOneStep() throws {
        let site = try TestSite(["a/x": "a", "b/y": "b"])
        defer { site.delete() }
        #expect(FolderExchange.exchange(site.root.appendingPathComponent("a"), site.root.appendingPathComponent("b")))
        #expect(try site.read("a/y") == "b" && site.read("b/x") == "a")
    }

    @Test func csvCellsAreQuotedAndCannotStartAFormula() {
        var csv = CSV(header: ["a", "b"])
        csv.append(["=HYPERLINK(\"x\")", "Komma, \"Zitat\"\nZeile"])
        csv.append(["-5", "@SUM(A1)"])
        csv.append(["-40.25", "+1.5e3"])
        // Double() reads these as numbers; a spreadsheet may not.
        csv.append(["-inf", "-0x1p3"])
        csv.append(["\tx", "\r=1"])
        #expect(String(decoding: csv.bytes, as: UTF8.self) == "a,b\r\n\"'=HYPERLINK(\"\"x\"\")\",\"Komma, \"\"Zitat\"\"\nZeile\"\r\n-5,'@SUM(A1)\r\n"
            + "-40.25,+1.5e3\r\n'-inf,'-0x1p3\r\n'\tx,\"'\r=1\"\r\n")
    }

    /// Numbers written as digits, rows joined from pieces written apart: as written whole.
    @Test func csvNumberCellsAndRowsWrittenApartAreAsStringCellsInOneCSV() {
        var whole = CSV(header: ["a", "b", "c"])
        var rows = CSV()
        for (text, number) in [("x", 0), ("=1", -5), ("Komma, ja", 1_234_567), ("", Int.max)] {
            whole.append([text, String(number), String(-number)])
            rows.cell(text)
            rows.cell(number)
            rows.cell(-number)
            rows.endRow()
        }
        #expect(String(decoding: CSV(header: ["a", "b", "c"]).bytes + rows.bytes, as: UTF8.self) == String(decoding: whole.bytes, as: UTF8.self))
    }
}

@Suite struct StagingFolderTests {
    @Test func aFileWithTheOldBytesIsTheOldFileAndAChangedOneIsNew() throws {
        let site = try TestSite()
        defer { site.delete() }
        let output = site.root.appendingPathComponent("public")
        let publisher = Publisher(output: output)
        try publisher.publish(files: [OutputFile(path: "a/b/same.txt", text: "gleich"), OutputFile(path: "a/other.txt", text: "alt")], assets: [])
        func inode(_ path: String) throws -> UInt64 {
            let attributes = try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent(path).path)
            return try #require((attributes[.systemFileNumber] as? NSNumber)?.uint64Value)
        }
        let same = try inode("a/b/same.txt")
        let other = try inode("a/other.txt")
        try publisher.publish(files: [OutputFile(path: "a/b/same.txt", text: "gleich"), OutputFile(path: "a/other.txt", text: "neu"),
                                      OutputFile(path: "x/y/z/new.txt", text: "")], assets: [])
        #expect(try inode("a/b/same.txt") == same, "linked, not written")
        #expect(try inode("a/other.txt") != other)
        #expect(try site.snapshot() == ["a/b/same.txt": Data("gleich".utf8), "a/other.txt": Data("neu".utf8), "x/y/z/new.txt": Data()])
    }

    @Test func aSiteStagedWithNoOutputFolderLooksForNoOldFiles() throws {
        let site = try TestSite()
        defer { site.delete() }
        let output = site.root.appendingPathComponent("public")
        let publisher = Publisher(output: output)
        let staging = try publisher.begin()
        // A folder that appears at the output's place after the staging began (by another
        // hand) is not the old site: nothing of it is taken, even a file with the same bytes.
        let stray = output.appendingPathComponent("a/same.txt")
        try FileManager.default.createDirectory(at: stray.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("gleich".utf8).write(to: stray)
        try publisher.write([OutputFile(path: "a/same.txt", text: "gleich")], in: staging)
        let staged = staging.url.appendingPathComponent("a/same.txt").path
        #expect(FileCalls.identity(staged)?.inode != FileCalls.identity(stray.path)?.inode, "written, not linked to the stray file")
        #expect(FileManager.default.contents(atPath: staged) == Data("gleich".utf8))
        publisher.abandon(staging)
    }
}

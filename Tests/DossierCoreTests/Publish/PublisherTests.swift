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
        #expect(throws: Publisher.Failure.self) {
            try Publisher(output: site.root.appendingPathComponent("public"))
                .publish(files: [OutputFile(path: "ok.html", text: ""), OutputFile(path: "../content/x", text: "")], assets: [])
        }
        #expect(try site.snapshot() == before)
        #expect(!site.exists("content/x"))
    }

    @Test func csvCellsAreQuotedAndCannotStartAFormula() {
        var csv = CSV(header: ["a", "b"])
        csv.append(["=HYPERLINK(\"x\")", "Komma, \"Zitat\"\nZeile"])
        csv.append(["-5", "@SUM(A1)"])
        #expect(csv.text == "a,b\r\n\"'=HYPERLINK(\"\"x\"\")\",\"Komma, \"\"Zitat\"\"\nZeile\"\r\n-5,'@SUM(A1)\r\n")
    }
}

import Foundation
import Testing
@testable import DossierCore

@Suite struct FileCallsTests {
    /// Looked up from the folder, each path's identity is the one looked up from the root: a
    /// regular file's, and none for what is not one (a symbolic link is not followed).
    @Test func identitiesInAFolderAreThoseOfItsRegularFilesOnly() throws {
        let site = try TestSite()
        defer { site.delete() }
        try site.write("public/a/index.html", "a")
        try site.write("public/b.txt", "b")
        let folder = site.root.appendingPathComponent("public")
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.txt"),
                                                   withDestinationURL: folder.appendingPathComponent("b.txt"))
        let paths = ["a/index.html", "b.txt", "link.txt", "a", "missing.html", "a/missing/x.html"]
        let identities = FileCalls.identities(of: paths, in: folder.path)
        #expect(identities[0] != nil && identities[0] == FileCalls.identity(folder.path + "/a/index.html"))
        #expect(identities[1] != nil && identities[1] == FileCalls.identity(folder.path + "/b.txt"))
        #expect(identities[0] != identities[1])
        #expect(identities[2...].allSatisfy { $0 == nil }, "a link, a folder and missing files have none")
        #expect(FileCalls.identities(of: paths, in: folder.path + "/missing").allSatisfy { $0 == nil })
        // What a file holds is told of the file itself, never through a link.
        #expect(FileCalls.holding(folder.path + "/b.txt", .whole(Data("b".utf8))) == identities[1])
        #expect(!FileCalls.holds(folder.path + "/link.txt", .whole(Data("b".utf8))))
    }

    /// A file of pieces made and copied comes out as the same bytes put together in memory,
    /// larger than the write buffer too; a file holding them is told from one that does not;
    /// a range past the source's end fails the write rather than leaving it short.
    @Test func aSplicedFileIsWrittenAsItsPiecesPutTogether() throws {
        let site = try TestSite()
        defer { site.delete() }
        let old = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 31 ^ $0 >> 9) }
        let source = site.root.appendingPathComponent("old").path
        try Data(old).write(to: URL(fileURLWithPath: source))
        let file = try #require(FileCalls.identity(source).flatMap { OpenFile(path: source, identity: $0) })
        let made = (0..<(1 << 20) + 5).map { UInt8(truncatingIfNeeded: $0) }
        var spliced = SplicedBytes(source: file)
        spliced.append(made[0..<10])
        spliced.append(5..<100)
        spliced.append(100..<(2 << 20))
        spliced.append(made[...])
        spliced.append(((3 << 20) - 1)..<((3 << 20) + 17))
        let expected = Array(made[0..<10]) + Array(old[5..<(2 << 20)]) + made + Array(old[((3 << 20) - 1)...])
        #expect(spliced.count == expected.count)
        #expect(spliced.pieces.count == 4, "the two ranges that follow each other are one")
        #expect(spliced.materialized() == Data(expected))
        let target = site.root.appendingPathComponent("new").path
        try FileCalls.create(target, holding: .spliced(spliced))
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(expected))
        #expect(FileCalls.holding(target, .spliced(spliced)) == FileCalls.identity(target))

        var other = SplicedBytes(source: file)
        other.append(made[0..<10])
        other.append(6..<(2 << 20) + 1)
        other.append(made[...])
        other.append(((3 << 20) - 1)..<((3 << 20) + 17))
        #expect(other.count == spliced.count)
        #expect(!FileCalls.holds(target, .spliced(other)), "same size, other bytes")
        other.append(made[0..<1])
        #expect(!FileCalls.holds(target, .spliced(other)), "another size")

        var pastTheEnd = SplicedBytes(source: file)
        pastTheEnd.append(old.count - 10..<old.count + 10)
        #expect(throws: Publisher.Failure.self) { try FileCalls.create(target, holding: .spliced(pastTheEnd)) }
    }
}

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
    }
}

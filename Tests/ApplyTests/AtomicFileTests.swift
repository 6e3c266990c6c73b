import Foundation
import TestSupport
import Testing

@testable import Apply

@Suite struct AtomicFileTests {
    @Test func aSymlinkedFileIsUpdatedWhereItPointsAndStaysALink() throws {
        let directory = try TemporaryDirectory()
        let real = try directory.write("real.conf", "old\n")
        let link = directory.file("link.conf")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        try AtomicFile.write(Array("new\n".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["link.conf", "real.conf"])
    }

    @Test func theNewFileIsReadableByWorkersAndNoTemporaryFileStays() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("web.conf")
        try AtomicFile.write(Array("upstream web {}\n".utf8), to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(try AtomicFile.read(path) == Array("upstream web {}\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["web.conf"])
    }

    @Test func aMissingDirectoryIsReportedByTheFileItWasFor() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("missing/web.conf")
        do {
            try AtomicFile.write(Array("x".utf8), to: path)
            Issue.record("wrote into a missing directory")
        } catch {
            #expect(error.description == "could not create a temporary file in the directory of \(path): No such file or directory")
        }
    }
}

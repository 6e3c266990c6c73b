import Foundation

/// A directory under the system temp dir for one test's files, removed when released.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "/ballast-command-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to the file `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        let file = path + "/" + name
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

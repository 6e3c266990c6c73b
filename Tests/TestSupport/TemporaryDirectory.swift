import Foundation

/// A directory under the system temp dir for one test's files, removed when the value is released,
/// so tests that write databases, policies or expositions never share or leak files.
public final class TemporaryDirectory {
    /// The directory's absolute path.
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "/ballast-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path for a file named `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `contents` to the file `name` in the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let path = file(name)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

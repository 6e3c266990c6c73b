import Foundation

extension FileHandle {
    /// Writes `data`, ignoring a closed pipe or a full disk. Foundation's `write(_:)` traps on
    /// those (a `try!` inside), and a reader that went away (`ballast parse-metrics x | head`)
    /// must not crash a command, least of all one with processes to stop.
    @discardableResult
    func writeQuietly(_ data: Data) -> Bool {
        (try? write(contentsOf: data)) != nil
    }
}

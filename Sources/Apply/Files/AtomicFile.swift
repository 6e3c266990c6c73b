import Glibc

/// Replaces files the way proxies need them replaced: the new content goes to a temporary file in
/// the same directory, is flushed to disk, and is renamed over the target, so a reader (nginx at
/// a reload, or after a crash) sees the old file or the new one, never a mix.
package enum AtomicFile {
    /// The file's bytes, or `nil` when it does not exist.
    package static func read(_ path: String) throws(FileError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw FileError(path: path, operation: "open", code: errno)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read", code: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// Writes `bytes` to `path` atomically, with `mode` (readable by nginx workers by default).
    /// A `path` that is a symbolic link is written where it points (the link stays), and the
    /// temporary file is created exclusively (`mkstemp`), so a link planted at its name cannot
    /// redirect the write.
    package static func write(_ bytes: [UInt8], to path: String, mode: UInt32 = 0o644) throws(FileError) {
        let target = resolvingLinks(path)
        let directory = Appliers.directory(of: target)
        let name = target.split(separator: "/").last.map(String.init) ?? target
        var template = Array("\(directory)/.\(name).ballast-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileError(path: path, operation: "create a temporary file in the directory of", code: errno) }
        let staging = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                unlink(staging)
                throw FileError(path: path, operation: "write", code: code)
            }
            written += count
        }
        // mkstemp creates the file 0600.
        fchmod(descriptor, mode_t(mode))
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            unlink(staging)
            throw FileError(path: path, operation: "fsync", code: code)
        }
        close(descriptor)
        if rename(staging, target) != 0 {
            let code = errno
            unlink(staging)
            throw FileError(path: path, operation: "replace", code: code)
        }
        // The rename itself is durable once the directory is flushed.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// `path` with symbolic links resolved when it exists, else as given.
    private static func resolvingLinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Puts back what `read` returned before a change: the old bytes, or no file if there was none.
    package static func restore(_ previous: [UInt8]?, to path: String) throws(FileError) {
        if let previous {
            try write(previous, to: path)
        } else {
            try remove(path)
        }
    }

    /// Removes `path`; a missing file is not an error.
    package static func remove(_ path: String) throws(FileError) {
        if unlink(path) != 0 && errno != ENOENT { throw FileError(path: path, operation: "remove", code: errno) }
    }
}

/// A file operation that failed, with the system's reason.
package struct FileError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var operation: String
    package var code: Int32

    package var description: String {
        "could not \(operation) \(path): \(String(cString: strerror(code)))"
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A file a command reads, opened with POSIX calls so that everything a user can name works the
/// same: a regular file, a FIFO, `/dev/stdin`, `-` for standard input, a process substitution.
/// Foundation's `Data(contentsOf:)` refuses non-regular files ("You don't have permission") and
/// its `FileHandle.readData` traps on a read error; here every failure is an `InputFileError`
/// saying `PATH: what is wrong`.
package final class InputFile {
    package let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` (`-` is standard input); a directory is refused at once.
    package init(_ path: String) throws(InputFileError) {
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        } else {
            let opened = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else { throw InputFileError(path: path, errno: errno) }
            descriptor = opened
            ownsDescriptor = true
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            if ownsDescriptor { close(descriptor) }
            throw InputFileError(path: path, reason: "is a directory; give a file")
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The size of a regular file, for progress reports; nil for a stream.
    package var regularFileSize: Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// Up to `count` bytes; empty at the end of the file.
    package func read(upTo count: Int) throws(InputFileError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, count) }
            if got >= 0 {
                buffer.removeLast(count - got)
                return buffer
            }
            if errno != EINTR { throw InputFileError(path: path, errno: errno) }
        }
    }

    /// Everything to the end of the file.
    package func readAll() throws(InputFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let piece = try read(upTo: 1 << 20)
            if piece.isEmpty { return bytes }
            bytes += piece
        }
    }

    /// All of `path` (`-` is standard input).
    package static func bytes(_ path: String) throws(InputFileError) -> [UInt8] {
        try InputFile(path).readAll()
    }

    /// All of `path` as UTF-8 text; invalid UTF-8 is an error, not replacement characters.
    package static func text(_ path: String) throws(InputFileError) -> String {
        let bytes = try bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputFileError(path: path, reason: "is not UTF-8 text: \(firstInvalidUTF8(bytes))")
        }
        return text
    }

    /// Where the first byte that is not UTF-8 is, as an editor would find it.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> String {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var (offset, line, lineStart) = (0, 1, 0)
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                if scalar.count == 1 && scalar.first == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = offset + 1
                }
                offset += scalar.count
            case .error(let length):
                let byte = String(bytes[offset], radix: 16, uppercase: true)
                return
                    "byte 0x\(byte.count == 1 ? "0" + byte : byte) at line \(line), column \(offset - lineStart + 1) (\(length) byte(s) that are not UTF-8)"
            case .emptyInput:
                return "no invalid byte found"
            }
        }
    }
}

/// Why a file could not be read, as `PATH: reason` with what to do where that is clear.
package struct InputFileError: Error, CustomStringConvertible, Sendable, Equatable {
    package var path: String
    package var reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, errno code: Int32) {
        self.path = path
        switch code {
        case ENOENT: reason = "no such file; check the path"
        case EACCES, EPERM: reason = "permission denied; check the file's permissions"
        case EISDIR: reason = "is a directory; give a file"
        default: reason = "cannot be read: \(String(cString: strerror(code)))"
        }
    }

    package var description: String { "\(path): \(reason)" }
}

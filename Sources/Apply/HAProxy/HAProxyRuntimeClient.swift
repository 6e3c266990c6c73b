import Dispatch
import Glibc
package import Policy

/// Speaks HAProxy's Runtime API (the `stats socket`, unix or TCP): one command per connection in
/// non-interactive mode, answered and closed by HAProxy. The blocking socket calls run on a
/// dispatch queue, never on the concurrency pool, and every call is bounded by `timeout`.
package struct HAProxyRuntimeClient: Sendable {
    package var endpoint: HAProxyApply.Endpoint
    package var timeout: Duration
    /// The largest answer read (`show servers state` of a large backend stays far below it).
    package var answerLimit = 8 << 20

    package init(endpoint: HAProxyApply.Endpoint, timeout: Duration) {
        self.endpoint = endpoint
        self.timeout = timeout
    }

    /// Sends one command line and returns HAProxy's answer. Commands are built by Ballast from
    /// validated names and addresses; a line break could smuggle a second command, so it is refused.
    package func send(_ command: String) async throws(HAProxyError) -> String {
        guard !command.contains(where: { $0 == "\n" || $0 == "\r" || $0 == ";" }) else {
            throw HAProxyError.unsafeCommand(command)
        }
        let client = self
        let result: Result<String, HAProxyError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(HAProxyError) in try client.exchange(command) })
            }
        }
        return try result.get()
    }

    private func exchange(_ command: String) throws(HAProxyError) -> String {
        // One deadline for the whole exchange: a peer trickling bytes cannot stretch it.
        let deadline = ContinuousClock.now + timeout
        let descriptor = try connectSocket()
        defer { close(descriptor) }
        var line = Array((command + "\n").utf8)
        var sent = 0
        while sent < line.count {
            let count = line.withUnsafeMutableBytes { Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw HAProxyError.io(endpoint: "\(endpoint)", reason: Self.reason(errno))
            }
            sent += count
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw HAProxyError.timedOut(endpoint: "\(endpoint)", command: command) }
            setTimeouts(descriptor, remaining)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw HAProxyError.timedOut(endpoint: "\(endpoint)", command: command) }
                throw HAProxyError.io(endpoint: "\(endpoint)", reason: Self.reason(errno))
            }
            if count == 0 { break }
            answer.append(contentsOf: buffer[0..<count])
            if answer.count > answerLimit { throw HAProxyError.io(endpoint: "\(endpoint)", reason: "answer larger than \(answerLimit) bytes") }
        }
        return String(decoding: answer, as: UTF8.self)
    }

    private func connectSocket() throws(HAProxyError) -> Int32 {
        let descriptor: Int32
        var status: Int32
        switch endpoint {
        case .socket(let path):
            descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw HAProxyError.io(endpoint: path, reason: Self.reason(errno)) }
            setTimeouts(descriptor)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                close(descriptor)
                throw HAProxyError.io(endpoint: path, reason: "the socket path is longer than 107 bytes")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        case .address(let address):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var results: UnsafeMutablePointer<addrinfo>?
            let host = address.hostForConnecting
            guard getaddrinfo(host, String(address.port), &hints, &results) == 0, let first = results else {
                throw HAProxyError.io(endpoint: "\(address)", reason: "cannot resolve \(host)")
            }
            defer { freeaddrinfo(results) }
            descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), first.pointee.ai_protocol)
            guard descriptor >= 0 else { throw HAProxyError.io(endpoint: "\(address)", reason: Self.reason(errno)) }
            setTimeouts(descriptor)
            status = connect(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen)
        }
        if status != 0 {
            let code = errno
            close(descriptor)
            throw HAProxyError.io(endpoint: "\(endpoint)", reason: Self.reason(code))
        }
        return descriptor
    }

    /// Bounds connect, send and the next recv (Linux applies SO_SNDTIMEO to connect); at least
    /// 1 ms, since 0 would mean no bound at all.
    private func setTimeouts(_ descriptor: Int32, _ limit: Duration? = nil) {
        let (seconds, attoseconds) = (limit ?? timeout).components
        var value = timeval(tv_sec: Int(seconds), tv_usec: max(Int(attoseconds / 1_000_000_000_000), seconds == 0 ? 1000 : 0))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// Why HAProxy does not carry a change.
package enum HAProxyError: Error, Sendable, CustomStringConvertible {
    case io(endpoint: String, reason: String)
    case timedOut(endpoint: String, command: String)
    case unsafeCommand(String)
    case refused(command: String, answer: String)
    case unknownBackend(String, answer: String)
    case noServer(backend: String, address: BackendAddress)
    case fragmentRefused(path: String, detail: String)
    case noBackends(pool: String)

    package var description: String {
        switch self {
        case .io(let endpoint, let reason):
            "cannot talk to the HAProxy Runtime API at \(endpoint): \(reason); check `stats socket ... level admin` in haproxy.cfg"
        case .timedOut(let endpoint, let command):
            "the HAProxy Runtime API at \(endpoint) did not answer \(command.quotedForMessage) in time"
        case .unsafeCommand(let command):
            "refused to send \(command.quotedForMessage): a Runtime API command must be one line without ';'"
        case .refused(let command, let answer):
            "HAProxy refused \(command.quotedForMessage): \(answer.trimmingNewlines)"
        case .unknownBackend(let backend, let answer):
            "HAProxy has no backend \(backend.quotedForMessage) (\(answer.trimmingNewlines)); check apply.haproxy.backend"
        case .noServer(let backend, let address):
            "HAProxy backend \(backend) has no server at \(address) even after `add server`; check the backend's algorithm allows dynamic servers"
        case .noBackends(let pool):
            "pool \(pool) has no backends to route to; HAProxy keeps its servers (a pool is never emptied)"
        case .fragmentRefused(let path, let detail):
            "the HAProxy configuration check refused the new \(path) (\(detail)); the previous file was restored"
        }
    }
}

extension String {
    /// An answer on one line, for messages.
    var trimmingNewlines: String {
        split(whereSeparator: \.isNewline).joined(separator: "; ")
    }
}

extension BackendAddress {
    /// The host as `getaddrinfo` takes it (IPv6 without brackets).
    var hostForConnecting: String {
        if case .ipv6(let text) = host { return text }
        return hostText
    }
}

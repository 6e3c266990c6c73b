import Foundation
import Synchronization

/// A bare HTTP/1.1 GET with `Connection: close` over a fresh loopback connection per request, so
/// a proxy balances every request on its own (no keep-alive pinning a request to an old nginx
/// worker after a reload).
public enum HTTPProbe {
    /// The response body of `GET path` on `127.0.0.1:port`, or `nil` when the connection fails.
    public static func get(port: Int, path: String = "/") -> String? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 200"), let split = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[split.upperBound...])
    }

    /// How many of `count` requests each body answered (`nil` counts failures as "").
    public static func tally(port: Int, count: Int) -> [String: Int] {
        var tally: [String: Int] = [:]
        for _ in 0..<count { tally[get(port: port) ?? "", default: 0] += 1 }
        return tally
    }
}

/// Requests sent back to back, each on its own connection, on a thread of its own while a test
/// changes the proxy, counting the answers that were not a 200 with a body.
public final class HTTPLoad: Sendable {
    private let counts = Mutex<(ok: Int, failed: Int, running: Bool)>((0, 0, true))
    private let finished = DispatchSemaphore(value: 0)

    public init(port: Int) {
        Thread.detachNewThread { [self] in
            while counts.withLock({ $0.running }) {
                let ok = HTTPProbe.get(port: port) != nil
                counts.withLock { counts in
                    if ok {
                        counts.ok += 1
                    } else {
                        counts.failed += 1
                    }
                }
            }
            finished.signal()
        }
    }

    /// Stops the load and returns how many requests succeeded and failed.
    public func stop() -> (ok: Int, failed: Int) {
        counts.withLock { $0.running = false }
        finished.wait()
        return counts.withLock { ($0.ok, $0.failed) }
    }
}

import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Scrape targets that misbehave, for the collector's robustness tests: a Python HTTP server on
/// a loopback port whose paths each do one thing wrong (or right).
///
/// - `/ok`: a valid text exposition;
/// - `/hang`: accepts and never answers;
/// - `/endless`: streams an exposition that never ends;
/// - `/garbage`: 200 with bytes that are no exposition;
/// - `/error`: 500;
/// - `/json`: a valid exposition labelled `application/json`;
/// - `/slow`: answers after `slowSeconds`;
/// - `/auth`: the exposition for `Authorization: Bearer s3cret` or basic `user:s3cret`, else 401;
/// - `/echo`: an exposition whose `header` samples carry the request's headers as labels.
public final class HostileTargets {
    public let port: Int
    private let process = Process()

    private static let script = """
        import http.server, sys, time
        slow = float(sys.argv[2])
        body = b'# TYPE ok_total counter\\nok_total 1\\nok_gauge{kind="a"} 2\\n'
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            def reply(self, code, kind, data):
                self.send_response(code)
                self.send_header('Content-Type', kind)
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def do_GET(self):
                path = self.path.split('?')[0]
                text = 'text/plain; version=0.0.4'
                if path == '/ok': self.reply(200, text, body)
                elif path == '/hang': time.sleep(3600)
                elif path == '/auth':
                    given = self.headers.get('Authorization', '')
                    if given in ('Bearer s3cret', 'Basic dXNlcjpzM2NyZXQ='): self.reply(200, text, body)
                    else: self.reply(401, 'text/plain', b'who are you\\n')
                elif path == '/echo':
                    lines = ''.join('header{name="%s",value="%s"} 1\\n' % (k.lower(), v.replace('\\\\', '').replace('"', '')) for k, v in self.headers.items())
                    lines += 'query{value="%s"} 1\\n' % self.path.split('?', 1)[-1].replace('"', '')
                    self.reply(200, text, lines.encode())
                elif path == '/slow': time.sleep(slow); self.reply(200, text, body)
                elif path == '/garbage': self.reply(200, text, b'\\x00\\xff{{{ not metrics }}}\\n')
                elif path == '/error': self.reply(500, 'text/plain', b'boom\\n')
                elif path == '/json': self.reply(200, 'application/json', body)
                elif path == '/endless':
                    self.send_response(200)
                    self.send_header('Content-Type', text)
                    self.end_headers()
                    line = b'endless_metric{i="%d"} 1\\n'
                    i = 0
                    try:
                        while True:
                            self.wfile.write(line % i)
                            i += 1
                    except Exception:
                        pass
                else: self.reply(404, 'text/plain', b'no\\n')
            def log_message(self, *args): pass
        http.server.ThreadingHTTPServer.daemon_threads = True
        http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
        """

    /// Starts the server; `slowSeconds` is how long `/slow` takes.
    public init(port: Int, slowSeconds: Double = 0.2) async throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: MetricsFileServer.pythonPath)
        process.arguments = ["-c", Self.script, "\(port)", "\(slowSeconds)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let url = URL(string: "http://127.0.0.1:\(port)/ok")!
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw PeerError(message: "the hostile target server did not start on port \(port)")
    }

    /// The URL of `path` on this server.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

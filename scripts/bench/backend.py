# A minimal backend for the benchmarks: `python3 backend.py PORT [NAME] [--random]` serves
# `backend_utilization` at /metrics (0.5, or a fresh random value at each scrape with --random, so
# weights move at every evaluation) and NAME at any other path (which backend a proxy picked).
import http.server, random, sys

port = int(sys.argv[1])
name = (sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith('--') else 'backend').encode()
moving = '--random' in sys.argv


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        if self.path.startswith('/metrics'):
            value = random.uniform(0.1, 0.9) if moving else 0.5
            body = ('# TYPE backend_utilization gauge\nbackend_utilization %.3f\n' % value).encode()
        else:
            body = name
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; version=0.0.4')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler).serve_forever()

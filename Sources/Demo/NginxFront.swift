/// nginx in front of a pool on loopback, as the demo and the end-to-end benchmarks run it: its
/// configuration in one directory (pid, logs, temp paths), the upstream in an included file
/// Ballast's applier rewrites (`web.upstream.conf`), and that file's template.
package enum NginxFront {
    /// Upstream connections are kept alive, as in production: without it, nginx opens one
    /// loopback connection per request and a peak of hundreds of requests/s runs out of ports.
    package static let upstreamTemplate = """
        upstream {{upstream}} {
            {{balance}}
            {{servers}}
            keepalive 64;
        }

        """

    /// `nginx.conf` for a proxy on 127.0.0.1:`proxyPort` over the upstream `web` in
    /// `directory/web.upstream.conf`; a 503 (a full sim backend queue) is retried elsewhere.
    package static func config(directory: String, proxyPort: Int) -> String {
        """
        daemon off;
        worker_processes 2;
        pid \(directory)/nginx.pid;
        error_log \(directory)/nginx-error.log warn;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path \(directory)/client_temp;
            proxy_temp_path \(directory)/proxy_temp;
            fastcgi_temp_path \(directory)/fastcgi_temp;
            uwsgi_temp_path \(directory)/uwsgi_temp;
            scgi_temp_path \(directory)/scgi_temp;
            include \(directory)/web.upstream.conf;
            server {
                listen 127.0.0.1:\(proxyPort);
                location / {
                    proxy_pass http://web;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_next_upstream error timeout http_503;
                }
            }
        }

        """
    }
}

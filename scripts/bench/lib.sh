# Shared by the benchmarks that run `ballast run` beside real peers (source it after `cd` to the
# repository): the release build, a work directory removed at exit with every process started,
# and nginx serving one exposition on many loopback ports.

# Builds the release binary into .build-bench and sets `ballast`, `work` and `pids`; processes
# appended to `pids` get BENCH_KILL_SIGNAL (default TERM) at exit.
bench_setup() {
    swift build -c release --static-swift-stdlib --product ballast --scratch-path .build-bench >/dev/null
    ballast=$PWD/.build-bench/release/ballast
    work=$(mktemp -d)
    # nginx's workers run as an unprivileged user: they must be able to read the work directory.
    chmod 755 "$work"
    pids=()
    trap bench_cleanup EXIT
}

bench_cleanup() {
    for pid in "${pids[@]}"; do kill "-${BENCH_KILL_SIGNAL:-TERM}" "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}

# serve_exposition FILE BASE_PORT COUNT: nginx on COUNT ports from BASE_PORT, each serving FILE at
# /metrics with the text format's Content-Type.
serve_exposition() {
    chmod 644 "$1"
    {
        echo "worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log;"
        echo "events { worker_connections 4096; }"
        echo "http { access_log off; client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;"
        echo "  types { } default_type 'text/plain; version=0.0.4; charset=utf-8';"
        for i in $(seq 0 $(($3 - 1))); do
            echo "  server { listen 127.0.0.1:$(($2 + i)); location = /metrics { alias $1; } }"
        done
        echo "}"
    } >"$work/nginx.conf"
    mkdir -p "$work/tmp"
    nginx -c "$work/nginx.conf"
}

# loopback_addresses BASE_PORT COUNT: "127.0.0.1:P1","127.0.0.1:P2",... for YAML lists.
loopback_addresses() {
    local list
    list=$(for i in $(seq 0 $(($2 - 1))); do printf '"127.0.0.1:%d",' $(($1 + i)); done)
    echo "${list%,}"
}

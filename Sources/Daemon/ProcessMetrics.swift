#if canImport(Glibc)
import Glibc
#endif

/// The `process_*` series Prometheus' client libraries expose, read from `/proc/self`, so a
/// dashboard or alert written for any exporter's process works for Ballast too.
package enum ProcessMetrics {
    /// Appends the text-format families to `buffer`.
    package static func append(to buffer: inout [UInt8]) {
        func add(_ name: String, _ type: String, _ help: String, _ value: Double) {
            buffer.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(format(value))\n".utf8)
        }
        if let stat = readFile("/proc/self/stat"), let close = stat.lastIndex(of: ")") {
            // Fields after the command (which may hold spaces): field 3 is the state.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            let page = Double(sysconf(Int32(_SC_PAGESIZE)))
            if fields.count > 21, let user = Double(fields[11]), let system = Double(fields[12]), let start = Double(fields[19]),
                let virtual = Double(fields[20]), let resident = Double(fields[21])
            {
                add("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", (user + system) / ticks)
                add("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", resident * page)
                add("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtual)
                add("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", bootTime() + start / ticks)
            }
        }
        // Left out rather than reported as 0 when /proc/self/fd cannot be read (no descriptor
        // left to open it: exactly when the figure matters).
        if let open = openDescriptors() {
            add("process_open_fds", "gauge", "Number of open file descriptors.", Double(open))
        }
        if let limit = maximumDescriptors() {
            add("process_max_fds", "gauge", "Maximum number of open file descriptors.", limit)
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func bootTime() -> Double {
        for line in (readFile("/proc/stat") ?? "").split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6)) ?? 0
        }
        return 0
    }

    private static func openDescriptors() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if withUnsafeBytes(of: entry.pointee.d_name, { $0[0] != UInt8(ascii: ".") }) { count += 1 }
        }
        return count - 1
    }

    private static func maximumDescriptors() -> Double? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return Double(limit.rlim_cur)
    }

    /// A small `/proc` file read whole (procfs reports size 0, so read until the end).
    private static func readFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

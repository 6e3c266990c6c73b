import Foundation

/// The proxy the demo puts in front of the pool: nginx (Ballast rewrites its upstream file and
/// reloads it) or, where nginx is not installed, HAProxy (Ballast changes it through the
/// Runtime API).
package enum DemoProxy: Sendable, Equatable {
    case nginx(String)
    case haproxy(String)

    /// `preferred` (`nginx` or `haproxy`) when it is installed; with no preference nginx, else
    /// HAProxy; nil when neither is.
    package static func find(_ preferred: String?) -> DemoProxy? {
        switch preferred {
        case "nginx": executable("nginx").map(DemoProxy.nginx)
        case "haproxy": executable("haproxy").map(DemoProxy.haproxy)
        default: executable("nginx").map(DemoProxy.nginx) ?? executable("haproxy").map(DemoProxy.haproxy)
        }
    }

    package var name: String {
        switch self {
        case .nginx: "nginx"
        case .haproxy: "HAProxy"
        }
    }

    /// `name` from Debian's package (in sbin) or on PATH.
    package static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = ["/usr/sbin/\(name)", "/usr/local/sbin/\(name)"] + path.split(separator: ":").map { "\($0)/\(name)" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

import Policy

extension PolicyBuilder {
    mutating func buildApply(_ object: CheckedObject) -> ApplySettings {
        let nginx = object.object("nginx").flatMap { nginx -> NginxApply? in
            guard let file = nginx.text("file"), let upstream = nginx.text("upstream") else { return nil }
            let defaults = NginxApply(file: file, upstream: upstream)
            return NginxApply(
                file: file,
                upstream: upstream,
                test: nginx.argv("test") ?? defaults.test,
                reload: nginx.argv("reload") ?? defaults.reload
            )
        }
        let haproxy = object.object("haproxy").flatMap { haproxy -> HAProxyApply? in
            let endpointKey = requireOne(of: ["socket", "address"], in: haproxy, what: "apply.haproxy")
            guard let backend = haproxy.text("backend") else { return nil }
            switch endpointKey {
            case "socket": return haproxy.text("socket").map { HAProxyApply(endpoint: .socket($0), backend: backend) }
            case "address": return haproxy.address("address").map { HAProxyApply(endpoint: .address($0), backend: backend) }
            default: return nil
            }
        }
        return ApplySettings(nginx: nginx, haproxy: haproxy, exec: object.object("exec").flatMap(buildHook))
    }

    mutating func buildReplay(_ object: CheckedObject) -> ReplaySettings {
        var signals: [ReplaySignal] = []
        for entry in object.map("signals") ?? [] {
            guard case .text(let name) = entry.key.value, case .text(let word) = entry.value.value, let output = ReplayModelOutput(rawValue: word)
            else {
                continue
            }
            requireSignal(name, at: entry.key.position, usedBy: "replay.signals")
            signals.append(ReplaySignal(signal: name, output: output))
        }
        return ReplaySettings(signals: signals, load: object.text("load"))
    }
}

import Policy

/// Collects the problems found while the key tables build a ``PoolPolicy`` from a checked tree,
/// with the checks their sections share: min ≤ max, references to defined signals, one-of keys.
struct PolicyBuilder {
    /// The problems found so far.
    private(set) var problems: [(SourcePosition, String)] = []
    /// Names defined under `signals`, in file order; known before any section is built, since a
    /// rule may refer to a signal defined further down the file.
    let signalNames: [String]
    /// Whether a `signals_from` outside the policy (the daemon's configuration) applies to it.
    var sharedSignalsFrom = true

    init(root: CheckedObject) {
        signalNames = root.map("signals")?.compactMap { if case .text(let name) = $0.key.value { name } else { nil } } ?? []
    }

    mutating func report(_ message: String, at position: SourcePosition) {
        problems.append((position, message))
    }

    /// Reports a duration of zero where one would mean "never" or "no time at all" (an interval,
    /// a timeout).
    mutating func requireLongerThanZero(_ key: String, _ value: PolicyDuration, in object: CheckedObject) {
        guard value == .zero, !object.isInvalid(key) else { return }
        report("\(object.path(key)) must be longer than 0s", at: object.position(of: key))
    }

    /// Reports `name` at `position` unless it is defined under `signals`.
    mutating func requireSignal(_ name: String, at position: SourcePosition, usedBy keyPath: String) {
        guard !signalNames.contains(name) else { return }
        let hint: String
        if let typo = Spelling.hint(for: name, among: signalNames) {
            hint = typo
        } else if signalNames.isEmpty {
            hint = "; define it under signals with a PromQL expression"
        } else {
            hint = "; defined signals: \(signalNames.joined(separator: ", "))"
        }
        report("\(keyPath) refers to signal \(name.quotedForMessage), which is not defined under signals\(hint)", at: position)
    }

    /// Reports when `lower` exceeds `upper` (either may be a default); skipped when either key's own
    /// value was invalid, since that is already reported.
    mutating func requireOrdered<T: Comparable & CustomStringConvertible>(
        _ lowerKey: String,
        _ lower: T?,
        _ upperKey: String,
        _ upper: T?,
        in object: CheckedObject
    ) {
        guard let lower, let upper, lower > upper, !object.isInvalid(lowerKey), !object.isInvalid(upperKey) else { return }
        report(
            "\(object.path(upperKey)) (\(Self.format(upper))) must not be less than \(object.path(lowerKey)) (\(Self.format(lower)))",
            at: object.position(of: upperKey)
        )
    }

    private static func format(_ value: some CustomStringConvertible) -> String {
        (value as? Double)?.compact ?? value.description
    }

    /// Reports unless exactly one of `keys` is present; returns the present one.
    mutating func requireOne(of keys: [String], in object: CheckedObject, what: String) -> String? {
        let present = keys.filter(object.has)
        if present.count == 1 { return present[0] }
        let list = keys.map { "\"\($0)\"" }.joined(separator: ", ")
        if present.isEmpty {
            report("\(what) needs one of \(list)", at: object.position)
        } else {
            report("\(what) takes only one of \(list)", at: object.position(of: present[1]))
        }
        return nil
    }

    /// The addresses of `items` in order, each reported and dropped after its first listing.
    mutating func unique(_ items: [Checked], what: String, in keyPath: String) -> [BackendAddress] {
        var addresses: [BackendAddress] = []
        var seen: Set<BackendAddress> = []
        for item in items {
            guard case .address(let address) = item.value else { continue }
            if seen.insert(address).inserted {
                addresses.append(address)
            } else {
                report("\(what) \(address) is listed twice in \(keyPath)", at: item.position)
            }
        }
        return addresses
    }
}

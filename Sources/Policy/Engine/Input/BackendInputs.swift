/// Each backend's signals in one evaluation, by position in the state's backend array: its own
/// entry in ``PoolSignals/backends`` (one address hash per backend, made once), else for an
/// active member the signals every member reports. Copies nothing per backend when the pool
/// gives only the latter, as a replay does.
struct BackendInputs {
    private var own: [BackendSignals?] = []
    private let everyMember: BackendSignals?
    /// The active tier's positions, ascending.
    private let active: [Int]
    /// Whether every backend is active (no standby tier), the usual case.
    private let allActive: Bool

    init(own signals: [BackendAddress: BackendSignals], everyMember: BackendSignals?, active: [Int], backends: [BackendState]) {
        self.everyMember = everyMember
        self.active = active
        allActive = active.count == backends.count
        // By index: a closure over the elements would copy each backend's state.
        if !signals.isEmpty {
            own.reserveCapacity(backends.count)
            for index in backends.indices { own.append(signals[backends[index].address]) }
        }
    }

    subscript(index: Int) -> BackendSignals? {
        withSignals(index) { $0 }
    }

    /// Hands the signals of backend `index` to `body` without copying them, as the loops over
    /// every backend do.
    func withSignals<Result>(_ index: Int, _ body: (BackendSignals?) -> Result) -> Result {
        if !own.isEmpty && own[index] != nil { return body(own[index]) }
        return sharesEveryMember(index) ? body(everyMember) : body(nil)
    }

    /// Whether backend `index` reports the signals every member does: it is an active member
    /// and they are given.
    private func sharesEveryMember(_ index: Int) -> Bool {
        guard everyMember != nil else { return false }
        if allActive { return true }
        // Binary search: whether `index` is an active member.
        var (low, high) = (0, active.count)
        while low < high {
            let middle = (low + high) / 2
            if active[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low < active.count && active[low] == index
    }
}

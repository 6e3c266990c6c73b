/// Each backend's signals in one evaluation, by position in the state's backend array: its own
/// entry in ``PoolSignals/backends`` (one address hash per backend, made once), else for a
/// member the signals every member reports (``PoolSignals/everyMember``), whatever its tier (a
/// member also listed as standby included). Copies nothing per backend when the pool gives only
/// the latter, as a replay does.
struct BackendInputs {
    private var own: [BackendSignals?] = []
    private let everyMember: BackendSignals?
    /// Which positions are members, when some are not (standby backends); empty when all are.
    private var isMember: [Bool] = []

    init(own signals: [BackendAddress: BackendSignals], everyMember: BackendSignals?, members: [BackendAddress], backends: [BackendState]) {
        self.everyMember = everyMember
        // By index: a closure over the elements would copy each backend's state.
        if !signals.isEmpty {
            own.reserveCapacity(backends.count)
            for index in backends.indices { own.append(signals[backends[index].address]) }
        }
        // Without a standby tier every backend is a member.
        if everyMember != nil && backends.indices.contains(where: { backends[$0].tier == .standby }) {
            let memberSet = Set(members)
            isMember.reserveCapacity(backends.count)
            for index in backends.indices { isMember.append(memberSet.contains(backends[index].address)) }
        }
    }

    subscript(index: Int) -> BackendSignals? {
        withSignals(index) { $0 }
    }

    /// Hands the signals of backend `index` to `body` without copying them, as the loops over
    /// every backend do.
    func withSignals<Result>(_ index: Int, _ body: (BackendSignals?) -> Result) -> Result {
        if !own.isEmpty && own[index] != nil { return body(own[index]) }
        return everyMember != nil && (isMember.isEmpty || isMember[index]) ? body(everyMember) : body(nil)
    }
}

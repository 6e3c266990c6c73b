/// The process-wide turn for changing nginx: each pool's applier holds it from writing its file
/// until its reload (or restore) is done, in arrival order.
actor NginxChanges {
    static let shared = NginxChanges()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
    }

    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

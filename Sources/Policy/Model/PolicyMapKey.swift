/// The key of a map-shaped policy section (`signals`, `replay.signals`, `weights.static`), whose
/// keys are names or addresses the user chose rather than fixed field names.
struct PolicyMapKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) {
        self.stringValue = name
    }

    init(stringValue: String) {
        self.init(stringValue)
    }

    init?(intValue: Int) {
        nil
    }
}

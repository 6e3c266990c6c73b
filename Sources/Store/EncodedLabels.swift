/// A label set in its stored form (`Labels.encoded`), as a scrape hands a series without an id
/// to the store. The collector holds every new series' labels until the store has given it an
/// id, which at start-up is every series at once while the store creates them: this form is one
/// buffer (128 bytes by malloc for six labels) where `Labels` is an array of string pairs (240,
/// and 48 more for each value over 15 bytes).
package struct EncodedLabels: Sendable {
    /// The stored form; always decodes, as it is only built from `Labels`.
    let bytes: [UInt8]

    package init(_ labels: Labels) {
        bytes = labels.encoded
    }

    /// The label set.
    package var decoded: Labels {
        // Built only from `Labels` by `init`, never from stored or received bytes: it decodes.
        Labels(encoded: bytes)!
    }
}

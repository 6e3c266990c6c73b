import Store

extension Store {
    /// Appends with no clock bound: tests of the head's other rules write samples at small
    /// fixed times, far from any wall clock. The out-of-bounds rule has tests of its own.
    @discardableResult
    func append(_ samples: [LabeledSample]) throws(StoreError) -> AppendResult {
        try append(samples, now: .max)
    }
}

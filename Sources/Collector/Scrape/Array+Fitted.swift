extension Array {
    /// The elements in a buffer of their own size when the array has much more room than that.
    /// A target's series arrive together at its first scrape, and growth by doubling would keep
    /// up to half of each buffer empty for as long as the target is scraped.
    func fitted() -> [Element] {
        guard capacity > count + count / 4 + 16 else { return self }
        var copy: [Element] = []
        copy.reserveCapacity(count)
        copy.append(contentsOf: self)
        return copy
    }
}

public import Store

/// An instant vector selector: `name{matchers} offset d`. The metric name, when given, is
/// also one of the `matchers` (`__name__="name"`), so matching needs only the matchers.
public struct VectorSelector: Sendable, Hashable {
    public var name: String?
    public var matchers: [LabelMatcher]
    /// Milliseconds to look back from the evaluation time (`offset 5m`); negative looks ahead.
    public var offset: Int64
    /// `@ time`: the fixed time the offset counts back from, instead of each step's time.
    public var at: AtModifier?

    /// A selector; `matchers` must already include the name matcher when `name` is set.
    public init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0, at: AtModifier? = nil) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.at = at
    }
}

package import Store

/// An instant vector selector: `name{matchers} offset d`. The metric name, when given, is
/// also one of the `matchers` (`__name__="name"`), so matching needs only the matchers.
package struct VectorSelector: Sendable, Hashable {
    package var name: String?
    package var matchers: [LabelMatcher]
    /// Milliseconds to look back from the evaluation time (`offset 5m`); negative looks ahead.
    package var offset: Int64
    /// `@ time`: the fixed time the offset counts back from, instead of each step's time.
    package var at: AtModifier?

    /// A selector; `matchers` must already include the name matcher when `name` is set.
    package init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0, at: AtModifier? = nil) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.at = at
    }
}

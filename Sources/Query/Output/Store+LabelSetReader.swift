package import Store

/// The store answers the series and labels endpoints from its index.
extension Store: LabelSetReader {}

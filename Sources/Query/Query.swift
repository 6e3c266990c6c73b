// The PromQL engine lives here (see ARCHITECTURE.md).

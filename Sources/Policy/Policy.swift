// The policy model and decision engine live here (see ARCHITECTURE.md).

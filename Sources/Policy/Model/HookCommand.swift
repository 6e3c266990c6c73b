/// An external command Ballast runs, as an argument vector (never a shell string) with a timeout.
package struct HookCommand: Sendable, Hashable {
    /// The program and its arguments; the first element is the program.
    package var argv: [String]
    /// How long the command may run before it is terminated and counted as failed.
    package var timeout: PolicyDuration

    /// Creates a hook; the default timeout is 30 s.
    package init(argv: [String], timeout: PolicyDuration = .seconds(30)) {
        self.argv = argv
        self.timeout = timeout
    }
}

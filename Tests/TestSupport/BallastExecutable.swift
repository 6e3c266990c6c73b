import Foundation

/// Where the built `ballast` executable is, for tests that run it as a user would.
public enum BallastExecutable {
    /// `BALLAST_BINARY` when set, else `ballast` next to the test bundle (`swift build
    /// --build-tests` builds it); nil when neither exists, so suites can skip with a reason.
    public static let path: String? = {
        if let path = ProcessInfo.processInfo.environment["BALLAST_BINARY"] { return path }
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("ballast").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// Why a suite that needs the executable was skipped.
    public static let missingReason = "needs the ballast executable: run swift build --build-tests first"
}

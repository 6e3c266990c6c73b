/// The version Ballast reports: `User-Agent: Ballast/<version>` on scrapes, `ballast_build_info`,
/// `/api/v1/status/buildinfo`.
enum BallastVersion {
    static let current = "0.2.0"
}

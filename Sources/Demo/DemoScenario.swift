import Foundation

/// The demo's story in simulated proportions of its duration, so a 60 s run and a 10 min run
/// tell the same story: a daily-shaped load (a quiet morning, a peak, a quiet evening) and the
/// events a person watches the pool react to.
package struct DemoScenario: Sendable {
    /// One backend the demo starts: its name on screen, capacity and mean latency.
    package struct Backend: Sendable {
        package var name: String
        package var capacity: Double
        package var latencyMs: Double
    }

    /// Something done to the pool at a point of the story.
    package enum Beat: Sendable, Equatable {
        /// A backend's mean latency rises to this many ms (its workers stay, so capacity falls).
        case slow(backend: String, latencyMs: Double)
        /// A backend is killed (SIGKILL), as a crashed host.
        case kill(backend: String)
    }

    package struct Event: Sendable {
        /// When, as a share of the duration.
        package var at: Double
        package var beat: Beat
        package var caption: String
    }

    /// Unequal capacities: the third backend serves half what the others do.
    package static let active = [
        Backend(name: "b1", capacity: 200, latencyMs: 20),
        Backend(name: "b2", capacity: 200, latencyMs: 20),
        Backend(name: "b3", capacity: 100, latencyMs: 20),
    ]
    /// The standby tier, promoted when too few active backends are healthy.
    package static let standby = Backend(name: "s1", capacity: 200, latencyMs: 20)
    /// What a backend started by the scale hook serves.
    package static let scaled = Backend(name: "scaled", capacity: 200, latencyMs: 20)

    package static let events = [
        Event(at: 0.06, beat: .slow(backend: "b2", latencyMs: 60), caption: "b2 slows down: 20 ms → 60 ms per request, a third of its capacity"),
        Event(at: 0.80, beat: .kill(backend: "b1"), caption: "b1 dies (SIGKILL)"),
    ]

    /// The offered load in requests per second at `fraction` (0...1) of the story: 200 rps in
    /// the morning, a rise to a 600 rps peak from 12% to 27%, the peak held to 42%, a fall to
    /// 100 rps by 55%, quiet to the end; cosine ramps, as daily traffic curves are smooth.
    package static func load(at fraction: Double) -> Double {
        let segments: [(start: Double, end: Double, from: Double, to: Double)] = [
            (0, 0.12, 200, 200),
            (0.12, 0.27, 200, 600),
            (0.27, 0.42, 600, 600),
            (0.42, 0.55, 600, 100),
            (0.55, 1.0, 100, 100),
        ]
        let clamped = min(max(fraction, 0), 1)
        let segment = segments.first { clamped < $0.end } ?? segments[segments.count - 1]
        let progress = (clamped - segment.start) / (segment.end - segment.start)
        let eased = (1 - cos(progress * Double.pi)) / 2
        return segment.from + (segment.to - segment.from) * eased
    }
}

/// The policies `ballast tune` tries: every combination of `--vary PATH=V1,V2,...` lists, or with
/// `--random N`, N draws where `--vary PATH=LOW..HIGH` ranges are sampled uniformly (numbers,
/// or numbers with the same unit such as `30s..300s` or `10%..50%`) and lists pick one value.
/// Draws come from a fixed seed, so the same command tries the same policies.
package struct TuneSpace: Sendable {
    /// One `--vary`.
    package enum Dimension: Sendable, Hashable {
        case values(path: String, [String])
        case range(path: String, low: Double, high: Double, unit: String, integral: Bool)

        package var path: String {
            switch self {
            case .values(let path, _), .range(let path, _, _, _, _): path
            }
        }
    }

    package var dimensions: [Dimension]

    package init(dimensions: [Dimension]) {
        self.dimensions = dimensions
    }

    /// Parses `PATH=V1,V2` or `PATH=LOW..HIGH`; `nil` with the reason when malformed.
    package static func dimension(_ text: String) -> Result<Dimension, TuneSpaceError> {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            return .failure(TuneSpaceError("--vary takes PATH=V1,V2,... or PATH=LOW..HIGH, not \(text.debugDescription)"))
        }
        let path = String(text[..<equals])
        let spec = String(text[text.index(after: equals)...])
        if let dots = spec.firstRange(of: "..") {
            let (lowText, highText) = (String(spec[..<dots.lowerBound]), String(spec[dots.upperBound...]))
            guard let (low, lowUnit) = number(lowText), let (high, highUnit) = number(highText), lowUnit == highUnit, low < high else {
                return .failure(TuneSpaceError("\(path): a range is LOW..HIGH with LOW < HIGH and one unit, e.g. 0.4..0.8 or 30s..300s"))
            }
            // Whole bounds draw whole values; anything else (0.5, 1e-3) draws decimals.
            let integral = [low, high].allSatisfy { $0.rounded() == $0 && abs($0) < 1e15 }
            return .success(.range(path: path, low: low, high: high, unit: lowUnit, integral: integral))
        }
        let values = spec.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !values.isEmpty, !values.contains(where: \.isEmpty) else { return .failure(TuneSpaceError("\(path): give at least one value")) }
        return .success(.values(path: path, values))
    }

    /// The variants: each a value per path, in `--vary` order.
    package func variants(random count: Int?) throws(TuneSpaceError) -> [[(path: String, value: String)]] {
        guard let count else {
            var variants: [[(path: String, value: String)]] = [[]]
            for dimension in dimensions {
                guard case .values(let path, let values) = dimension else {
                    throw TuneSpaceError("\(dimension.path): a LOW..HIGH range needs --random N")
                }
                variants = variants.flatMap { variant in values.map { variant + [(path, $0)] } }
            }
            return variants
        }
        var generator = SplitMix(seed: 0x6261_6C6C_6173_74)
        return (0..<count).map { _ in
            dimensions.map { dimension in
                switch dimension {
                case .values(let path, let values):
                    return (path, values[Int(generator.next() % UInt64(values.count))])
                case .range(let path, let low, let high, let unit, let integral):
                    let fraction = Double(generator.next() >> 11) / Double(1 << 53)
                    let value = low + (high - low) * fraction
                    // Four decimals: what a policy would say, and what reads back the same.
                    return (path, (integral ? "\(Int(value.rounded()))" : "\((value * 10_000).rounded() / 10_000)") + unit)
                }
            }
        }
    }

    /// A number and the unit after it (`30s` → (30, "s"), `0.5` → (0.5, "")).
    private static func number(_ text: String) -> (Double, String)? {
        let digits = text.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" }
        guard let value = Double(digits), value.isFinite else { return nil }
        return (value, String(text.dropFirst(digits.count)))
    }
}

/// A `--vary` that cannot be used.
package struct TuneSpaceError: Error, Sendable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// SplitMix64: a tiny, seedable generator, so `--random` draws are the same on every run.
private struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

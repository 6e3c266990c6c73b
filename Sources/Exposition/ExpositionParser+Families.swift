#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExpositionParser {
    /// Resolves the sample's family, runs the per-family checks and hands the sample over.
    mutating func deliverSample<V: ExpositionVisitor>(
        _ line: UnsafePointer<UInt8>,
        name: ByteSpan,
        value: Double,
        at valueStart: UnsafePointer<UInt8>,
        timestamp: Int64?,
        into visitor: inout V
    ) throws {
        let nameBytes = bytes(name, line: line)
        let family: Int
        let role: SampleRole
        if openMetrics {
            (family, role) = try resolveOpenMetricsFamily(nameBytes)
        } else {
            if let cached = nameCache.lookup(nameBytes) {
                family = cached.family
                role = cached.role
            } else {
                (family, role) = resolveTextSampleFamily(nameBytes)
            }
        }
        let type = families[family].type ?? .unknown
        if openMetrics {
            // Prometheus checks none of the other OpenMetrics rules; by default, neither does Ballast.
            if strict {
                try checkOpenMetricsSample(
                    line,
                    OpenMetricsSample(family: family, type: type, role: role, value: value, timestamp: timestamp),
                    valueStart
                )
            }
        } else if strict && (type == .histogram || type == .summary) {
            try checkTextSample(line, family: family, type: type, role: role)
        }
        let sample = SampleView(
            line: line,
            scratch: scratch.base,
            labelSpans: labels.base,
            nameSpan: name,
            labelCount: labels.count,
            value: value,
            timestampMs: timestamp,
            type: type,
            familyName: families.name(family),
            lineNumber: lineNumber
        )
        try visitor.visitSample(sample)
        sampleCount += 1
    }

    // MARK: - Text format

    /// Finds the family a sample name belongs to as Prometheus's expfmt does: the exact name, or
    /// the summary or histogram it is a `_sum`/`_count`/`_bucket` of; otherwise a new untyped one.
    private mutating func resolveTextSampleFamily(_ name: UnsafeBufferPointer<UInt8>) -> (Int, SampleRole) {
        let (family, role) = resolveTextName(name)
        families[family].hasSamples = true
        if families[family].type == nil { families[family].type = .unknown }
        nameCache.insert(name, family: family, role: role)
        return (family, role)
    }

    mutating func resolveTextName(_ name: UnsafeBufferPointer<UInt8>) -> (Int, SampleRole) {
        if let family = families.find(name) { return (family, .plain) }
        let candidates: [(StaticString, SampleRole, MetricType)] = [
            ("_count", .count, .summary), ("_sum", .sum, .summary),
            ("_count", .count, .histogram), ("_sum", .sum, .histogram), ("_bucket", .bucket, .histogram),
        ]
        for (suffix, role, type) in candidates {
            if let base = strip(suffix, from: name), let family = families.find(base), families[family].type == type {
                return (family, role)
            }
        }
        return (families.insert(name, type: nil), .plain)
    }

    func strip(_ suffix: StaticString, from name: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let length = suffix.utf8CodeUnitCount
        guard name.count > length, hasSuffix(suffix, name) else { return nil }
        return UnsafeBufferPointer(rebasing: name[0..<(name.count - length)])
    }

    /// Whether `name` ends with `suffix` (or is it).
    func hasSuffix(_ suffix: StaticString, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = suffix.utf8CodeUnitCount
        return name.count >= length && memcmp(name.baseAddress! + name.count - length, suffix.utf8Start, length) == 0
    }

    /// Text-format checks of histograms and summaries: numeric `le`/`quantile`, buckets sorted and
    /// ending with `+Inf`.
    private mutating func checkTextSample(_ line: UnsafePointer<UInt8>, family: Int, type: MetricType, role: SampleRole) throws {
        let special: StaticString = type == .histogram ? "le" : "quantile"
        let index = labelIndex(special, line: line)
        var bound: Double?
        if index >= 0 {
            bound = try numericLabel(line, index)
        }
        guard type == .histogram && (role == .bucket || role == .sum || role == .count) else { return }
        if role == .bucket && bound == nil {
            throw error(at: lineStart, "histogram bucket without an le label")
        }
        let key = labelSignature(line, excluding: index) &+ UInt64(family) &* 0x9E37_79B9_7F4A_7C15
        if let previous = series.recordHistogram(key: key, family: family, bound: role == .bucket ? bound : nil, line: lineNumber) {
            throw error(
                at: lineStart,
                "histogram buckets out of order: le=\(SampleValueFormat.string(for: bound!)) after le=\(SampleValueFormat.string(for: previous)); sort buckets by le"
            )
        }
    }

    /// At the end of a text exposition: every histogram series needs its `+Inf` bucket.
    func checkHistograms() throws {
        guard strict, let missing = series.histogramMissingInfinity() else { return }
        throw ExpositionError(
            line: missing.firstLine,
            column: 1,
            message:
                "histogram \(String(decoding: families.name(missing.family), as: UTF8.self)) has a series without an le=\"+Inf\" bucket; every histogram needs one"
        )
    }

    // MARK: - OpenMetrics

    private mutating func resolveOpenMetricsFamily(_ name: UnsafeBufferPointer<UInt8>) throws -> (Int, SampleRole) {
        if currentFamily >= 0, let role = openMetricsRole(name, family: currentFamily) ?? prometheusRole(name) {
            families[currentFamily].hasSamples = true
            return (currentFamily, role)
        }
        try startOpenMetricsFamily(name, declared: false)
        families[currentFamily].hasSamples = true
        return (currentFamily, .plain)
    }

    /// Prometheus does not check sample suffixes: by default, a sample named like its family (a
    /// counter `x` instead of `x_total`) stays in it.
    private func prometheusRole(_ name: UnsafeBufferPointer<UInt8>) -> SampleRole? {
        guard !strict else { return nil }
        let current = families.name(currentFamily)
        return current.count == name.count && memcmp(current.baseAddress!, name.baseAddress!, name.count) == 0 ? .plain : nil
    }

    /// Which samples a family of each type holds, by name suffix.
    func openMetricsRole(_ name: UnsafeBufferPointer<UInt8>, family: Int) -> SampleRole? {
        let base = families.name(family)
        let type = families[family].type ?? .unknown
        guard name.count >= base.count, memcmp(name.baseAddress!, base.baseAddress!, base.count) == 0 else { return nil }
        let suffix = UnsafeBufferPointer(rebasing: name[base.count...])
        func matches(_ candidate: StaticString) -> Bool {
            suffix.count == candidate.utf8CodeUnitCount && memcmp(suffix.baseAddress!, candidate.utf8Start, suffix.count) == 0
        }
        switch type {
        case .unknown, .gauge, .stateSet:
            return suffix.isEmpty ? .plain : nil
        case .counter:
            return matches("_total") ? .total : matches("_created") ? .created : nil
        case .info:
            return matches("_info") ? .plain : nil
        case .summary:
            if suffix.isEmpty { return .plain }
            return matches("_sum") ? .sum : matches("_count") ? .count : matches("_created") ? .created : nil
        case .histogram:
            if matches("_bucket") { return .bucket }
            return matches("_sum") ? .sum : matches("_count") ? .count : matches("_created") ? .created : nil
        case .gaugeHistogram:
            return matches("_bucket") ? .bucket : matches("_gsum") ? .gaugeSum : matches("_gcount") ? .gaugeCount : nil
        }
    }

    /// Ends the current family and begins one named `name`, which must not have been seen before
    /// (OpenMetrics families are never interleaved).
    mutating func startOpenMetricsFamily(_ name: UnsafeBufferPointer<UInt8>, declared: Bool) throws {
        try closeOpenMetricsFamily()
        let text = { String(decoding: name, as: UTF8.self) }
        if let seen = families.find(name) {
            if currentFamily == seen && !declared {
                let type = families[seen].type ?? .unknown
                throw error(at: lineStart, "metric \(text()) does not belong to its \(type.rawValue) family \(text()); \(expectedNames(type))")
            }
            guard !strict else {
                throw error(at: lineStart, "metric family \(text()) appears again after another family; OpenMetrics families must not be interleaved")
            }
            currentFamily = seen
            return
        }
        if strict, let owner = earlierOwner(of: name) {
            let ownerName = String(decoding: families.name(owner), as: UTF8.self)
            throw error(
                at: lineStart,
                declared
                    ? "metric family \(text()) clashes with a sample name of family \(ownerName); rename one of them"
                    : "metric \(text()) belongs to family \(ownerName), which ended earlier; OpenMetrics families must not be interleaved"
            )
        }
        currentFamily = families.insert(name, type: declared ? nil : .unknown)
    }

    private func expectedNames(_ type: MetricType) -> String {
        switch type {
        case .counter: return "counter samples are named <family>_total or <family>_created"
        case .histogram: return "histogram samples are named <family>_bucket, _sum, _count or _created"
        case .gaugeHistogram: return "gaugehistogram samples are named <family>_bucket, _gsum or _gcount"
        case .info: return "info samples are named <family>_info"
        case .summary: return "summary samples are named <family>, _sum, _count or _created"
        case .gauge, .stateSet, .unknown: return "its samples carry the family name itself"
        }
    }

    /// An earlier family that `name` is a suffixed sample of (`x_total` of counter `x`, ...).
    func earlierOwner(of name: UnsafeBufferPointer<UInt8>) -> Int? {
        let suffixes: [StaticString] = ["_total", "_created", "_bucket", "_sum", "_count", "_gsum", "_gcount", "_info"]
        for suffix in suffixes {
            if let base = strip(suffix, from: name), let family = families.find(base), openMetricsRole(name, family: family) != nil {
                return family
            }
        }
        return nil
    }

    /// Once a family's type is known: none of the sample names it implies (`x_total`, ...) may be
    /// the name of an earlier family.
    func checkSuffixClash(_ family: Int) throws {
        let suffixes: [StaticString] = ["_total", "_created", "_bucket", "_sum", "_count", "_gsum", "_gcount", "_info"]
        let name = families.name(family)
        let clash: UnsafeBufferPointer<UInt8>? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count + 8) { buffer in
            _ = buffer.initialize(from: name)
            for suffix in suffixes {
                let length = name.count + suffix.utf8CodeUnitCount
                (buffer.baseAddress! + name.count).initialize(from: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
                let sampleName = UnsafeBufferPointer(start: buffer.baseAddress!, count: length)
                if openMetricsRole(sampleName, family: family) != nil, let other = families.find(sampleName), other != family {
                    return families.name(other)
                }
            }
            return nil
        }
        if let clash {
            throw error(
                at: lineStart,
                "metric family \(String(decoding: name, as: UTF8.self)) has samples named \(String(decoding: clash, as: UTF8.self)), which is an earlier family; rename one of them"
            )
        }
    }

    /// The end-of-family checks: the last histogram point is complete.
    mutating func closeOpenMetricsFamily() throws {
        guard currentFamily >= 0 else { return }
        try finishHistogramPoint()
        series.reset()
    }

    // MARK: - Labels

    /// The index of the label with this name, or -1.
    func labelIndex(_ name: StaticString, line: UnsafePointer<UInt8>) -> Int {
        labelIndex(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), line: line)
    }

    /// The index of the label with this name, or -1.
    func labelIndex(_ name: UnsafeBufferPointer<UInt8>, line: UnsafePointer<UInt8>) -> Int {
        for index in 0..<labels.count {
            let span = labels[index].name
            if span.count == name.count && memcmp(bytes(span, line: line).baseAddress!, name.baseAddress!, name.count) == 0 { return index }
        }
        return -1
    }

    /// An `le` or `quantile` value, which must be a float.
    func numericLabel(_ line: UnsafePointer<UInt8>, _ index: Int) throws -> Double {
        let value = bytes(labels[index].value, line: line)
        let name = String(decoding: bytes(labels[index].name, line: line), as: UTF8.self)
        let start = value.baseAddress!
        guard let number = NumberParsing.parseValue(start, start + value.count) else {
            throw error(at: lineStart, "the \(name) label must hold a float, not \(quoted(start, start + value.count))")
        }
        return number
    }

    /// An order-independent hash of the labels, skipping one (`le` or `quantile`), identifying a
    /// series within its family.
    func labelSignature(_ line: UnsafePointer<UInt8>, excluding skipped: Int) -> UInt64 {
        var signature: UInt64 = 0
        for index in 0..<labels.count where index != skipped {
            let name = bytes(labels[index].name, line: line)
            let value = bytes(labels[index].value, line: line)
            // An empty value means the label is absent, so it must not change the identity.
            if value.isEmpty { continue }
            let nameHash = ByteHashing.hash(name.baseAddress!, name.count, seed: 0x51_7CC1_B727_220A)
            signature &+= ByteHashing.hash(value.baseAddress!, value.count, seed: nameHash)
        }
        return signature
    }
}

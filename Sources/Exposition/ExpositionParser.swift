#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte-level, streaming parser for the Prometheus text format (0.0.4, plus the quoted UTF-8
/// names of 1.0.0) and OpenMetrics 1.0 text.
///
/// Feed it the input in chunks of any size with `consume(_:into:)`, then call `finish(into:)`:
/// samples and metadata reach the visitor in input order as views into the parser's buffers, so
/// a parse allocates nothing per sample once its scratch buffers have grown to the longest line.
/// Memory stays constant in the input size (apart from one record per metric family and, for the
/// strict histogram and OpenMetrics checks, one per series). The first invalid byte stops the parse
/// with an `ExpositionError`; a caller that must not act on part of an invalid exposition
/// (a scrape, `parse-metrics`) keeps what it was given until `finish` returns.
///
/// By default the parser accepts exactly what the Prometheus server ingests (its scrape parser
/// and promtool's backfill), so a collector or an import built on it never refuses a target or a
/// file Prometheus reads. `Options.strict` also enforces the written specs, as a linter.
public struct ExpositionParser: ~Copyable {
    /// Choices that change what is accepted.
    public struct Options: Sendable, Hashable {
        /// Also enforce what the written specs forbid although the Prometheus server accepts it:
        /// unknown escapes (Prometheus keeps their backslash), repeated or late HELP/TYPE lines,
        /// TYPE keywords in upper case, a missing final line feed, non-numeric `le`/`quantile`,
        /// unsorted or `+Inf`-less histograms, invalid UTF-8 in comments and, in OpenMetrics,
        /// interleaved families and series and the data-model rules (values each type allows,
        /// histogram consistency, increasing timestamps, name clashes).
        public var strict: Bool

        /// Creates options; by default, what Prometheus accepts.
        public init(strict: Bool = false) {
            self.strict = strict
        }

        /// What the Prometheus server ingests: the collector's, `import`'s and `parse-metrics`' default.
        public static let prometheus = Options()
        /// The written specs as well: `--strict`, a linter.
        public static let specification = Options(strict: true)
    }

    /// The format being parsed.
    public let format: ExpositionFormat
    /// The options in force.
    public let options: Options
    let openMetrics: Bool
    let strict: Bool

    /// Lines consumed so far; while a line is parsed, its own 1-based number.
    public internal(set) var lineNumber = 0
    /// Samples delivered so far.
    public internal(set) var sampleCount = 0

    var lineStart: UnsafePointer<UInt8>
    var pending = RawVector<UInt8>(capacity: 256)
    var scratch = RawVector<UInt8>(capacity: 4096)
    var labels = RawVector<LabelSpan>(capacity: 32)
    var families = FamilyTable()
    var series = SeriesTracker()
    var sawEOF = false
    var finished = false

    // Text format: recent sample names and their families.
    var nameCache = SampleNameCache()

    // OpenMetrics: the family being read.
    var currentFamily = -1
    // OpenMetrics: where the current sample's exemplar starts, or -1.
    var exemplarOffset = -1
    // The current sample's duplicate label name, reported once the rest of its line parsed:
    // Prometheus finds it only when it stores a sample its parser accepted.
    var duplicateLabel: ExpositionError?

    /// Name-character classes by byte, so the name scans (most of the bytes of an exposition)
    /// cost one load per byte.
    var byteClasses = RawVector<UInt8>(capacity: 256)
    static let metricNameByte: UInt8 = 1
    static let labelNameByte: UInt8 = 2

    /// Creates a parser for one exposition.
    public init(format: ExpositionFormat, options: Options = Options()) {
        self.format = format
        self.options = options
        openMetrics = format == .openMetrics
        strict = options.strict
        lineStart = UnsafePointer(bitPattern: 1)!
        for byte in 0...UInt8.max {
            let metric = isMetricNameContinuation(byte) ? Self.metricNameByte : 0
            byteClasses.append(metric | (isLabelNameContinuation(byte) ? Self.labelNameByte : 0))
        }
    }

    /// The end of a run of metric-name characters (`[a-zA-Z0-9_:]`).
    @inline(__always)
    func scanMetricName(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        let classes = byteClasses.base
        var p = start
        while p < end && classes[Int(p.pointee)] & Self.metricNameByte != 0 { p += 1 }
        return p
    }

    /// The end of a run of label-name characters (`[a-zA-Z0-9_]`).
    @inline(__always)
    func scanLabelName(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        let classes = byteClasses.base
        var p = start
        while p < end && classes[Int(p.pointee)] & Self.labelNameByte != 0 { p += 1 }
        return p
    }

    /// Parses the next piece of the input. Chunks may end anywhere; an incomplete last line is kept
    /// until the next call or `finish`.
    public mutating func consume<V: ExpositionVisitor>(_ bytes: UnsafeBufferPointer<UInt8>, into visitor: inout V) throws {
        precondition(!finished, "consume called after finish")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let end = base + bytes.count
        var p = base
        if pending.count > 0 {
            guard let newline = findNewline(p, end) else {
                pending.append(p, count: end - p)
                return
            }
            pending.append(p, count: newline - p)
            // parseLine never touches `pending`, so its buffer stays put while the line is read.
            defer { pending.removeAll() }
            try parseLine(UnsafePointer(pending.base), count: pending.count, into: &visitor)
            p = newline + 1
        }
        while p < end {
            guard let newline = findNewline(p, end) else {
                pending.append(p, count: end - p)
                return
            }
            try parseLine(p, count: newline - p, into: &visitor)
            p = newline + 1
        }
    }

    /// Ends the input: parses a last line that has no line feed and runs the checks that need the
    /// whole exposition (`# EOF`, histogram `+Inf` buckets).
    public mutating func finish<V: ExpositionVisitor>(into visitor: inout V) throws {
        precondition(!finished, "finish called twice")
        finished = true
        if pending.count > 0 {
            let start = UnsafePointer(pending.base)
            let count = pending.count
            defer { pending.removeAll() }
            if openMetrics {
                let isEOF = count == 5 && memcmp(start, "# EOF", 5) == 0
                if !isEOF && !sawEOF {
                    lineNumber += 1
                    lineStart = start
                    throw error(at: start + count, "the exposition must end with \"# EOF\" on its own line")
                }
                try parseLine(start, count: count, into: &visitor)
            } else {
                let blankOnly = (0..<count).allSatisfy { isBlank(start[$0]) }
                if !blankOnly && strict {
                    lineNumber += 1
                    lineStart = start
                    throw error(at: start + count, "the last line must end with a line feed (\\n)")
                }
                try parseLine(start, count: count, into: &visitor)
            }
        }
        if openMetrics {
            guard sawEOF else {
                throw ExpositionError(
                    line: lineNumber + 1,
                    column: 1,
                    message: "missing \"# EOF\": an OpenMetrics exposition must end with it"
                )
            }
        } else {
            try checkHistograms()
        }
    }

    @inline(__always)
    func findNewline(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        guard let found = memchr(start, 0x0A, end - start) else { return nil }
        return UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
    }

    /// Parses one line without its line feed.
    mutating func parseLine<V: ExpositionVisitor>(_ start: UnsafePointer<UInt8>, count: Int, into visitor: inout V) throws {
        lineNumber += 1
        lineStart = start
        let end = start + count
        if openMetrics {
            if sawEOF { throw error(at: start, "unexpected content after \"# EOF\"; nothing may follow it") }
            guard count > 0 else { throw error(at: start, "empty line: OpenMetrics allows no blank lines") }
            switch start.pointee {
            case UInt8(ascii: "#"): try parseOpenMetricsComment(start, end, into: &visitor)
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                throw error(at: start, "leading whitespace: OpenMetrics lines start with a metric name or '#'")
            default: try parseSample(start, end, into: &visitor)
            }
            return
        }
        let first = skipBlanks(start, end)
        guard first < end else { return }
        if first.pointee == UInt8(ascii: "#") {
            try parseTextComment(first + 1, end, into: &visitor)
        } else {
            // The spec ignores leading blanks; the Prometheus server reads them into the metric
            // name and refuses the scrape, so they are refused here too, with a clearer reason.
            guard first == start else {
                throw error(at: start, "leading whitespace before a sample: Prometheus refuses it; start the line with the metric name")
            }
            try parseSample(first, end, into: &visitor)
        }
    }

    // MARK: - Errors and small helpers

    func error(at position: UnsafePointer<UInt8>, _ message: String) -> ExpositionError {
        ExpositionError(line: lineNumber, column: position - lineStart + 1, message: message)
    }

    @inline(__always)
    func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (!openMetrics && byte == UInt8(ascii: "\t"))
    }

    @inline(__always)
    func skipBlanks(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var p = start
        while p < end && (p.pointee == UInt8(ascii: " ") || p.pointee == UInt8(ascii: "\t")) { p += 1 }
        return p
    }

    /// Blanks the text format skips between tokens; OpenMetrics allows none.
    @inline(__always)
    func skipTextBlanks(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        openMetrics ? start : skipBlanks(start, end)
    }

    /// Quotes input bytes for a message, escaping what is not printable ASCII.
    func quoted(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> String {
        var text = "\""
        var p = start
        while p < end && text.utf8.count < 80 {
            let byte = p.pointee
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
            p += 1
        }
        return text + (p < end ? "...\"" : "\"")
    }

    @inline(__always)
    func bytes(_ span: ByteSpan, line: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: span.inScratch ? UnsafePointer(scratch.base) + span.offset : line + span.offset, count: span.count)
    }
}

/// What part of its family a sample is, from its name suffix.
enum SampleRole: BitwiseCopyable {
    case plain
    case bucket
    case sum
    case count
    case created
    case total
    case gaugeSum
    case gaugeCount
}

@inline(__always)
func isMetricNameStart(_ byte: UInt8) -> Bool {
    (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
}

@inline(__always)
func isMetricNameContinuation(_ byte: UInt8) -> Bool {
    isMetricNameStart(byte) || byte &- UInt8(ascii: "0") < 10
}

@inline(__always)
func isLabelNameStart(_ byte: UInt8) -> Bool {
    (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_")
}

@inline(__always)
func isLabelNameContinuation(_ byte: UInt8) -> Bool {
    isLabelNameStart(byte) || byte &- UInt8(ascii: "0") < 10
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExpositionParser {
    /// `name [{labels}] value [timestamp]`, plus `[# {labels} value [timestamp]]` in OpenMetrics.
    mutating func parseSample<V: ExpositionVisitor>(_ line: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, into visitor: inout V) throws {
        var p = line
        labels.removeAll()
        scratch.removeAll()
        exemplarOffset = -1
        duplicateLabel = nil
        var name = ByteSpan.missing
        if isMetricNameStart(p.pointee) {
            let nameStart = p
            p = scanMetricName(p + 1, end)
            name = ByteSpan(offset: nameStart - line, count: p - nameStart, inScratch: false)
        } else if p.pointee != UInt8(ascii: "{") {
            throw error(at: p, "invalid metric name: expected [a-zA-Z_:][a-zA-Z0-9_:]* or a quoted name inside braces")
        }
        var separated: Bool
        if openMetrics {
            separated = false
        } else {
            let afterBlanks = skipBlanks(p, end)
            separated = afterBlanks > p
            p = afterBlanks
        }
        if p < end && p.pointee == UInt8(ascii: "{") {
            p = try parseLabels(line, p + 1, end, name: &name, isExemplar: false)
            guard name.count >= 0 else {
                throw error(at: p - 1, "missing metric name: put it before the braces or as a quoted string inside them")
            }
            if !openMetrics {
                p = skipBlanks(p, end)
                separated = true
            }
        }
        if openMetrics {
            guard p < end && p.pointee == UInt8(ascii: " ") else {
                throw error(at: p, p < end ? "expected a single space before the value" : "missing value after the metric")
            }
            p += 1
        } else if !separated || p == end {
            throw error(at: p, p == end ? "missing value after the metric" : "invalid character in metric name")
        }
        let valueStart = p
        while p < end && !isBlank(p.pointee) { p += 1 }
        guard p > valueStart else { throw error(at: p, "expected a value, found a second space") }
        guard let value = NumberParsing.parseValue(valueStart, p) else {
            throw error(at: valueStart, "invalid value \(quoted(valueStart, p)): expected a float such as 1027, 1.5e-3, +Inf, -Inf or NaN")
        }
        let timestamp = openMetrics ? try parseOpenMetricsTail(line, name: name, p, end) : try parseTextTail(p, end)
        if let duplicateLabel { throw duplicateLabel }
        try deliverSample(line, name: name, value: value, at: valueStart, timestamp: timestamp, into: &visitor)
    }

    /// The optional integer millisecond timestamp of the text format, then only blanks.
    private func parseTextTail(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> Int64? {
        var p = skipBlanks(start, end)
        guard p < end else { return nil }
        let timestampStart = p
        while p < end && !isBlank(p.pointee) { p += 1 }
        guard let timestamp = NumberParsing.parseInt64(timestampStart, p) else {
            throw error(
                at: timestampStart,
                "invalid timestamp \(quoted(timestampStart, p)): expected an integer number of milliseconds that fits in int64"
            )
        }
        p = skipBlanks(p, end)
        guard p == end else { throw error(at: p, "unexpected text after the timestamp: \(quoted(p, end))") }
        return timestamp
    }

    /// The optional float-seconds timestamp and exemplar of OpenMetrics.
    private mutating func parseOpenMetricsTail(
        _ line: UnsafePointer<UInt8>,
        name: ByteSpan,
        _ start: UnsafePointer<UInt8>,
        _ end: UnsafePointer<UInt8>
    ) throws
        -> Int64?
    {
        var p = start
        guard p < end else { return nil }
        p += 1
        guard p < end else { throw error(at: p - 1, "trailing space at the end of the line") }
        var timestamp: Int64?
        if p.pointee != UInt8(ascii: "#") {
            let timestampStart = p
            while p < end && p.pointee != UInt8(ascii: " ") { p += 1 }
            timestamp = try parseSeconds(timestampStart, p, what: "timestamp")
            guard p < end else { return timestamp }
            p += 1
            guard p < end && p.pointee == UInt8(ascii: "#") else {
                throw error(at: p, p < end ? "unexpected text after the timestamp: \(quoted(p, end))" : "trailing space at the end of the line")
            }
        }
        try parseExemplar(line, name: name, p, end)
        return timestamp
    }

    /// `# {labels} value [timestamp]` after a sample; checked, then dropped. Only samples named
    /// `*_total` or `*_bucket` carry one: Prometheus refuses the scrape otherwise (and the spec
    /// allows them on counters and histogram buckets only).
    private mutating func parseExemplar(
        _ line: UnsafePointer<UInt8>,
        name: ByteSpan,
        _ start: UnsafePointer<UInt8>,
        _ end: UnsafePointer<UInt8>
    ) throws {
        let sampleName = bytes(name, line: line)
        guard hasSuffix("_total", sampleName) || hasSuffix("_bucket", sampleName) else {
            throw error(
                at: start,
                "metric name \(String(decoding: sampleName, as: UTF8.self)) does not support exemplars: only *_total and *_bucket samples carry them"
            )
        }
        exemplarOffset = start - line
        var p = start + 1
        guard end - p >= 2 && p[0] == UInt8(ascii: " ") && p[1] == UInt8(ascii: "{") else {
            throw error(at: p, "invalid exemplar: expected \" # {labels} value [timestamp]\" after the sample")
        }
        let sampleLabelCount = labels.count
        var unusedName = ByteSpan.missing
        p = try parseLabels(line, p + 2, end, name: &unusedName, isExemplar: true)
        // Prometheus' parser reads longer exemplars (its storage drops them later), so only the
        // written spec's linter refuses them.
        if strict {
            var characters = 0
            for index in sampleLabelCount..<labels.count {
                let label = labels[index]
                let name = bytes(label.name, line: line)
                let value = bytes(label.value, line: line)
                characters += UTF8Validation.scalarCount(name.baseAddress!, name.count)
                characters += UTF8Validation.scalarCount(value.baseAddress!, value.count)
            }
            guard characters <= 128 else {
                throw error(at: start, "exemplar labels hold \(characters) characters; names and values together may hold at most 128")
            }
        }
        labels.truncate(to: sampleLabelCount)
        guard p < end && p.pointee == UInt8(ascii: " ") else { throw error(at: p, "expected a single space before the exemplar value") }
        p += 1
        let valueStart = p
        while p < end && p.pointee != UInt8(ascii: " ") { p += 1 }
        guard NumberParsing.parseValue(valueStart, p) != nil else {
            throw error(at: valueStart, "invalid exemplar value \(quoted(valueStart, p))")
        }
        guard p < end else { return }
        p += 1
        let timestampStart = p
        while p < end && p.pointee != UInt8(ascii: " ") { p += 1 }
        _ = try parseSeconds(timestampStart, p, what: "exemplar timestamp")
        guard p == end else { throw error(at: p, "unexpected text after the exemplar: \(quoted(p, end))") }
    }

    /// OpenMetrics float seconds (no NaN or Inf) as integer milliseconds.
    private func parseSeconds(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, what: String) throws -> Int64 {
        guard let seconds = NumberParsing.parseRealNumber(start, end) else {
            throw error(at: start, "invalid \(what) \(quoted(start, end)): expected seconds as a decimal number (no NaN or Inf)")
        }
        guard let milliseconds = NumberParsing.milliseconds(fromSeconds: seconds) else {
            throw error(at: start, "\(what) \(quoted(start, end)) is out of range")
        }
        return milliseconds
    }

    /// `{name="value",...}` from just after the brace; returns the position after the closing
    /// brace. A quoted string not followed by `=` is the metric name (1.0.0 UTF-8 names).
    mutating func parseLabels(
        _ line: UnsafePointer<UInt8>,
        _ start: UnsafePointer<UInt8>,
        _ end: UnsafePointer<UInt8>,
        name: inout ByteSpan,
        isExemplar: Bool
    ) throws -> UnsafePointer<UInt8> {
        var p = start
        var afterComma = false
        let firstLabel = labels.count
        while true {
            p = skipTextBlanks(p, end)
            guard p < end else { throw error(at: p, "unterminated label set: expected '}'") }
            if p.pointee == UInt8(ascii: "}") {
                if openMetrics && afterComma {
                    throw error(at: p, "trailing comma before '}': OpenMetrics does not allow it")
                }
                break
            }
            var labelName: ByteSpan
            var isMetricName = false
            if p.pointee == UInt8(ascii: "\"") {
                let quoteStart = p
                (labelName, p) = try parseQuoted(line, p, end)
                p = skipTextBlanks(p, end)
                if p >= end || p.pointee != UInt8(ascii: "=") {
                    guard !isExemplar else { throw error(at: quoteStart, "an exemplar cannot carry a metric name") }
                    guard name.count < 0 else { throw error(at: quoteStart, "metric name given twice") }
                    guard labelName.count > 0 else { throw error(at: quoteStart, "empty metric name") }
                    name = labelName
                    isMetricName = true
                } else if labelName.count == 0 {
                    throw error(at: quoteStart, "empty label name")
                }
            } else if isLabelNameStart(p.pointee) {
                let nameStart = p
                p = scanLabelName(p + 1, end)
                labelName = ByteSpan(offset: nameStart - line, count: p - nameStart, inScratch: false)
                p = skipTextBlanks(p, end)
            } else {
                throw error(at: p, "invalid label name: expected [a-zA-Z_][a-zA-Z0-9_]* or a quoted name")
            }
            if !isMetricName {
                let nameBytes = bytes(labelName, line: line)
                if nameBytes.count == 8 && memcmp(nameBytes.baseAddress!, "__name__", 8) == 0 {
                    throw error(at: p, "label name \"__name__\" is reserved for the metric name")
                }
                guard p < end && p.pointee == UInt8(ascii: "=") else { throw error(at: p, "expected '=' after the label name") }
                p = skipTextBlanks(p + 1, end)
                guard p < end && p.pointee == UInt8(ascii: "\"") else {
                    throw error(at: p, "expected '\"' to start the label value")
                }
                let value: ByteSpan
                (value, p) = try parseQuoted(line, p, end)
                labels.append(LabelSpan(name: labelName, value: value))
            }
            p = skipTextBlanks(p, end)
            guard p < end else { throw error(at: p, "unterminated label set: expected '}'") }
            if p.pointee == UInt8(ascii: ",") {
                p += 1
                afterComma = true
                continue
            }
            guard p.pointee == UInt8(ascii: "}") else { throw error(at: p, "expected ',' or '}' after a label") }
            break
        }
        if labels.count - firstLabel > 1 {
            do {
                try checkDuplicateLabelNames(line, from: firstLabel, at: start)
            } catch let duplicate as ExpositionError where !isExemplar {
                duplicateLabel = duplicate
            }
        }
        return p + 1
    }

    /// Label names must be unique. Few labels are compared pairwise; many (hostile input) are
    /// compared by sorted hashes, so a line with thousands of labels stays linearithmic.
    private func checkDuplicateLabelNames(_ line: UnsafePointer<UInt8>, from first: Int, at position: UnsafePointer<UInt8>) throws {
        func same(_ a: Int, _ b: Int) -> Bool {
            let x = bytes(labels[a].name, line: line)
            let y = bytes(labels[b].name, line: line)
            return x.count == y.count && (x.count == 0 || x[0] == y[0]) && memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
        }
        func duplicate(_ index: Int) -> ExpositionError {
            var duplicate = error(at: position, "duplicate label name \"\(String(decoding: bytes(labels[index].name, line: line), as: UTF8.self))\"")
            duplicate.countsTheSample = true
            return duplicate
        }
        if labels.count - first <= 16 {
            for later in (first + 1)..<labels.count {
                for earlier in first..<later where same(earlier, later) { throw duplicate(later) }
            }
            return
        }
        var hashed: [(hash: UInt64, index: Int)] = []
        hashed.reserveCapacity(labels.count - first)
        for index in first..<labels.count {
            let name = bytes(labels[index].name, line: line)
            hashed.append((ByteHashing.hash(name.baseAddress!, name.count, seed: 0), index))
        }
        hashed.sort { $0.hash < $1.hash }
        var runStart = 0
        for position in 1..<hashed.count {
            if hashed[position].hash != hashed[runStart].hash {
                runStart = position
                continue
            }
            for earlier in runStart..<position where same(hashed[earlier].index, hashed[position].index) {
                throw duplicate(max(hashed[earlier].index, hashed[position].index))
            }
        }
    }

    /// A double-quoted string from its opening quote. Returns where its unescaped bytes are and
    /// the position after the closing quote. Strings without escapes are not copied.
    mutating func parseQuoted(
        _ line: UnsafePointer<UInt8>,
        _ open: UnsafePointer<UInt8>,
        _ end: UnsafePointer<UInt8>
    ) throws -> (
        ByteSpan, UnsafePointer<UInt8>
    ) {
        let contentStart = open + 1
        var p = contentStart
        var high: UInt8 = 0
        while p < end {
            let byte = p.pointee
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
            high |= byte
            p += 1
        }
        guard p < end else { throw unterminatedQuote(open) }
        if p.pointee == UInt8(ascii: "\"") {
            if high & 0x80 != 0 { try validateUTF8(contentStart, p) }
            return (ByteSpan(offset: contentStart - line, count: p - contentStart, inScratch: false), p + 1)
        }
        let scratchStart = scratch.count
        scratch.append(contentStart, count: p - contentStart)
        while true {
            guard p < end else { throw unterminatedQuote(open) }
            let byte = p.pointee
            if byte == UInt8(ascii: "\"") { break }
            if byte != UInt8(ascii: "\\") {
                high |= byte
                scratch.append(byte)
                p += 1
                continue
            }
            guard p + 1 < end else { throw unterminatedQuote(open) }
            p += try appendEscape(p, quoteIsEscapable: true, where: "")
        }
        if high & 0x80 != 0 { try validateUTF8(contentStart, p) }
        return (ByteSpan(offset: scratchStart, count: scratch.count - scratchStart, inScratch: true), p + 1)
    }

    /// Appends what the escape at `escape` (a backslash with a byte after it) stands for and
    /// returns how many input bytes it used. Defined: `\\`, `\n` and, where quotes delimit, `\"`;
    /// strict text-format parsing rejects the rest, OpenMetrics and the default keep the backslash.
    mutating func appendEscape(_ escape: UnsafePointer<UInt8>, quoteIsEscapable: Bool, where context: String) throws -> Int {
        switch escape[1] {
        case UInt8(ascii: "\\"):
            scratch.append(UInt8(ascii: "\\"))
            return 2
        case UInt8(ascii: "n"):
            scratch.append(UInt8(ascii: "\n"))
            return 2
        case UInt8(ascii: "\"") where quoteIsEscapable:
            scratch.append(UInt8(ascii: "\""))
            return 2
        default:
            guard openMetrics || !strict else {
                let defined = quoteIsEscapable ? "\\\\, \\\" and \\n" : "\\\\ and \\n"
                throw error(at: escape, "invalid escape sequence \(quoted(escape, escape + 2))\(context): only \(defined) are defined")
            }
            scratch.append(UInt8(ascii: "\\"))
            return 1
        }
    }

    private func unterminatedQuote(_ open: UnsafePointer<UInt8>) -> ExpositionError {
        error(at: open, "unterminated quoted string: close it with '\"' on the same line (write a line feed as \\n)")
    }

    func validateUTF8(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws {
        if let offset = UTF8Validation.firstInvalidOffset(start, end) {
            throw error(at: start + offset, "invalid UTF-8 (byte 0x\(String(start[offset], radix: 16, uppercase: true)))")
        }
    }
}

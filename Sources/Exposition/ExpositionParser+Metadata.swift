#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExpositionParser {
    /// A text-format `#` line, from just after the `#`: HELP and TYPE are metadata, anything else
    /// is a comment.
    mutating func parseTextComment<V: ExpositionVisitor>(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, into visitor: inout V) throws {
        var p = skipBlanks(start, end)
        let keywordStart = p
        while p < end && !isBlank(p.pointee) { p += 1 }
        let isHelp = p - keywordStart == 4 && memcmp(keywordStart, "HELP", 4) == 0
        let isType = p - keywordStart == 4 && memcmp(keywordStart, "TYPE", 4) == 0
        guard isHelp || isType else {
            if strict && !UTF8Validation.isASCII(start, end) { try validateUTF8(start, end) }
            return
        }
        let keyword = isHelp ? "HELP" : "TYPE"
        p = skipBlanks(p, end)
        guard p < end else {
            if strict { throw error(at: p, "\(keyword) line without a metric name") }
            return
        }
        scratch.removeAll()
        let (name, afterName) = try parseMetadataName(p, end, keyword: keyword)
        p = afterName
        if p < end && !isBlank(p.pointee) { throw error(at: p, "invalid metric name in \(keyword) line") }
        p = skipBlanks(p, end)
        if isHelp {
            // Unescaping the text may grow the scratch buffer, so the name is located afterwards.
            let text = try parseHelpText(p, end)
            let nameBytes = bytes(name, line: lineStart)
            let (family, _) = resolveTextName(nameBytes)
            if families[family].hasHelp && strict {
                throw error(at: lineStart, "second HELP line for \(String(decoding: nameBytes, as: UTF8.self)); give each family one HELP line")
            }
            families[family].hasHelp = true
            try visitor.visitMetadata(
                MetadataView(kind: .help, name: nameBytes, text: bytes(text, line: lineStart), type: nil, lineNumber: lineNumber)
            )
            return
        }
        let typeStart = p
        while p < end && !isBlank(p.pointee) { p += 1 }
        guard typeStart < p else {
            if strict { throw error(at: p, "TYPE line without a type: expected counter, gauge, histogram, summary or untyped") }
            return
        }
        let typeEnd = p
        let nameBytes = bytes(name, line: lineStart)
        p = skipBlanks(p, end)
        guard p == end else { throw error(at: p, "unexpected text after the type: \(quoted(p, end))") }
        guard let type = MetricType(keyword: UnsafeBufferPointer(start: typeStart, count: typeEnd - typeStart), format: format)
        else {
            throw error(at: typeStart, "unknown metric type \(quoted(typeStart, typeEnd)): expected counter, gauge, histogram, summary or untyped")
        }
        let (family, _) = resolveTextName(nameBytes)
        if families[family].type != nil || families[family].hasSamples {
            guard !strict else {
                throw error(
                    at: lineStart,
                    "second TYPE line for \(String(decoding: nameBytes, as: UTF8.self)), or TYPE after its samples; declare each family once, before its samples"
                )
            }
            return
        }
        families[family].type = type
        try visitor.visitMetadata(
            MetadataView(kind: .type, name: nameBytes, text: UnsafeBufferPointer(start: typeEnd, count: 0), type: type, lineNumber: lineNumber)
        )
    }

    /// An OpenMetrics `#` line: exactly `# HELP`, `# TYPE`, `# UNIT` or `# EOF`.
    mutating func parseOpenMetricsComment<V: ExpositionVisitor>(
        _ line: UnsafePointer<UInt8>,
        _ end: UnsafePointer<UInt8>,
        into visitor: inout V
    ) throws {
        guard end - line >= 2 && line[1] == UInt8(ascii: " ") else { throw error(at: line + 1, "expected a single space after '#'") }
        var p = line + 2
        if end - p == 3 && memcmp(p, "EOF", 3) == 0 {
            try closeOpenMetricsFamily()
            sawEOF = true
            return
        }
        let kind: MetadataView.Kind
        if end - p > 4 && p[4] == UInt8(ascii: " ") && memcmp(p, "HELP", 4) == 0 {
            kind = .help
        } else if end - p > 4 && p[4] == UInt8(ascii: " ") && memcmp(p, "TYPE", 4) == 0 {
            kind = .type
        } else if end - p > 4 && p[4] == UInt8(ascii: " ") && memcmp(p, "UNIT", 4) == 0 {
            kind = .unit
        } else {
            throw error(at: p, "unknown comment: OpenMetrics allows only \"# HELP\", \"# TYPE\", \"# UNIT\" and \"# EOF\" lines")
        }
        let keyword = kind == .help ? "HELP" : kind == .type ? "TYPE" : "UNIT"
        p += 5
        scratch.removeAll()
        let (name, afterName) = try parseMetadataName(p, end, keyword: keyword)
        p = afterName
        guard p < end else {
            let what = kind == .help ? "text (write a space after the name for empty help)" : kind == .type ? "a type" : "a unit"
            throw error(at: p, "\(keyword) line without \(what)")
        }
        guard p.pointee == UInt8(ascii: " ") else { throw error(at: p, "invalid metric name in \(keyword) line") }
        p += 1
        var text = ByteSpan(offset: p - line, count: end - p, inScratch: false)
        var type: MetricType?
        switch kind {
        case .help:
            text = try parseHelpText(p, end)
        case .type:
            guard let declared = MetricType(keyword: UnsafeBufferPointer(start: p, count: end - p), format: format) else {
                throw error(
                    at: p,
                    "unknown metric type \(quoted(p, end)): expected counter, gauge, histogram, gaugehistogram, stateset, info, summary or unknown"
                )
            }
            type = declared
        case .unit:
            let q = scanMetricName(p, end)
            guard q == end else { throw error(at: q, "invalid unit: expected [a-zA-Z0-9_:]*") }
        }
        // Located only now: unescaping HELP text may have grown the scratch buffer.
        let nameBytes = bytes(name, line: line)
        let family = try openMetricsMetadataFamily(nameBytes, kind: kind, keyword: keyword)
        let familyName = String(decoding: nameBytes, as: UTF8.self)
        switch kind {
        case .help:
            families[family].hasHelp = true
        case .type:
            families[family].type = type
            if strict { try checkSuffixClash(family) }
            if families[family].hasUnit && (type == .info || type == .stateSet) {
                throw error(at: lineStart, "\(type!.rawValue) family \(familyName) must not have a unit")
            }
        case .unit:
            families[family].hasUnit = end > p
            let unit = String(decoding: UnsafeBufferPointer(start: p, count: end - p), as: UTF8.self)
            if !unit.isEmpty && !familyName.hasSuffix("_" + unit) {
                throw error(at: p, "metric name \(familyName) must end with \"_\(unit)\" to have unit \(unit)")
            }
            if let declared = families[family].type, !unit.isEmpty && (declared == .info || declared == .stateSet) {
                throw error(at: p, "\(declared.rawValue) family \(familyName) must not have a unit")
            }
        }
        try visitor.visitMetadata(MetadataView(kind: kind, name: nameBytes, text: bytes(text, line: line), type: type, lineNumber: lineNumber))
    }

    /// The family a metadata line describes: the current one while it has no samples, else a new one.
    private mutating func openMetricsMetadataFamily(_ name: UnsafeBufferPointer<UInt8>, kind: MetadataView.Kind, keyword: String) throws -> Int {
        let familyName = { String(decoding: name, as: UTF8.self) }
        if currentFamily >= 0 {
            let current = families.name(currentFamily)
            if current.count == name.count && memcmp(current.baseAddress!, name.baseAddress!, name.count) == 0 {
                let record = families[currentFamily]
                if record.hasSamples && strict {
                    throw error(at: lineStart, "\(keyword) line for \(familyName()) after its samples; metadata comes before a family's samples")
                }
                let repeated: Bool
                switch kind {
                case .help: repeated = record.hasHelp
                case .type: repeated = record.type != nil
                case .unit: repeated = record.hasUnit
                }
                if repeated && strict { throw error(at: lineStart, "second \(keyword) line for \(familyName())") }
                return currentFamily
            }
        }
        try startOpenMetricsFamily(name, declared: true)
        return currentFamily
    }

    /// The metric name of a HELP/TYPE/UNIT line, plain or quoted.
    private mutating func parseMetadataName(
        _ start: UnsafePointer<UInt8>,
        _ end: UnsafePointer<UInt8>,
        keyword: String
    ) throws -> (
        ByteSpan, UnsafePointer<UInt8>
    ) {
        if start.pointee == UInt8(ascii: "\"") {
            let (name, after) = try parseQuoted(lineStart, start, end)
            guard name.count > 0 else { throw error(at: start, "empty metric name in \(keyword) line") }
            return (name, after)
        }
        guard isMetricNameStart(start.pointee) else { throw error(at: start, "invalid metric name in \(keyword) line") }
        let p = scanMetricName(start + 1, end)
        return (ByteSpan(offset: start - lineStart, count: p - start, inScratch: false), p)
    }

    /// HELP text, unescaped: `\\` and `\n` in the text format (strictly nothing else), plus `\"`
    /// in OpenMetrics, where any other escape keeps its backslash.
    private mutating func parseHelpText(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> ByteSpan {
        if !UTF8Validation.isASCII(start, end) { try validateUTF8(start, end) }
        guard let firstEscape = memchr(start, Int32(UInt8(ascii: "\\")), end - start) else {
            return ByteSpan(offset: start - lineStart, count: end - start, inScratch: false)
        }
        var p = UnsafePointer<UInt8>(firstEscape.assumingMemoryBound(to: UInt8.self))
        let scratchStart = scratch.count
        scratch.append(start, count: p - start)
        while p < end {
            let byte = p.pointee
            guard byte == UInt8(ascii: "\\"), p + 1 < end else {
                scratch.append(byte)
                p += 1
                continue
            }
            p += try appendEscape(p, quoteIsEscapable: openMetrics, where: " in HELP text")
        }
        return ByteSpan(offset: scratchStart, count: scratch.count - scratchStart, inScratch: true)
    }
}

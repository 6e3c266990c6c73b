package import Exposition

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams an OpenMetrics file with timestamps (the backfill input of
/// `promtool tsdb create-blocks-from openmetrics`) into a store. Feed it the file in pieces of
/// any size; memory stays constant in the file length (the parser keeps one line, the importer
/// at most two chunks of samples per series).
///
/// Backfill semantics: samples are committed in batches as they are read. On invalid input the
/// samples before the offending line are kept and committed, and the error names the line, so
/// fixing the file and running the import again completes it (stored samples are skipped, never
/// doubled). Nothing already stored is ever removed.
package final class OpenMetricsImport {
    private var parser: ExpositionParser
    private var visitor: ImportVisitor

    /// Starts an import into `store`, committing every `batchSize` samples. By default the file is
    /// read as promtool reads it; `.specification` also enforces the OpenMetrics spec.
    package init(store: Store, batchSize: Int = 500_000, options: ExpositionParser.Options = .prometheus) throws(StoreError) {
        parser = ExpositionParser(format: .openMetrics, options: options)
        visitor = ImportVisitor(importer: try BackfillImporter(store: store, batchSize: batchSize))
    }

    /// What was imported (`appended`) and skipped as already stored (`duplicates`) so far.
    package var result: AppendResult { visitor.importer.result }

    /// Input lines read so far.
    package var lineNumber: Int { parser.lineNumber }

    /// Parses and stores the next piece of the file.
    package func consume(_ bytes: UnsafeBufferPointer<UInt8>) throws(ImportError) {
        do {
            try parser.consume(bytes, into: &visitor)
        } catch {
            throw fail(error)
        }
    }

    /// Ends the input (checking the final `# EOF`) and commits everything.
    @discardableResult
    package func finish() throws(ImportError) -> AppendResult {
        do {
            try parser.finish(into: &visitor)
            return try visitor.importer.finish()
        } catch {
            throw fail(error)
        }
    }

    /// Keeps what was read before the error (see the type's note), then describes the error.
    private func fail(_ error: any Error) -> ImportError {
        switch error {
        case let error as ImportError:
            return error
        case let error as StoreError:
            visitor.importer.abandon()
            return .store(error)
        default:
            let invalid =
                error as? ExpositionError
                ?? ExpositionError(line: parser.lineNumber, column: 1, message: "\(error)")
            do {
                try visitor.importer.finish()
            } catch {
                visitor.importer.abandon()
                return .store(error)
            }
            return .invalidInput(invalid, importedBefore: visitor.importer.result.appended)
        }
    }
}

/// Why an import stopped.
package enum ImportError: Error, CustomStringConvertible {
    /// The file is not valid OpenMetrics with timestamps; the samples before it were imported.
    case invalidInput(ExpositionError, importedBefore: Int)
    /// The store failed (disk full, locked...); committed batches stay.
    case store(StoreError)

    package var description: String {
        switch self {
        case .invalidInput(let error, _): error.description
        case .store(let error): error.description
        }
    }
}

/// Turns parsed samples into store samples, resolving each distinct series text once.
private struct ImportVisitor: ExpositionVisitor {
    let importer: BackfillImporter
    /// Series ids by the raw bytes of name and labels as written, so a repeated series costs one
    /// hash lookup instead of building and sorting its labels.
    private var seriesIDs: [RawSeriesKey: Int64] = [:]
    private var key = RawSeriesKey()
    /// The previous line's series: backfill files usually list a series' samples together.
    private var previousKey = RawSeriesKey()
    private var previousID: Int64 = -1

    init(importer: BackfillImporter) {
        self.importer = importer
    }

    mutating func visitSample(_ sample: SampleView) throws {
        guard let timestamp = sample.timestampMs else {
            throw ExpositionError(
                line: sample.lineNumber,
                column: 1,
                message: "sample has no timestamp; an import needs one on every sample (seconds after the value)"
            )
        }
        key.set(sample)
        let id: Int64
        if previousID >= 0 && key == previousKey {
            id = previousID
        } else if let known = seriesIDs[key] {
            id = known
        } else {
            var pairs = [Label(name: Labels.metricNameLabel, value: sample.nameString)]
            for index in 0..<sample.labelCount {
                pairs.append(
                    Label(
                        name: String(decoding: sample.labelName(at: index), as: UTF8.self),
                        value: String(decoding: sample.labelValue(at: index), as: UTF8.self)
                    )
                )
            }
            id = try importer.seriesID(of: Labels(pairs))
            seriesIDs[key] = id
        }
        if id != previousID {
            previousID = id
            previousKey.copy(key)
        }
        try importer.add(seriesID: id, Sample(timestamp: timestamp, value: sample.value))
    }
}

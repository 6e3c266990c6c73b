// libFuzzer entry for the exposition parser. scripts/fuzz.sh compiles this file in one module
// with Sources/Exposition/*.swift (so there is no `import Exposition`), with the fuzzer and
// address sanitizers. Each input is parsed in both formats, by default and strictly; besides not
// crashing or hanging, the parser must give the same result whole and in two chunks, and what
// it accepts must survive write → parse unchanged.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpositionParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    for format in [ExpositionFormat.prometheusText, .openMetrics] {
        for strict in [false, true] {
            let options = ExpositionParser.Options(strict: strict)
            let whole = parse(input, format: format, options: options, split: size)
            let split = parse(input, format: format, options: options, split: size / 2)
            precondition(whole == split, "chunked parse differs from whole parse")
            if case .success(let families) = whole {
                checkRoundTrip(families, format: format, options: options)
            }
        }
    }
    return 0
}

private enum Outcome: Equatable {
    case success([MetricFamily])
    case failure(ExpositionError)
}

private func parse(_ input: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, options: ExpositionParser.Options, split: Int) -> Outcome {
    var parser = ExpositionParser(format: format, options: options)
    var collector = FamilyCollector()
    do {
        try parser.consume(UnsafeBufferPointer(rebasing: input[0..<split]), into: &collector)
        try parser.consume(UnsafeBufferPointer(rebasing: input[split...]), into: &collector)
        try parser.finish(into: &collector)
        return .success(collector.families)
    } catch let error as ExpositionError {
        return .failure(error)
    } catch {
        preconditionFailure("unexpected error type \(error)")
    }
}

/// Written samples parse back, under the same options, to the same multiset (families are
/// regrouped by name, so order may change when the input interleaved them).
private func checkRoundTrip(_ families: [MetricFamily], format: ExpositionFormat, options: ExpositionParser.Options) {
    let text = ExpositionWriter(format: format).string(for: families)
    do {
        let again = try ExpositionParser.samples(in: Array(text.utf8), format: format, options: options)
        let before = families.flatMap(\.samples).map(\.description).sorted()
        precondition(again.map(\.description).sorted() == before, "round trip changed the samples:\n\(text)")
    } catch {
        preconditionFailure("written exposition does not parse: \(error)\n\(text)")
    }
}
